import { afterEach, describe, expect, it } from 'vitest';
import { createResilientSend, type RetryPolicy } from '../../../templates/runtime/resilience.js';
import { CallFailedError } from '../../../templates/runtime/resilience-errors.js';
import { retryPolicyFromContract } from '../../../templates/runtime/retry-contract.js';
import { closedPort, header, reply, startServer, type TestServer } from './flaky-server.js';
import { eventLog, fakeTime, operation, post, sequence } from './harness.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('keyed calls', () => {
  it('retries a keyed POST until it succeeds, with one key and exactly one side effect on the server', async () => {
    const effects = new Map<string, { id: number }>();
    let created = 0;
    const server = await serve((req, res) => {
      const key = header(req, 'idempotency-key') ?? '';
      if (req.index === 0) return reply(res, 503, { title: 'gateway busy' }); // fails before the handler runs
      const stored = effects.get(key);
      if (stored !== undefined) return reply(res, 201, stored, { 'idempotency-replayed': 'true' });
      created++;
      effects.set(key, { id: created });
      if (req.index === 1) {
        res.socket?.destroy(); // processed, but the response is lost on the way back
        return;
      }
      return reply(res, 201, { id: created });
    });
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, random: () => 0.5, onEvent: log.onEvent });

    const response = await send(post(`${server.url}/things`, { name: 'a' }), operation('POST', 'keyed'), {});

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 1 });
    expect(response.headers.get('idempotency-replayed')).toBe('true');
    expect(created).toBe(1);
    expect(server.requests).toHaveLength(3);
    const keys = server.requests.map((r) => header(r, 'idempotency-key'));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(UUID_V4);
    expect(server.requests.every((r) => r.body === '{"name":"a"}')).toBe(true);
    const reasons = log.ofType('retry-scheduled').map((e) => e.reason);
    expect(reasons[0]).toBe('status 503');
    expect(reasons[1]).toMatch(/^network (UND_ERR_SOCKET|ECONNRESET)$/); // undici reports a dropped socket either way
  });

  it("uses the caller's business key on every attempt", async () => {
    const server = await serve((req, res) => reply(res, req.index < 2 ? 503 : 201));
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep });
    const response = await send(post(server.url, {}), operation('POST', 'keyed'), { idempotencyKey: 'order-42' });
    expect(response.status).toBe(201);
    expect(server.requests.map((r) => header(r, 'idempotency-key'))).toEqual(['order-42', 'order-42', 'order-42']);
  });

  it('sends no key for operations that are not keyed', async () => {
    const server = await serve((_req, res) => reply(res, 200));
    const { send } = createResilientSend();
    await send(new Request(server.url, { method: 'PUT', body: '{}' }), operation('PUT', 'idempotent'), {});
    expect(header(server.requests[0]!, 'idempotency-key')).toBeUndefined();
  });
});

describe('mode none', () => {
  it('does not retry a POST after a timeout: the request may have reached the server', async () => {
    const server = await serve((req, res) => {
      if (req.index > 0) reply(res, 201);
      // the first request hangs
    });
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, onEvent: log.onEvent });
    const error: unknown = await send(post(server.url, {}), operation('POST', 'none'), { timeoutMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallFailedError);
    expect(error).toMatchObject({ kind: 'timeout', attempts: 1, name: 'TimeoutError' });
    expect(server.requests).toHaveLength(1);
    expect(log.ofType('retry-scheduled')).toHaveLength(0);
    expect(log.ofType('gave-up')).toMatchObject([{ reason: 'not-retryable', lastError: 'timeout' }]);
  });

  it('retries the same timeout for an idempotent PUT, and for a POST whose caller opts in', async () => {
    for (const [method, mode, options] of [
      ['PUT', 'idempotent', {}],
      ['POST', 'none', { retryUnsafe: true }],
    ] as const) {
      const server = await serve((req, res) => {
        if (req.index > 0) reply(res, 200);
      });
      const time = fakeTime();
      const { send } = createResilientSend({ now: time.now, sleep: time.sleep });
      // Generous, so the prompt second attempt cannot time out too on a loaded machine.
      const response = await send(new Request(server.url, { method, body: '{}' }), operation(method, mode), { timeoutMs: 1000, ...options });
      expect(response.status).toBe(200);
      expect(server.requests).toHaveLength(2);
    }
  });

  it('retries a POST when the connection was refused (the request never left) and it has one effect', async () => {
    const port = await closedPort();
    const time = fakeTime();
    const log = eventLog();
    let server: TestServer | undefined;
    const { send } = createResilientSend({
      now: time.now,
      random: () => 0.5,
      onEvent: log.onEvent,
      sleep: async (ms) => {
        time.sleeps.push(ms);
        server ??= await serve((_req, res) => reply(res, 201, { ok: true }), port);
      },
    });
    const response = await send(post(`http://127.0.0.1:${port}/things`, {}), operation('POST', 'none'), {});
    expect(response.status).toBe(201);
    expect(server?.requests).toHaveLength(1);
    expect(log.ofType('attempt-failed')).toMatchObject([{ failure: 'network', code: 'ECONNREFUSED' }]);
  });

  it('does not retry a POST whose connection dropped after the server read it', async () => {
    const server = await serve((req, res) => {
      if (req.index === 0) res.socket?.destroy();
      else reply(res, 201);
    });
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep });
    const error: unknown = await send(post(server.url, {}), operation('POST', 'none'), {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network' });
    expect(error).toHaveProperty('code', expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/));
    expect(server.requests).toHaveLength(1);
  });
});

describe('retry schedule', () => {
  const cases: Array<{ name: string; policy: Partial<RetryPolicy>; random: number[]; want: number[] }> = [
    { name: 'full jitter doubles the ceiling', policy: { baseMs: 100, capMs: 10_000, floorMs: 0 }, random: [0.5, 0.5, 0.5, 0.5], want: [50, 100, 200, 400] },
    { name: 'the ceiling stops at the cap', policy: { baseMs: 100, capMs: 250, floorMs: 0 }, random: [0.99, 0.99, 0.99, 0.99], want: [99, 198, 247, 247] },
    { name: 'a draw near zero is raised to the floor', policy: { baseMs: 100, capMs: 10_000, floorMs: 50 }, random: [0, 0.001, 0.9, 0], want: [50, 50, 360, 50] },
    { name: 'exponent 3', policy: { baseMs: 10, capMs: 10_000, floorMs: 0, exponent: 3 }, random: [1 - 1e-9, 0.5, 0.5, 0.5], want: [9, 15, 45, 135] },
  ];
  it.each(cases)('$name', async ({ policy, random, want }) => {
    const server = await serve((req, res) => reply(res, req.index < 4 ? 503 : 200));
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, random: sequence(random), retry: { ...policy, maxAttempts: 5 }, onEvent: log.onEvent });
    const response = await send(new Request(server.url), operation('GET', 'safe'), {});
    expect(response.status).toBe(200);
    expect(time.sleeps).toEqual(want);
    expect(log.ofType('retry-scheduled').map((e) => [e.delayMs, e.delaySource])).toEqual(want.map((d) => [d, 'backoff']));
  });

  const hints: Array<{ name: string; headers: Record<string, string>; want: number; source: string }> = [
    { name: 'Retry-After in seconds', headers: { 'retry-after': '2' }, want: 2000, source: 'retry-after' },
    { name: 'Retry-After as an HTTP date', headers: { 'retry-after': 'Tue, 01 Jan 2030 00:00:05 GMT' }, want: 5000, source: 'retry-after' },
    { name: 'Retry-After date in the past', headers: { 'retry-after': 'Mon, 31 Dec 2029 23:00:00 GMT' }, want: 0, source: 'retry-after' },
    { name: 'retry-after-ms', headers: { 'retry-after-ms': '1234' }, want: 1234, source: 'retry-after-ms' },
    { name: 'retry-after-ms wins over Retry-After', headers: { 'retry-after-ms': '300', 'retry-after': '9' }, want: 300, source: 'retry-after-ms' },
    { name: 'a hint above the cap (10 s) is honoured within the elapsed-time limit (60 s)', headers: { 'retry-after': '30' }, want: 30_000, source: 'retry-after' },
    { name: 'an unreadable hint falls back to backoff', headers: { 'retry-after': 'soon' }, want: 100, source: 'backoff' },
  ];
  it.each(hints)('$name', async ({ headers, want, source }) => {
    const server = await serve((req, res) => (req.index === 0 ? reply(res, 429, {}, headers) : reply(res, 200)));
    const time = fakeTime(Date.parse('2030-01-01T00:00:00Z'));
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, random: () => 0.5, onEvent: log.onEvent });
    expect((await send(new Request(server.url), operation('GET', 'safe'), {})).status).toBe(200);
    expect(time.sleeps).toEqual([want]);
    expect(log.ofType('retry-scheduled')[0]).toMatchObject({ delayMs: want, delaySource: source, reason: 'status 429' });
  });
});

describe('a server hint beyond the elapsed-time limit', () => {
  it('is not cut short to the cap: the call gives up at once with the deadline as the reason', async () => {
    const server = await serve((_req, res) => reply(res, 429, {}, { 'retry-after': '120' }));
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, onEvent: log.onEvent });
    const response = await send(new Request(server.url), operation('GET', 'safe'), {});
    expect(response.status).toBe(429);
    expect(server.requests).toHaveLength(1);
    expect(time.sleeps).toEqual([]);
    expect(log.ofType('gave-up')[0]).toMatchObject({ reason: 'deadline', lastStatus: 429 });
  });

  it('a contract that allows a longer elapsed time waits the whole hint', async () => {
    const server = await serve((req, res) => (req.index === 0 ? reply(res, 503, {}, { 'retry-after': '120' }) : reply(res, 200)));
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, onEvent: log.onEvent });
    const retry = retryPolicyFromContract({ backoff: { maxInterval: 5_000, maxElapsedTime: 600_000 }, statusCodes: ['5XX'] });
    const response = await send(new Request(server.url), { ...operation('GET', 'safe'), ...(retry ? { retry } : {}) }, {});
    expect(response.status).toBe(200);
    expect(time.sleeps).toEqual([120_000]);
    expect(log.ofType('retry-scheduled')[0]).toMatchObject({ delayMs: 120_000, delaySource: 'retry-after' });
  });
});

describe('which responses are retried', () => {
  const cases: Array<{ name: string; method: string; mode: 'safe' | 'idempotent' | 'keyed' | 'none'; status: number; headers?: Record<string, string>; requests: number }> = [
    { name: 'GET 503', method: 'GET', mode: 'safe', status: 503, requests: 2 },
    { name: 'GET 404', method: 'GET', mode: 'safe', status: 404, requests: 1 },
    { name: 'GET 503 with x-should-retry: false', method: 'GET', mode: 'safe', status: 503, headers: { 'x-should-retry': 'false' }, requests: 1 },
    { name: 'GET 400 with x-should-retry: true', method: 'GET', mode: 'safe', status: 400, headers: { 'x-should-retry': 'true' }, requests: 2 },
    { name: 'POST (none) 503', method: 'POST', mode: 'none', status: 503, requests: 1 },
    { name: 'POST (none) 503 with x-should-retry: true', method: 'POST', mode: 'none', status: 503, headers: { 'x-should-retry': 'true' }, requests: 2 },
    { name: 'POST (keyed) 409', method: 'POST', mode: 'keyed', status: 409, requests: 2 },
    { name: 'PUT (idempotent) 409', method: 'PUT', mode: 'idempotent', status: 409, requests: 1 },
    { name: 'DELETE (idempotent) 502', method: 'DELETE', mode: 'idempotent', status: 502, requests: 2 },
  ];
  it.each(cases)('$name: $requests request(s)', async ({ method, mode, status, headers, requests }) => {
    const server = await serve((req, res) => (req.index === 0 ? reply(res, status, {}, headers) : reply(res, 200)));
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep });
    const init: RequestInit = method === 'GET' || method === 'DELETE' ? { method } : { method, body: '{}' };
    const response = await send(new Request(server.url, init), operation(method, mode), {});
    expect(server.requests).toHaveLength(requests);
    expect(response.status).toBe(requests === 1 ? status : 200);
  });
});

describe('ceilings and cancellation', () => {
  it('stops at maxAttempts and returns the last response when there is no dead-letter store', async () => {
    const server = await serve((_req, res) => reply(res, 503));
    const time = fakeTime();
    const log = eventLog();
    const { send, metrics } = createResilientSend({ now: time.now, sleep: time.sleep, onEvent: log.onEvent, retry: { maxAttempts: 4 } });
    const response = await send(new Request(server.url), operation('GET', 'safe'), {});
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(4);
    expect(log.ofType('gave-up')).toMatchObject([{ reason: 'attempts', attempts: 4, lastStatus: 503 }]);
    expect(metrics()).toMatchObject({ requests: 1, attempts: 4, retries: 3, gaveUp: 1 });
  });

  it('stops before a retry would start after maxElapsedMs', async () => {
    const server = await serve((_req, res) => reply(res, 503));
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, random: () => 0.999, onEvent: log.onEvent, retry: { maxAttempts: 10, baseMs: 200, maxElapsedMs: 1000 } });
    await send(new Request(server.url), operation('GET', 'safe'), {});
    // waits 199 and 399 (598 ms in all); the next (799) would end at 1397 > 1000
    expect(time.sleeps).toEqual([199, 399]);
    expect(server.requests).toHaveLength(3);
    expect(log.ofType('gave-up')).toMatchObject([{ reason: 'deadline', attempts: 3 }]);
  });

  it('gives up on connection errors after maxAttempts with a typed error', async () => {
    const port = await closedPort();
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep });
    const error: unknown = await send(new Request(`http://127.0.0.1:${port}/`), operation('GET', 'safe'), { correlationId: 'corr-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallFailedError);
    expect(error).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', attempts: 3, correlationId: 'corr-1' });
    expect(time.sleeps).toHaveLength(2);
  });

  it('honours retry: false per call and a per-operation policy', async () => {
    const server = await serve((_req, res) => reply(res, 503));
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep });
    await send(new Request(server.url), operation('GET', 'safe'), { retry: false });
    expect(server.requests).toHaveLength(1);
    await send(new Request(server.url), operation('GET', 'safe', { retry: { maxAttempts: 2 } }), {});
    expect(server.requests).toHaveLength(3);
    await send(new Request(server.url), operation('GET', 'safe', { retry: { maxAttempts: 2 } }), { retry: { maxAttempts: 5 } });
    expect(server.requests).toHaveLength(8);
  });

  it('an abort during the backoff wait stops retrying', async () => {
    const server = await serve((_req, res) => reply(res, 503));
    const controller = new AbortController();
    const log = eventLog();
    const { send } = createResilientSend({
      retry: { baseMs: 5_000, floorMs: 5_000 },
      onEvent: (event) => {
        log.onEvent(event);
        if (event.type === 'retry-scheduled') controller.abort();
      },
    });
    const error: unknown = await send(new Request(server.url), operation('GET', 'safe'), { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError', kind: 'aborted' });
    expect(server.requests).toHaveLength(1);
    expect(log.ofType('gave-up')).toHaveLength(0);
  });

  it('an abort while the request is in flight stops it, and a pre-aborted signal sends nothing', async () => {
    const controller = new AbortController();
    const server = await serve(() => controller.abort()); // never answers
    const { send } = createResilientSend();
    await expect(send(new Request(server.url), operation('GET', 'safe'), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
    await expect(send(new Request(server.url), operation('GET', 'safe'), { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'aborted', attempts: 0 });
    expect(server.requests).toHaveLength(1);
  });
});
