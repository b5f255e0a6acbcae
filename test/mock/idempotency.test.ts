import { describe, expect, test } from 'vitest';
import {
  createMemoryIdempotencyStore,
  doNotStore,
  handleIdempotency,
  requestFingerprint,
  REPLAYED_HEADER,
  type IdempotencyOperation,
} from '../../templates/runtime/idempotency.js';

/** The server-side Idempotency-Key rules, shared by mock and provider (templates/runtime/idempotency.ts). */

const keyed: IdempotencyOperation = { idempotency: { mode: 'keyed', header: 'Idempotency-Key', required: true } };
const optional: IdempotencyOperation = { idempotency: { mode: 'keyed', header: 'Idempotency-Key', required: false } };

function post(body: string, key: string | undefined, path = '/orders'): Request {
  return new Request(`http://api.test${path}`, { method: 'POST', headers: key === undefined ? {} : { 'Idempotency-Key': key, 'content-type': 'application/json' }, body });
}

function counter(status = 201): { run: () => Promise<Response>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      calls++;
      return new Response(JSON.stringify({ n: calls }), { status, headers: { 'content-type': 'application/json', 'x-run': String(calls) } });
    },
  };
}

describe('handleIdempotency', () => {
  test('a required key that is missing: 400 problem, the handler never runs', async () => {
    const store = createMemoryIdempotencyStore();
    const handler = counter();
    const response = await handleIdempotency(post('{}', undefined), keyed, store, {}, handler.run);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, header: 'Idempotency-Key' });
    expect(handler.calls()).toBe(0);
  });

  test('an optional key that is missing: the handler runs unguarded', async () => {
    const handler = counter();
    await handleIdempotency(post('{}', undefined), optional, createMemoryIdempotencyStore(), {}, handler.run);
    await handleIdempotency(post('{}', undefined), optional, createMemoryIdempotencyStore(), {}, handler.run);
    expect(handler.calls()).toBe(2);
  });

  test('same key and payload: the stored response is replayed and marked', async () => {
    const store = createMemoryIdempotencyStore();
    const handler = counter();
    const first = await handleIdempotency(post('{"a":1}', 'k1'), keyed, store, {}, handler.run);
    const second = await handleIdempotency(post('{"a":1}', 'k1'), keyed, store, {}, handler.run);
    expect(handler.calls()).toBe(1);
    expect(first.headers.get(REPLAYED_HEADER)).toBeNull();
    expect(second.headers.get(REPLAYED_HEADER)).toBe('true');
    expect(second.status).toBe(201);
    expect(second.headers.get('x-run')).toBe('1');
    expect(await second.json()).toEqual(await first.json());
  });

  test('a 5xx is stored and replayed too', async () => {
    const store = createMemoryIdempotencyStore();
    const handler = counter(503);
    await handleIdempotency(post('{}', 'k5'), keyed, store, {}, handler.run);
    const again = await handleIdempotency(post('{}', 'k5'), keyed, store, {}, handler.run);
    expect(again.status).toBe(503);
    expect(handler.calls()).toBe(1);
  });

  const mismatches: Array<{ name: string; second: Request }> = [
    { name: 'a different body', second: post('{"a":2}', 'k2') },
    { name: 'a different path', second: post('{"a":1}', 'k2', '/refunds') },
    { name: 'a different method', second: new Request('http://api.test/orders', { method: 'PUT', headers: { 'Idempotency-Key': 'k2' }, body: '{"a":1}' }) },
  ];
  for (const c of mismatches) {
    test(`same key with ${c.name}: 422`, async () => {
      const store = createMemoryIdempotencyStore();
      const handler = counter();
      await handleIdempotency(post('{"a":1}', 'k2'), keyed, store, {}, handler.run);
      const response = await handleIdempotency(c.second, keyed, store, {}, handler.run);
      expect(response.status).toBe(422);
      expect(handler.calls()).toBe(1);
    });
  }

  test('same key while the first is in flight: 409, then the replay once it finishes', async () => {
    const store = createMemoryIdempotencyStore();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slow = async (): Promise<Response> => {
      calls++;
      await gate;
      return new Response('done', { status: 200 });
    };
    const first = handleIdempotency(post('{}', 'k3'), keyed, store, {}, slow);
    // Let the first claim the key before the second arrives.
    await new Promise((resolve) => setImmediate(resolve));
    const concurrent = await handleIdempotency(post('{}', 'k3'), keyed, store, {}, slow);
    expect(concurrent.status).toBe(409);
    release();
    expect((await first).status).toBe(200);
    const after = await handleIdempotency(post('{}', 'k3'), keyed, store, {}, slow);
    expect(after.headers.get(REPLAYED_HEADER)).toBe('true');
    expect(await after.text()).toBe('done');
    expect(calls).toBe(1);
  });

  test('a response marked doNotStore releases the key, so a corrected request can use it', async () => {
    const store = createMemoryIdempotencyStore();
    let calls = 0;
    const rejectFirst = async (): Promise<Response> => {
      calls++;
      return calls === 1 ? doNotStore(new Response('bad', { status: 400 })) : new Response('ok', { status: 201 });
    };
    expect((await handleIdempotency(post('{"bad":true}', 'k4'), keyed, store, {}, rejectFirst)).status).toBe(400);
    expect(store.size).toBe(0);
    expect((await handleIdempotency(post('{"good":true}', 'k4'), keyed, store, {}, rejectFirst)).status).toBe(201);
  });

  test('a handler that throws keeps the key: the 500 is stored and replayed, without the error text', async () => {
    const store = createMemoryIdempotencyStore();
    let calls = 0;
    const boom = (): Promise<Response> => {
      calls++;
      return Promise.reject(new Error('boom: secret detail'));
    };
    const first = await handleIdempotency(post('{}', 'k6'), keyed, store, {}, boom);
    expect(first.status).toBe(500);
    expect(await first.text()).not.toContain('secret');
    const retry = await handleIdempotency(post('{}', 'k6'), keyed, store, {}, boom);
    expect(retry.status).toBe(500);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(calls).toBe(1);
  });

  test('a store that cannot complete keeps the key locked, then reports it abandoned, never re-run', async () => {
    let clock = 0;
    const memory = createMemoryIdempotencyStore({ lockTimeoutMs: 1_000, now: () => clock });
    const broken = { ...memory, complete: () => Promise.reject(new Error('disk full')) };
    const handler = counter();
    const outcomes: string[] = [];
    const first = await handleIdempotency(post('{}', 'k9'), keyed, broken, { onOutcome: (o) => outcomes.push(o.kind) }, handler.run);
    expect(first.status).toBe(500);
    expect((await handleIdempotency(post('{}', 'k9'), keyed, broken, {}, handler.run)).status).toBe(409);
    clock += 1_001;
    const unknown = await handleIdempotency(post('{}', 'k9'), keyed, broken, { onOutcome: (o) => outcomes.push(o.kind) }, handler.run);
    expect(unknown.status).toBe(500);
    expect(await unknown.json()).toMatchObject({ type: 'urn:concord:problem:idempotency-outcome-unknown' });
    expect(handler.calls()).toBe(1);
    expect(outcomes).toEqual(['store-failed', 'abandoned']);
  });

  test('operations that are not keyed pass straight through', async () => {
    const handler = counter();
    const store = createMemoryIdempotencyStore();
    await handleIdempotency(post('{}', 'k7'), { idempotency: { mode: 'none', header: 'Idempotency-Key', required: false } }, store, {}, handler.run);
    await handleIdempotency(post('{}', 'k7'), { idempotency: { mode: 'none', header: 'Idempotency-Key', required: false } }, store, {}, handler.run);
    expect(handler.calls()).toBe(2);
    expect(store.size).toBe(0);
  });

  test('the fingerprint covers method, path with query and the body digest', async () => {
    const body = new TextEncoder().encode('{}');
    expect(await requestFingerprint('post', 'http://x/a?b=1', body)).toBe('POST /a?b=1 44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('createMemoryIdempotencyStore', () => {
  test('keys expire after the ttl', async () => {
    let clock = 0;
    const store = createMemoryIdempotencyStore({ now: () => clock });
    expect(await store.claim('a', 'f', 1000)).toEqual({ state: 'claimed' });
    await store.complete('a', { status: 200, headers: [], bodyBase64: '' });
    clock = 999;
    expect((await store.claim('a', 'f', 1000)).state).toBe('completed');
    clock = 1000;
    expect((await store.claim('a', 'f', 1000)).state).toBe('claimed');
  });

  test('the key cap evicts the oldest completed key first, never one still in flight', async () => {
    const store = createMemoryIdempotencyStore({ maxKeys: 2 });
    const done = { status: 201, headers: [], bodyBase64: '' };
    await store.claim('a', 'f', 60_000);
    await store.claim('b', 'f', 60_000);
    // Both in flight: forgetting either would let its retry run a second time.
    expect((await store.claim('c', 'f', 60_000)).state).toBe('busy');
    await store.complete('a', done);
    await store.claim('c', 'f', 60_000);
    expect(store.size).toBe(2);
    expect((await store.claim('b', 'f', 60_000)).state).toBe('in-flight');
    expect((await store.claim('a', 'f', 60_000)).state).toBe('busy');
    await store.complete('b', done);
    expect((await store.claim('a', 'f', 60_000)).state).toBe('claimed');
  });

  test('the byte cap evicts stored responses', async () => {
    const store = createMemoryIdempotencyStore({ maxBytes: 100 });
    for (const key of ['a', 'b', 'c']) {
      await store.claim(key, 'f', 60_000);
      await store.complete(key, { status: 200, headers: [], bodyBase64: 'x'.repeat(40) });
    }
    expect(store.bytes).toBeLessThanOrEqual(100);
    expect((await store.claim('a', 'f', 60_000)).state).toBe('claimed');
  });
});
