import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/index.js';

/**
 * The stateful mock under hostile clients: server-owned fields are the mock's, memory is capped in bytes as well as
 * items, and nothing outside the contract is served.
 */

const ORDERS = path.resolve('fixtures/mock-orders-owned.yaml');
const PETS = path.resolve('fixtures/mock-pets.yaml');
const json = { 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('server-owned fields', () => {
  let orders: MockServer;
  let pets: MockServer;
  beforeAll(async () => {
    orders = await startMockServer({ spec: ORDERS, stateful: true, onLog: () => undefined });
    pets = await startMockServer({ spec: PETS, stateful: true, onLog: () => undefined });
  });
  afterAll(async () => {
    await orders.close();
    await pets.close();
  });

  test('a readOnly id and status sent by the client are ignored: the mock sets them (before: echoed and stored)', async () => {
    const created = await fetch(`${orders.url}/orders`, { method: 'POST', headers: json, body: JSON.stringify({ id: 'evil\r\nSet-Cookie: x=1', status: 'bogus', amount: 5 }) });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; status: string; amount: number };
    expect(body.id).toMatch(UUID);
    expect(['pending', 'paid']).toContain(body.status);
    expect(body.amount).toBe(5);
    expect(created.headers.get('location') ?? '').not.toMatch(/[\r\n]/);
    const read = await fetch(`${orders.url}/orders/${body.id}`);
    expect(await read.json()).toEqual(body);
    // A merge patch cannot reach them either.
    const patched = await fetch(`${orders.url}/orders/${body.id}`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ amount: 9, status: 'bogus', id: 'other' }) });
    expect(await patched.json()).toEqual({ ...body, amount: 9 });
  });

  test('a numeric id chosen by the client is not used; readOnly createdAt stays the mock’s', async () => {
    const created = await fetch(`${pets.url}/pets`, { method: 'POST', headers: json, body: JSON.stringify({ id: 424242, name: 'Mine', kind: 'cat', createdAt: '1970-01-01T00:00:00Z' }) });
    const pet = (await created.json()) as { id: number; createdAt: string };
    expect(pet.id).not.toBe(424242);
    expect(pet.createdAt).not.toBe('1970-01-01T00:00:00Z');
    expect((await fetch(`${pets.url}/pets/424242`)).status).toBe(404);
    const replaced = await fetch(`${pets.url}/pets/${pet.id}`, { method: 'PUT', headers: json, body: JSON.stringify({ id: 1, name: 'Mine', kind: 'dog', createdAt: '1970-01-01T00:00:00Z' }) });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({ id: pet.id, createdAt: pet.createdAt, kind: 'dog' });
  });

  test('stored data outside the contract (a seed example) is never served: generated data instead, with a warning', async () => {
    const bad = await fetch(`${orders.url}/orders/a1b2c3d4-0000-4000-8000-000000000002`);
    expect(bad.status).toBe(200);
    expect(bad.headers.get('x-concord-mock-warning')).toMatch(/does not match the response schema/);
    const body = (await bad.json()) as { status: string };
    expect(['pending', 'paid']).toContain(body.status);
    const list = await fetch(`${orders.url}/orders`);
    const items = (await list.json()) as Array<{ status: string }>;
    for (const item of items) expect(['pending', 'paid']).toContain(item.status);
  });
});

describe('memory cap', () => {
  test('bytes as well as items: the oldest go first, with a log line (before: 300 x 1 MB items kept, 590 MB RSS)', async () => {
    const logs: string[] = [];
    const mock = await startMockServer({ spec: ORDERS, stateful: true, maxStoredBytes: 100_000, onLog: (line) => logs.push(line) });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await fetch(`${mock.url}/orders`, { method: 'POST', headers: json, body: JSON.stringify({ amount: i + 1, note: 'x'.repeat(15_000) }) });
        expect(response.status).toBe(201);
        ids.push(((await response.json()) as { id: string }).id);
      }
      expect(logs.some((line) => /stateful store full .* evicted the \d+ oldest item/.test(line))).toBe(true);
      expect((await fetch(`${mock.url}/orders/${ids[0]}`)).status).toBe(404);
      expect((await fetch(`${mock.url}/orders/${ids[29]}`)).status).toBe(200);
      const kept = (await (await fetch(`${mock.url}/orders`)).json()) as unknown[];
      expect(JSON.stringify(kept).length).toBeLessThanOrEqual(100_000 + 2_000);
      expect(kept.length).toBeLessThan(30);
    } finally {
      await mock.close();
    }
  });
});
