import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate.js';
import { scratch } from '../../helpers/workspace.js';

/** Uploads and downloads of files through the generated client against a local server that inspects them. */

interface Stored {
  size: number;
  filename?: string;
  type?: string;
  purpose?: string;
  sha?: string;
}
type Result<T> = Promise<{ ok: boolean; status: number; data: T }>;
interface BinaryBody {
  type: string;
  size: number | undefined;
  stream(): ReadableStream<Uint8Array>;
  arrayBuffer(): Promise<ArrayBuffer>;
  blob(): Promise<Blob>;
}
interface Api {
  uploadFile(input: { body: { file: unknown; purpose: string } }): Result<Stored>;
  putBlob(input: { path: { name: string }; body: unknown }): Result<Stored>;
  getBlob(input: { path: { name: string } }): Result<BinaryBody>;
}
type Events = Array<{ type: string; loaded?: number; total?: number | null }>;

const dir = scratch('client-files');
let server: http.Server;
let baseUrl = '';
let api: (events?: Events, retry?: object) => Api;
let failNextPut = false;
let nodeFetch: () => unknown;
const blobs = new Map<string, Buffer>();

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  await generate({ spec: path.resolve('fixtures/files.yaml'), out: dir, format: false, validate: false, targets: ['types', 'zod', 'client', 'node'] });
  const mod = (await import(path.join(dir, 'index.ts'))) as { createClient(options: object): Api };
  nodeFetch = ((await import(path.join(dir, 'node.ts'))) as { createNodeFetch(): unknown }).createNodeFetch;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const bytes = Buffer.concat(chunks);
        const json = (status: number, value: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.method === 'POST') {
          const form = await new Request('http://x', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: bytes }).formData();
          const file = form.get('file') as File;
          const data = new Uint8Array(await file.arrayBuffer());
          return json(201, { size: data.byteLength, filename: file.name, type: file.type, purpose: String(form.get('purpose')), sha: sha(data) });
        }
        const name = decodeURIComponent((req.url ?? '').split('/').pop() ?? '');
        if (req.method === 'PUT') {
          if (failNextPut) {
            failNextPut = false;
            return json(503, { retry: true });
          }
          blobs.set(name, bytes);
          return json(200, { size: bytes.byteLength, type: req.headers['content-type'], sha: sha(bytes) });
        }
        const blob = blobs.get(name) ?? Buffer.alloc(0);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.byteLength });
        res.end(blob);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = (events, retry) => mod.createClient({ baseUrl, ...(events ? { onEvent: (e: { type: string }) => events.push(e) } : {}), ...(retry ? { retry } : {}) });
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const bytesOf = (n: number): Uint8Array<ArrayBuffer> => Uint8Array.from({ length: n }, (_, i) => (i * 31) % 251);
function streamOf(bytes: Uint8Array<ArrayBuffer>, chunk = 1000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, (offset += chunk)));
    },
  });
}

describe('uploads', () => {
  it('multipart: a File keeps its name and type', async () => {
    const data = bytesOf(5000);
    const r = await api().uploadFile({ body: { file: new File([data], 'photo.png', { type: 'image/png' }), purpose: 'avatar' } });
    expect(r.data).toEqual({ size: 5000, filename: 'photo.png', type: 'image/png', purpose: 'avatar', sha: sha(data) });
  });

  it('multipart: a ReadableStream file part with its name and type is streamed', async () => {
    const data = bytesOf(70_000);
    const r = await api().uploadFile({ body: { file: { body: streamOf(data), filename: 'export.jsonl', contentType: 'application/jsonl' }, purpose: 'batch' } });
    expect(r.data).toEqual({ size: 70_000, filename: 'export.jsonl', type: 'application/jsonl', purpose: 'batch', sha: sha(data) });
  });

  it('raw binary: a Blob is re-sent on a retry; progress is reported per attempt', async () => {
    const data = bytesOf(100_000);
    const events: Events = [];
    failNextPut = true;
    const r = await api(events, { maxAttempts: 2, baseMs: 1, capMs: 2 }).putBlob({ path: { name: 'a' }, body: new Blob([data]) });
    expect(r.status).toBe(200);
    expect(r.data).toMatchObject({ size: 100_000, sha: sha(data), type: 'application/octet-stream' });
    const progress = events.filter((e) => e.type === 'upload-progress');
    expect(progress.at(-1)).toMatchObject({ loaded: 100_000, total: 100_000 });
    expect(events.filter((e) => e.type === 'request')).toHaveLength(2);
  });

  it('raw binary: a ReadableStream is sent once, never retried', async () => {
    failNextPut = true;
    const r = await api(undefined, { maxAttempts: 3, baseMs: 1, capMs: 2 }).putBlob({ path: { name: 'b' }, body: streamOf(bytesOf(10)) });
    expect(r.status).toBe(503);
    failNextPut = false;
    const data = bytesOf(33_333);
    const ok = await api().putBlob({ path: { name: 'b' }, body: streamOf(data) });
    expect(ok.data).toMatchObject({ size: 33_333, sha: sha(data) });
  });
});

describe('downloads', () => {
  it('a binary response is a BinaryBody: streamed in chunks, with progress', async () => {
    const data = bytesOf(300_000);
    await api().putBlob({ path: { name: 'big' }, body: new Blob([data]) });
    const events: Events = [];
    const r = await api(events).getBlob({ path: { name: 'big' } });
    expect(r.data.size).toBe(300_000);
    const hash = createHash('sha256');
    let chunks = 0;
    const reader = r.data.stream().getReader();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      chunks++;
      hash.update(chunk.value);
    }
    expect(hash.digest('hex')).toBe(sha(data));
    expect(chunks).toBeGreaterThan(1);
    expect(events.filter((e) => e.type === 'download-progress').at(-1)).toMatchObject({ loaded: 300_000, total: 300_000 });
    expect(() => r.data.stream()).toThrow(/already read/);
  });
});

describe('createNodeFetch (node target)', () => {
  it('uploads streams and files and downloads bytes through node:http', async () => {
    const client = (await import(path.join(dir, 'index.ts'))) as { createClient(options: object): Api };
    const viaNode = client.createClient({ baseUrl, fetch: nodeFetch() });
    const data = bytesOf(250_000);
    expect((await viaNode.putBlob({ path: { name: 'n' }, body: streamOf(data, 4096) })).data).toMatchObject({ size: 250_000, sha: sha(data) });
    const multipart = await viaNode.uploadFile({ body: { file: new File([data], 'n.bin', { type: 'application/x-n' }), purpose: 'p' } });
    expect(multipart.data).toEqual({ size: 250_000, filename: 'n.bin', type: 'application/x-n', purpose: 'p', sha: sha(data) });
    const down = await viaNode.getBlob({ path: { name: 'n' } });
    expect(sha(new Uint8Array(await down.data.arrayBuffer()))).toBe(sha(data));
  });
});
