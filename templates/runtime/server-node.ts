/**
 * Node only: serve the generated router (or any `(Request) => Promise<Response>` handler) from `node:http`, and so
 * from Express or Fastify (their req/res are node's). The router is called through its raw entry point, so no web
 * Request/Response objects are built per request unless a handler asks for `context.request`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Router } from './server-router.js';
import { BodyTooLargeError, type RawRequest, type RawResponse } from './server-types.js';

export type FetchHandler = (request: Request) => Promise<Response>;
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

function isRouter(handler: Router | FetchHandler): handler is Router {
  return typeof Reflect.get(handler, 'dispatch') === 'function';
}

/**
 * A header from `rawHeaders` (name lower-case). Reading `req.headers` would build an object of every header on
 * first use; the router asks for a few names only. Repeated headers join with `, ` (cookies with `; `).
 */
function rawHeader(raw: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i];
    if (key === undefined || key.length !== name.length || key.toLowerCase() !== name) continue;
    const value = raw[i + 1] ?? '';
    found = found === undefined ? value : `${found}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return found;
}

/** Resource limits of a node:http server: a slow, endless or idle client holds a connection only so long. */
export interface NodeServerLimits {
  /** Time to receive the request headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Time to receive the whole request, body included (default 30 s). */
  bodyTimeoutMs?: number;
  /** A connection with no traffic at all is closed after this long (default 60 s). */
  idleTimeoutMs?: number;
  /** How long an idle keep-alive connection waits for its next request (default 5 s). */
  keepAliveTimeoutMs?: number;
  /** Connections open at once; more are refused (default 1,024). */
  maxConnections?: number;
}

export const DEFAULT_NODE_LIMITS: Readonly<Required<NodeServerLimits>> = {
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_024,
};

/** Applies the limits to a server (node:http checks its timeouts once per `connectionsCheckingInterval`). */
export function applyNodeLimits(server: Server, limits: NodeServerLimits = {}): Server {
  const l = { ...DEFAULT_NODE_LIMITS, ...limits };
  server.headersTimeout = l.headersTimeoutMs;
  // node:http wants the whole-request timeout above the headers one.
  server.requestTimeout = Math.max(l.bodyTimeoutMs, l.headersTimeoutMs + 1);
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  server.maxConnections = l.maxConnections;
  server.setTimeout(l.idleTimeoutMs, (socket) => socket.destroy());
  return server;
}

/** Options for `http.createServer` matching the limits (the timeout check runs often enough to honour them). */
export function nodeServerOptions(limits: NodeServerLimits = {}): { connectionsCheckingInterval: number } {
  const l = { ...DEFAULT_NODE_LIMITS, ...limits };
  return { connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(l.headersTimeoutMs / 4))) };
}

/** Whether the request announced a body (`complete` turns true only after the 'request' event, body or not). */
function hasBody(raw: readonly string[]): boolean {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const key = raw[i] ?? '';
    if (key.length === 17 && key.toLowerCase() === 'transfer-encoding') return true;
    if (key.length === 14 && key.toLowerCase() === 'content-length' && raw[i + 1] !== '0') return true;
  }
  return false;
}

/** After a refusal, at most this much more of the body is read (so the answer reaches the client) before closing. */
const DRAIN_LIMIT = 64 * 1024;

/**
 * Called before answering a request whose body has not been fully received (refused with 413/415/401, or not
 * needed): the answer says `Connection: close`, node closes the socket once it is written, and the rest of the body
 * is read at most DRAIN_LIMIT bytes further — never drained to its end, which for an endless body is forever.
 * Returns the headers to add.
 */
export function refuseRestOfBody(req: IncomingMessage): Array<[string, string]> {
  if (req.complete || !hasBody(req.rawHeaders)) return [];
  let extra = 0;
  req.removeAllListeners('data');
  // A listener of our own also keeps node from draining the body itself after the answer.
  req.on('data', (chunk: Buffer) => {
    extra += chunk.length;
    if (extra > DRAIN_LIMIT) req.socket.destroy();
  });
  req.resume();
  return [['connection', 'close']];
}

function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(rawHeader(req.rawHeaders, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      const out = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.length;
      }
      resolve(out);
    });
    req.on('error', reject);
  });
}

function requestUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  if (url.startsWith('/')) return url;
  // Absolute-form (a request sent to a proxy): keep path and query only.
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return '/';
  }
}

function origin(req: IncomingMessage): string {
  const encrypted = Reflect.get(req.socket, 'encrypted') === true;
  return `${encrypted ? 'https' : 'http'}://${rawHeader(req.rawHeaders, 'host') ?? 'localhost'}`;
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '');
  return headers;
}

/** The router's view of a node request; the body is read once, on demand. A class: one allocation per request. */
class NodeRawRequest implements RawRequest {
  readonly method: string;
  readonly url: string;
  #req: IncomingMessage;
  #body: Promise<Uint8Array<ArrayBuffer>> | undefined;
  #bytes: Uint8Array<ArrayBuffer> | undefined;
  constructor(req: IncomingMessage) {
    this.#req = req;
    this.method = (req.method ?? 'GET').toUpperCase();
    this.url = requestUrl(req);
  }
  header(name: string): string | undefined {
    return rawHeader(this.#req.rawHeaders, name);
  }
  body(limit: number): Promise<Uint8Array<ArrayBuffer>> {
    this.#body ??= readNodeBody(this.#req, limit).then((bytes) => (this.#bytes = bytes));
    return this.#body;
  }
  toRequest(): Request {
    const read = this.#bytes;
    const withBody = read !== undefined && this.method !== 'GET' && this.method !== 'HEAD';
    return new Request(origin(this.#req) + this.url, {
      method: this.method,
      headers: webHeaders(this.#req),
      ...(withBody ? { body: read } : {}),
    });
  }
}

export function rawFromNodeRequest(req: IncomingMessage): RawRequest {
  return new NodeRawRequest(req);
}

/**
 * Writes synchronously when the body is text or bytes (the usual case); a promise only for blobs and streams,
 * settled once the stream has ended or the connection dropped.
 */
export function writeRawResponse(res: ServerResponse, raw: RawResponse, method: string): Promise<void> | undefined {
  const flat: string[] = [];
  for (const [name, value] of raw.headers) flat.push(name, value);
  for (const [name, value] of refuseRestOfBody(res.req)) flat.push(name, value);
  const body = raw.body;
  // A known length spares the client chunked decoding (and keeps HEAD answers truthful).
  if (typeof body === 'string' || body instanceof Uint8Array)
    flat.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
  res.writeHead(raw.status, flat);
  if (method === 'HEAD' || body === null) {
    res.end();
    if (body instanceof ReadableStream) body.cancel().catch(() => undefined);
    return undefined;
  }
  if (typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body);
    return undefined;
  }
  if (body instanceof Blob) return body.arrayBuffer().then((bytes) => void res.end(new Uint8Array(bytes)));
  return pipeStream(body, res);
}

/** A stream that fails mid-way drops the connection, after what was written so far has had time to go out. */
const CUT_GRACE_MS = 50;

/**
 * Chunk by chunk, the next one read only once the last was handed to the socket: a stream that paces its events
 * (server-sent events) is paced as delivered, and a slow client holds the producer back.
 */
async function pipeStream(stream: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = stream.getReader();
  const closed = (): void => void reader.cancel().catch(() => undefined);
  res.once('close', closed);
  res.flushHeaders();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      await new Promise<void>((resolve) => {
        if (res.write(value, () => resolve())) return;
        res.once('drain', resolve);
      });
    }
    res.end();
  } catch {
    await new Promise((resolve) => setTimeout(resolve, CUT_GRACE_MS));
    res.destroy();
  } finally {
    res.off('close', closed);
  }
}

async function writeWeb(res: ServerResponse, response: Response, method: string): Promise<void> {
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, name) => headers.push([name, value]));
  await writeRawResponse(res, { status: response.status, headers, body: response.body }, method);
}

function write(res: ServerResponse, raw: RawResponse, method: string): void {
  try {
    writeRawResponse(res, raw, method)?.catch((error: unknown) => fail(res, error));
  } catch (error) {
    fail(res, error);
  }
}

function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  res.writeHead(500, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }));
}

/** `(req, res)` for `http.createServer`, Express (`app.use(toNodeHandler(router))`) or Fastify's raw handler. */
export function toNodeHandler(handler: Router | FetchHandler): NodeHandler {
  if (isRouter(handler)) {
    return (req, res) => {
      const raw = new NodeRawRequest(req);
      let out: RawResponse | Promise<RawResponse>;
      try {
        out = handler.dispatch(raw);
      } catch (error) {
        fail(res, error);
        return;
      }
      // Answered synchronously (no body to read, synchronous handler): written within this event, as a plain
      // node:http handler would.
      if (out instanceof Promise)
        out.then(
          (done) => write(res, done, raw.method),
          (error: unknown) => fail(res, error),
        );
      else write(res, out, raw.method);
    };
  }
  return (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const init: RequestInit & { duplex?: 'half' } = { method, headers: webHeaders(req) };
    if (hasBody) {
      // node:stream/web and DOM declare ReadableStream separately; at run time they are one class.
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
    Promise.resolve()
      .then(() => handler(new Request(origin(req) + requestUrl(req), init)))
      .then((response) => writeWeb(res, response, method))
      .catch((error: unknown) => fail(res, error));
  };
}

export function createNodeServer(handler: Router | FetchHandler, limits: NodeServerLimits = {}): Server {
  return applyNodeLimits(createServer(nodeServerOptions(limits), toNodeHandler(handler)), limits);
}

export interface RunningServer {
  server: Server;
  /** `http://host:port`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Listens (default 127.0.0.1 on an ephemeral port) and resolves once the server accepts connections. */
export function serveNode(
  handler: Router | FetchHandler,
  options: { port?: number; host?: string; limits?: NodeServerLimits } = {},
): Promise<RunningServer> {
  const server = createNodeServer(handler, options.limits);
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 0);
      resolve({
        server,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
