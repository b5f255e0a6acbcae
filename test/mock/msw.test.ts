import { rmSync } from 'node:fs';
import path from 'node:path';
import { setupServer } from 'msw/node';
import type { HttpHandler } from 'msw';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mswPath } from '../../src/generators/msw/index.js';
import { generateInto, importClient, op } from './helpers.js';

/**
 * The generated MSW handlers under the real msw (msw/node intercepts fetch) and the in-process mock (mock.ts),
 * checked for the same realism: a created resource is echoed with an id a later GET returns, an unknown id gets
 * the contract's 404, an invalid body the contract's 400 with a real problem body, a missing credential 401, and
 * idempotency keys are scoped by operation, not by how the URL is spelled.
 */
const SPEC = path.resolve('fixtures/mock-pets.yaml');
const ORIGIN = 'https://pets.example.com';
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Pet {
  id: number;
  name: string;
  kind: string;
}

async function realism(base: string): Promise<void> {
  const created = await fetch(`${base}/v1/pets`, { method: 'POST', headers: { ...JSON_HEADERS, 'idempotency-key': 'k-1' }, body: JSON.stringify({ name: 'Biscuit', kind: 'dog' }) });
  expect(created.status).toBe(201);
  const pet = (await created.json()) as Pet;
  expect(pet).toMatchObject({ name: 'Biscuit', kind: 'dog', id: expect.any(Number) });
  const read = await fetch(`${base}/v1/pets/${pet.id}`);
  expect(read.status).toBe(200);
  expect(await read.json()).toEqual(pet);

  // The same key on the same operation, spelled without the server's base path: a replay, not a conflict.
  const replay = await fetch(`${base}/pets`, { method: 'POST', headers: { ...JSON_HEADERS, 'idempotency-key': 'k-1' }, body: JSON.stringify({ name: 'Biscuit', kind: 'dog' }) });
  expect(replay.status).toBe(201);
  expect(((await replay.json()) as Pet).id).toBe(pet.id);

  const missing = await fetch(`${base}/v1/pets/987654`);
  expect(missing.status).toBe(404);
  // The contract's 404 schema is { code: integer, message: string }: filled with what happened, not filler.
  expect(await missing.json()).toEqual({ code: 404, message: 'No item with id "987654".' });

  const invalid = await fetch(`${base}/v1/pets`, { method: 'POST', headers: { ...JSON_HEADERS, 'idempotency-key': 'k-2' }, body: JSON.stringify({ kind: 'dragon' }) });
  expect(invalid.status).toBe(400);
  expect(invalid.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await invalid.json()) as { type: string; title: string; status: number; detail: string };
  expect(problem).toMatchObject({ type: 'urn:concord:problem:request-validation', status: 400 });
  expect(problem.detail).toContain('/body/name');

  const anonymous = await fetch(`${base}/v1/me`);
  expect(anonymous.status).toBe(401);
  expect(await anonymous.json()).toMatchObject({ status: 401, title: 'Unauthorized', detail: expect.stringContaining('X-API-Key') });
  expect((await fetch(`${base}/v1/me`, { headers: { 'x-api-key': 'secret' } })).status).toBe(200);
}

describe('msw target (real msw)', () => {
  let dir = '';
  let module: { handlers: HttpHandler[]; createHandlers(options?: Record<string, unknown>): HttpHandler[] };
  beforeAll(async () => {
    dir = await generateInto(SPEC, ['types', 'zod', 'client', 'msw'], 'msw');
    module = (await import(path.join(dir, 'msw.ts'))) as typeof module;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('one handler per operation, literal paths first', () => {
    expect(mswPath('/pets/{petId}')).toBe('*/pets/:petId');
    expect(mswPath('/files/{file-name}.{ext}')).toBe('*/files/:file_name.:ext');
    expect(module.handlers.map((h) => `${h.info.method} ${String(h.info.path)}`)).toEqual([
      'GET */me',
      'GET */pets',
      'POST */pets',
      'GET */reports/summary',
      'DELETE */pets/:petId',
      'GET */pets/:petId',
      'PATCH */pets/:petId',
      'PUT */pets/:petId',
    ]);
  });

  test('created resources, contract errors, problem bodies and idempotency, through msw/node', async () => {
    const server = setupServer(...module.createHandlers());
    server.listen({ onUnhandledRequest: 'error' });
    try {
      await realism(ORIGIN);
      // The generated client against the same handlers: create, then read back by id.
      const api = (await importClient(dir)).createClient({ baseUrl: `${ORIGIN}/v1` });
      const created = await op(api, 'createPet')({ body: { name: 'Client', kind: 'cat' } });
      expect(created.status).toBe(201);
      const id = (created.data as Pet).id;
      const read = await op(api, 'getPet')({ path: { petId: id } });
      expect(read.data).toMatchObject({ id, name: 'Client', kind: 'cat' });
    } finally {
      server.close();
    }
  });

  test('each createHandlers() has its own state', async () => {
    const first = setupServer(...module.createHandlers());
    first.listen({ onUnhandledRequest: 'error' });
    let id = 0;
    try {
      const created = await fetch(`${ORIGIN}/v1/pets`, { method: 'POST', headers: { ...JSON_HEADERS, 'idempotency-key': 'iso' }, body: JSON.stringify({ name: 'Only here', kind: 'cat' }) });
      id = ((await created.json()) as Pet).id;
      expect((await fetch(`${ORIGIN}/v1/pets/${id}`)).status).toBe(200);
    } finally {
      first.close();
    }
    const second = setupServer(...module.createHandlers());
    second.listen({ onUnhandledRequest: 'error' });
    try {
      expect((await fetch(`${ORIGIN}/v1/pets/${id}`)).status).toBe(404);
    } finally {
      second.close();
    }
  });
});

describe('in-process mock (mock.ts): the same realism, stateful by default', () => {
  test('startMock() with no options', async () => {
    const dir = await generateInto(SPEC, ['types', 'zod', 'client', 'mock'], 'inproc');
    try {
      const { startMock } = (await import(path.join(dir, 'mock.ts'))) as { startMock(): Promise<{ url: string; close(): Promise<void> }> };
      const mock = await startMock();
      try {
        await realism(mock.url);
      } finally {
        await mock.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
