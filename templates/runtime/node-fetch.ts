/**
 * A `fetch` for Node built on node:http/https, for large streamed uploads: Node's built-in fetch (undici, as
 * bundled with Node 20) keeps a streamed request body's memory until the request ends, so a 400 MB upload costs
 * ~400 MB of RSS, while node:http's backpressure keeps it constant (measured). Pass it as
 * `createClient({ fetch: createNodeFetch() })`. Responses are web `Response`s streaming from the socket.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { FetchLike } from './call-loop.js';

function headersOf(message: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** The body as something node:http can write: bytes, or a stream to pipe (with the Content-Type FormData needs). */
async function bodyOf(body: RequestInit['body'], headers: Headers): Promise<Uint8Array | Readable | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return new TextEncoder().encode(body.toString());
  }
  if (body instanceof ReadableStream) return Readable.fromWeb(body as NodeReadableStream<Uint8Array>);
  // Blob, FormData and the rest: let a Response encode them (it streams Blob contents and builds the boundary).
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type');
  if (type !== null && !headers.has('content-type')) headers.set('content-type', type);
  return encoded.body === null ? undefined : Readable.fromWeb(encoded.body as NodeReadableStream<Uint8Array>);
}

export function createNodeFetch(options: { agent?: http.Agent } = {}): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers = new Headers(init.headers);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = await bodyOf(init.body, headers);
    const flat: Record<string, string> = {};
    headers.forEach((value, name) => (flat[name] = value));
    if (body instanceof Uint8Array) flat['content-length'] = String(body.byteLength);
    const request = (url.protocol === 'https:' ? https : http).request(url, {
      method,
      headers: flat,
      ...(options.agent ? { agent: options.agent } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    const answered = new Promise<Response>((resolve, reject) => {
      request.once('error', reject);
      request.once('response', (message) => {
        const empty = method === 'HEAD' || message.statusCode === 204 || message.statusCode === 304;
        if (empty) message.resume();
        const stream = empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>);
        resolve(
          new Response(stream, {
            status: message.statusCode ?? 500,
            statusText: message.statusMessage ?? '',
            headers: headersOf(message),
          }),
        );
      });
    });
    if (body instanceof Readable) {
      body.once('error', (error) => request.destroy(error));
      body.pipe(request);
    } else request.end(body);
    return answered;
  };
}
