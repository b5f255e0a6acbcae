import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { getAmbientCorrelationId, withCorrelationId } from '../../../templates/runtime/correlation-node.js';
import { createMemoryIdempotencyStore } from '../../../templates/runtime/idempotency.js';
import { serveNode, type RunningServer } from '../../../templates/runtime/server-node.js';
import { createRouterCore } from '../../../templates/runtime/server-router.js';
import type { AnyHandler, RouteSpec, ServerEvent } from '../../../templates/runtime/server-types.js';

/** Routes written by hand (what the generator would emit), for the media types the petstore fixture lacks. */
const base = { params: [], bodyRequired: false, idempotency: { mode: 'safe' as const, header: 'Idempotency-Key', required: false } };
const routes: RouteSpec[] = [
  {
    ...base,
    name: 'events',
    id: 'events',
    method: 'GET',
    path: '/events',
    body: [],
    responses: { '200': [{ mediaType: 'text/event-stream', encoding: 'text', streaming: true }] },
    schemas: { responses: { '200': { 'text/event-stream': z.string() } } },
  },
  {
    ...base,
    name: 'upload',
    id: 'upload',
    method: 'POST',
    path: '/uploads',
    body: [
      { mediaType: 'multipart/form-data', encoding: 'multipart', hint: { object: { count: 'integer', file: 'any' } } },
      { mediaType: 'application/octet-stream', encoding: 'binary' },
    ],
    bodyRequired: true,
    responses: { '201': [{ mediaType: 'application/json', encoding: 'json' }] },
    schemas: {
      body: { 'multipart/form-data': z.object({ count: z.int(), file: z.instanceof(Blob) }), 'application/octet-stream': z.instanceof(Blob) },
      responses: { '201': { 'application/json': z.object({ bytes: z.int(), count: z.int() }) } },
    },
  },
  {
    ...base,
    name: 'note',
    id: 'note',
    method: 'POST',
    path: '/notes',
    body: [{ mediaType: 'application/json', encoding: 'json' }],
    idempotency: { mode: 'keyed', header: 'Idempotency-Key', required: false },
    responses: { '201': [{ mediaType: 'application/json', encoding: 'json' }] },
    schemas: { body: { 'application/json': z.object({ text: z.string() }) }, responses: { '201': { 'application/json': z.object({ n: z.int() }) } } },
  },
];

let notes = 0;
const handlers: Record<string, AnyHandler> = {
  events: () => ({
    status: 200,
    body: new ReadableStream<Uint8Array>({
      start(controller) {
        for (const n of [1, 2, 3]) controller.enqueue(new TextEncoder().encode(`data: ${n}\n\n`));
        controller.close();
      },
    }),
  }),
  upload: async (input) => {
    const body = input.body;
    if (body instanceof Blob) return { status: 201, body: { bytes: body.size, count: 0 } };
    const parsed = z.object({ count: z.number(), file: z.instanceof(Blob) }).parse(body);
    return { status: 201, body: { bytes: parsed.file.size, count: parsed.count } };
  },
  note: (_input, context) => ({ status: 201, body: { n: ++notes }, headers: { 'x-ambient': getAmbientCorrelationId() ?? 'none', 'x-key': context.idempotencyKey ?? 'none' } }),
};

const events: ServerEvent[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
async function serve(): Promise<string> {
  const router = createRouterCore(routes, handlers, { runWithCorrelationId: withCorrelationId, onEvent: (e) => events.push(e), idempotency: { store: createMemoryIdempotencyStore() } });
  const server = await serveNode(router);
  servers.push(server);
  return server.url;
}

describe('router over node:http', () => {
  it('streams a streaming response as it is produced', async () => {
    const url = await serve();
    const response = await fetch(`${url}/events`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.text()).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\n');
  });

  it('reads multipart and binary bodies, typing form fields', async () => {
    const url = await serve();
    const form = new FormData();
    form.append('count', '3');
    form.append('file', new Blob([new Uint8Array([1, 2, 3, 4])]), 'a.bin');
    const multipart = await fetch(`${url}/uploads`, { method: 'POST', body: form });
    expect(await multipart.json()).toEqual({ bytes: 4, count: 3 });
    const binary = await fetch(`${url}/uploads`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(10) });
    expect(await binary.json()).toEqual({ bytes: 10, count: 0 });
    const broken = await fetch(`${url}/uploads`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: 'not multipart' });
    expect(broken.status).toBe(400);
  });

  it('runs handlers inside the ambient correlation context, and keys are optional where the contract says so', async () => {
    const url = await serve();
    const post = (headers: Record<string, string>): Promise<Response> => fetch(`${url}/notes`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"text":"a"}' });
    const unkeyed = await post({ 'x-correlation-id': 'c-1' });
    expect(unkeyed.headers.get('x-ambient')).toBe('c-1');
    expect(unkeyed.headers.get('x-key')).toBe('none');
    const again = await post({});
    expect((await again.json()).n).toBe((await unkeyed.json()).n + 1);
    const keyed = await post({ 'Idempotency-Key': 'n-1' });
    const replay = await post({ 'Idempotency-Key': 'n-1', 'x-correlation-id': 'c-2' });
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(replay.headers.get('x-correlation-id')).toBe('c-2');
    expect(await replay.json()).toEqual(await keyed.json());
    const tooLong = await post({ 'Idempotency-Key': 'k'.repeat(300) });
    expect(tooLong.status).toBe(400);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['idempotent-replay', 'idempotency-rejected']));
  });
});
