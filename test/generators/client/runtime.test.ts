import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate.js';
import { ROOT, scratch } from '../../helpers/workspace.js';

/**
 * The generated client against a real HTTP server on 127.0.0.1: every parameter style, every body kind, status
 * handling, response validation and timeouts. The server echoes what it received so the assertions see the wire.
 */

interface Echo {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
}

type Client = Record<string, (input?: unknown, options?: unknown) => Promise<{ ok: boolean; status: number; data?: unknown; error?: unknown; response: Response }>>;

let server: Server;
let baseUrl = '';
let api: Client;
let generated: Record<string, unknown>;

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://x');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
  const echo: Echo = { method: req.method ?? '', path: url.pathname, query: url.search.slice(1), headers, body: Buffer.concat(chunks).toString('latin1') };
  const widget = /^\/api\/widgets\/([^/]+)$/.exec(url.pathname)?.[1];
  if (widget === 'ok') return send(res, 200, { id: 'w1', name: 'gear', size: 3, color: null });
  if (widget === 'bad') return send(res, 200, { id: 'w1', name: 'gear', size: -1 });
  if (widget === 'missing') return send(res, 404, { title: 'Not Found', status: 404 }, 'application/problem+json');
  if (widget === 'teapot') return send(res, 418, { title: 'teapot' });
  if (widget === 'boom') return send(res, 500, 'kaput', 'text/plain');
  if (widget === 'slow') {
    setTimeout(() => send(res, 200, { name: 'late', size: 1 }), 1500);
    return;
  }
  if (url.pathname === '/api/download') {
    if (url.search === '?empty') {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.end(Buffer.from([0, 1, 2, 255]));
    return;
  }
  send(res, 200, echo);
}

beforeAll(async () => {
  const out = path.join(scratch('client-runtime'), 'api');
  await generate({ spec: path.join(ROOT, 'fixtures/client-kitchen.yaml'), out, format: false });
  generated = (await import(path.join(out, 'index.ts'))) as Record<string, unknown>;
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const createClient = generated['createClient'] as (options: unknown) => Client;
  api = createClient({ baseUrl, retry: { maxAttempts: 1 } });
}, 120_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function echo(operation: string, input: unknown): Promise<Echo> {
  const result = await api[operation]?.(input);
  expect(result?.ok, JSON.stringify(result?.error)).toBe(true);
  return result?.data as Echo;
}

describe('parameter serialisation', () => {
  it('serialises path styles simple, label and matrix, and every query style', async () => {
    const seen = await echo('echoParams', {
      path: { plain: 'a b/c', label: ['x', 'y'], matrix: { x: 1, y: 2 } },
      query: {
        formExploded: ['a', 'b'],
        formFlat: [1, 2, 3],
        spaced: ['p', 'q'],
        piped: ['r', 's'],
        filter: { status: 'open', tags: ['t1', 't2'] },
        objFlat: { a: '1', b: '2' },
        json: { q: 'x&y' },
      },
    });
    expect(seen.path).toBe('/api/echo/.x,y/;x=1;y=2/a%20b%2Fc');
    const query = seen.query.split('&');
    // Parameters go out in a stable order: by name, as the IR sorts them.
    expect(query).toEqual([
      'filter%5Bstatus%5D=open',
      'filter%5Btags%5D=t1',
      'filter%5Btags%5D=t2',
      'formExploded=a',
      'formExploded=b',
      'formFlat=1,2,3',
      `json=${encodeURIComponent('{"q":"x&y"}')}`,
      'objFlat=a,1,b,2',
      'piped=r|s',
      'spaced=p%20q',
    ]);
  });

  it('sends header and cookie parameters', async () => {
    const seen = await echo('echoParams', {
      path: { plain: 'p', label: ['l'], matrix: { x: 1 } },
      headers: { 'X-Trace-Tags': ['a', 'b'], 'X-Count': 7 },
      cookies: { session: 'abc=1', prefs: ['dark', 'compact'] },
    });
    expect(seen.headers['x-trace-tags']).toBe('a,b');
    expect(seen.headers['x-count']).toBe('7');
    expect(seen.headers['cookie']).toBe('prefs=dark%2Ccompact; session=abc%3D1');
  });

  it('refuses path values that would navigate (., ..) and encodes the rest', async () => {
    await expect(api['getFile']?.({ path: { name: '..' } })).rejects.toThrow(/must not be "\.\."/);
    await expect(api['getFile']?.({ path: { name: '.' } })).rejects.toThrow(/must not be "\."/);
    const seen = await echo('getFile', { path: { name: '../../etc/passwd' } });
    expect(seen.path).toBe('/api/files/..%2F..%2Fetc%2Fpasswd');
  });

  it('rejects invalid parameters before sending, naming the pointer', async () => {
    const error = await api['echoParams']?.({ path: { plain: 'p', label: ['l'], matrix: { x: 1 } }, query: { limit: 1000 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(generated['RequestValidationError'] as new () => Error);
    expect((error as { issues: Array<{ pointer: string }> }).issues[0]?.pointer).toBe('/query/limit');
    expect((error as Error).message).toMatch(/echoParams: invalid request query/);
  });
});

describe('request bodies', () => {
  it('JSON', async () => {
    const seen = await echo('postJson', { body: { name: 'gear', size: 2, color: 'red' } });
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ name: 'gear', size: 2, color: 'red' });
  });

  it('validates JSON bodies before sending (pointer into the body)', async () => {
    const error = (await api['postJson']?.({ body: { name: '', size: 2 } }).catch((e: unknown) => e)) as { issues: Array<{ pointer: string }> };
    expect(error.issues.map((i) => i.pointer)).toEqual(['/body/name']);
  });

  it('form-urlencoded', async () => {
    const seen = await echo('postForm', { body: { name: 'a b', tags: ['x', 'y'] } });
    expect(seen.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen.body).toBe('name=a+b&tags=x&tags=y');
  });

  it('multipart with a Blob file', async () => {
    const file = new File([new Uint8Array([104, 105])], 'hello.txt', { type: 'text/plain' });
    const seen = await echo('postMultipart', { body: { file, note: 'n1' } });
    expect(seen.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body).toContain('filename="hello.txt"');
    expect(seen.body).toContain('name="note"');
    expect(seen.body).toContain('hi');
  });

  it('text and binary', async () => {
    const text = await echo('postText', { body: 'plain words' });
    expect(text.headers['content-type']).toBe('text/plain');
    expect(text.body).toBe('plain words');
    const binary = await echo('putBinary', { body: new Blob([new Uint8Array([0, 200, 255])]) });
    expect(binary.headers['content-type']).toBe('application/octet-stream');
    expect([...Buffer.from(binary.body, 'latin1')]).toEqual([0, 200, 255]);
  });

  it('chooses the media type the caller names', async () => {
    const seen = await echo('postEither', { contentType: 'text/plain', body: 'txt' });
    expect(seen.headers['content-type']).toBe('text/plain');
    const json = await echo('postEither', { body: { name: 'n', size: 1 } });
    expect(json.headers['content-type']).toBe('application/json');
  });
});

describe('responses', () => {
  it('returns data for 2xx and sends Accept from the contract', async () => {
    const result = await api['getWidget']?.({ path: { id: 'ok' } });
    expect(result).toMatchObject({ ok: true, status: 200, data: { id: 'w1', name: 'gear', size: 3, color: null } });
  });

  it('returns typed errors for declared error statuses, ranges and undeclared ones', async () => {
    expect(await api['getWidget']?.({ path: { id: 'missing' } })).toMatchObject({ ok: false, status: 404, error: { title: 'Not Found' } });
    expect(await api['getWidget']?.({ path: { id: 'teapot' } })).toMatchObject({ ok: false, status: 418, error: { title: 'teapot' } });
    const boom = await createThrowingClient()['getWidget']?.({ path: { id: 'boom' } }).catch((e: unknown) => e);
    expect(boom).toBeInstanceOf(generated['ApiError'] as new () => Error);
    expect(boom).toMatchObject({ status: 500, error: 'kaput' });
  });

  it('rejects a response that breaks the contract, naming operation, status and pointer', async () => {
    const error = await api['getWidget']?.({ path: { id: 'bad' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(generated['ResponseValidationError'] as new () => Error);
    expect(error).toMatchObject({ operationId: 'getWidget', status: 200 });
    expect((error as { issues: Array<{ pointer: string }> }).issues[0]?.pointer).toBe('/size');
    // Switchable per call.
    const unchecked = await api['getWidget']?.({ path: { id: 'bad' } }, { validate: false });
    expect(unchecked).toMatchObject({ ok: true, data: { size: -1 } });
  });

  it('decodes binary bodies and empty 204s', async () => {
    // A binary body is handed out unread (issue 14): streamed, or read whole with arrayBuffer()/blob().
    const result = await api['download']?.();
    const body = result?.data as { arrayBuffer(): Promise<ArrayBuffer>; type: string };
    expect(body.type).toMatch(/octet-stream|image|application/);
    expect([...new Uint8Array(await body.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const again = (await api['download']?.())?.data as { blob(): Promise<Blob> };
    expect((await again.blob()).size).toBe(4);
  });

  it('times out and honours AbortSignal', async () => {
    const started = Date.now();
    await expect(api['getWidget']?.({ path: { id: 'slow' } }, { timeoutMs: 200 })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1400);
    const controller = new AbortController();
    const pending = api['getWidget']?.({ path: { id: 'slow' } }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow();
  });
});

function createThrowingClient(): Client {
  const createClient = generated['createClient'] as (options: unknown) => Client;
  return createClient({ baseUrl, throwOnError: true, retry: { maxAttempts: 1 } });
}
