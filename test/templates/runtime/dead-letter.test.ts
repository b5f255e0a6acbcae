import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryDeadLetterStore, type DeadLetterRecord, type DeadLetterStore } from '../../../templates/runtime/dead-letter.js';
import { replayDeadLetters } from '../../../templates/runtime/dead-letter-replay.js';
import { createFileDeadLetterStore, LOG_FILE } from '../../../templates/runtime/dlq-file.js';
import { createResilientSend } from '../../../templates/runtime/resilience.js';
import { CallFailedError, DeadLetteredError } from '../../../templates/runtime/resilience-errors.js';
import { closedPort, header, reply, startServer, type TestServer } from './flaky-server.js';
import { allAuth, eventLog, fakeTime, operation, post } from './harness.js';

const servers: TestServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'concord-dlq-'));
  dirs.push(dir);
  return dir;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('parking on exhaustion', () => {
  it.each(['memory', 'file'] as const)('writes exactly one record (%s store) and the error names it', async (kind) => {
    const server = await serve((_req, res) => reply(res, 503, { title: 'down' }));
    const dir = tempDir();
    const store: DeadLetterStore = kind === 'memory' ? createMemoryDeadLetterStore() : await createFileDeadLetterStore(dir);
    const time = fakeTime(Date.parse('2030-01-01T00:00:00Z'));
    const log = eventLog();
    const { send, metrics } = createResilientSend({ now: time.now, sleep: time.sleep, random: () => 0.5, deadLetter: store, onEvent: log.onEvent });

    const error = await rejection(send(post(`${server.url}/things?page=1`, { n: 1 }), operation('POST', 'keyed'), { correlationId: 'corr-7' }));

    expect(error).toBeInstanceOf(DeadLetteredError);
    if (!(error instanceof DeadLetteredError)) return;
    const records = await store.list();
    expect(records).toHaveLength(1);
    const record = records[0]!;
    expect(error.recordId).toBe(record.id);
    expect(error.message).toContain(record.id);
    expect(error).toMatchObject({ status: 503, attempts: 3, correlationId: 'corr-7', operationId: 'postThing' });
    expect(record).toMatchObject({
      method: 'POST',
      url: `${server.url}/things?page=1`,
      body: { encoding: 'utf8', data: '{"n":1}' },
      correlationId: 'corr-7',
      operationId: 'postThing',
      attempts: 3,
      lastStatus: 503,
      lastError: null,
      reason: 'attempts',
      createdAt: '2030-01-01T00:00:00.300Z',
      firstAttemptAt: '2030-01-01T00:00:00.000Z',
      lastAttemptAt: '2030-01-01T00:00:00.300Z',
    });
    expect(record.idempotencyKey).toBe(header(server.requests[0]!, 'idempotency-key'));
    expect(record.headers['idempotency-key']).toBe(record.idempotencyKey);
    expect(record.headers['x-correlation-id']).toBe('corr-7');
    expect(log.ofType('dead-lettered')).toMatchObject([{ recordId: record.id, attempts: 3, correlationId: 'corr-7' }]);
    time.advance(4_700);
    expect(metrics()).toMatchObject({ deadLettered: 1, deadLetterDepth: 1, oldestParkedAgeMs: 4_700 });
    if ('close' in store && typeof store.close === 'function') await store.close();
    if (kind === 'file') {
      const lines = readFileSync(join(dir, LOG_FILE), 'utf8').split('\n').filter((l) => l !== '');
      expect(lines).toHaveLength(1);
    }
  });

  it('records the last error when every attempt failed to connect', async () => {
    const port = await closedPort();
    const store = createMemoryDeadLetterStore();
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, deadLetter: store });
    const error = await rejection(send(new Request(`http://127.0.0.1:${port}/x`), operation('GET', 'safe'), {}));
    expect(error).toMatchObject({ name: 'DeadLetteredError', status: null, attempts: 3 });
    const [record] = await store.list();
    expect(record).toMatchObject({ lastStatus: null, body: null, reason: 'attempts' });
    expect(record?.lastError).toMatch(/^network ECONNREFUSED: /);
  });

  const policies = [
    { policy: 'always', status: 400, parked: true },
    { policy: 'on-exhaustion', status: 400, parked: false },
    { policy: 'never', status: 503, parked: false },
    { policy: 'on-exhaustion', status: 503, parked: true },
  ] as const;
  it.each(policies)('deadLetter: $policy with a final $status parks: $parked', async ({ policy, status, parked }) => {
    const server = await serve((_req, res) => reply(res, status));
    const store = createMemoryDeadLetterStore();
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, deadLetter: store });
    const outcome = await send(new Request(server.url), operation('GET', 'safe'), { deadLetter: policy }).then(
      (response) => response.status,
      (error: unknown) => error,
    );
    expect(store.depth()).toBe(parked ? 1 : 0);
    if (parked) expect(outcome).toBeInstanceOf(DeadLetteredError);
    else expect(outcome).toBe(status);
    if (parked) expect((await store.list())[0]?.reason).toBe(status === 400 ? 'not-retryable' : 'attempts');
  });

  it('keeps a binary body exactly, as base64', async () => {
    const server = await serve((_req, res) => reply(res, 503));
    const store = createMemoryDeadLetterStore();
    const time = fakeTime();
    const bytes = new Uint8Array([0, 255, 254, 10, 13, 0x80, 0xc3]);
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, deadLetter: store });
    await rejection(send(new Request(server.url, { method: 'PUT', body: bytes }), operation('PUT', 'idempotent'), {}));
    const [record] = await store.list();
    expect(record?.body?.encoding).toBe('base64');
    expect([...Buffer.from(record?.body?.data ?? '', 'base64')]).toEqual([...bytes]);
  });

  it('reports a store that cannot park as a typed error, not as a lost request', async () => {
    const server = await serve((_req, res) => reply(res, 503));
    const broken: DeadLetterStore = { ...createMemoryDeadLetterStore(), put: async () => Promise.reject(new Error('disk full')) };
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, deadLetter: broken });
    const error = await rejection(send(new Request(server.url), operation('GET', 'safe'), { correlationId: 'c-9' }));
    expect(error).toBeInstanceOf(CallFailedError);
    expect(error).toMatchObject({ kind: 'dead-letter-failed', correlationId: 'c-9' });
    expect(String(error)).toContain('disk full');
  });
});

describe('replay', () => {
  it('re-sends parked requests with their key and correlation id, once each, and empties the queue', async () => {
    let healthy = false;
    const effects = new Map<string, number>();
    const server = await serve((req, res) => {
      if (!healthy) return reply(res, 503);
      if (header(req, 'authorization') !== 'Bearer fresh' || !req.url.includes('api_key=k2')) return reply(res, 401);
      const key = header(req, 'idempotency-key') ?? '';
      effects.set(key, (effects.get(key) ?? 0) + 1);
      return reply(res, 201);
    });
    const store = createMemoryDeadLetterStore();
    const time = fakeTime();
    const { send } = createResilientSend({
      now: time.now,
      sleep: time.sleep,
      deadLetter: store,
      plugins: allAuth([
        { kind: 'http-bearer', key: 'bearer' },
        { kind: 'api-key', key: 'key', in: 'query', name: 'api_key' },
      ]),
      auth: { bearer: 'stale-token', key: 'k1-secret' },
    });
    const security = [[{ scheme: 'bearer', scopes: [] }, { scheme: 'key', scopes: [] }]];
    for (const n of [1, 2, 3]) {
      await rejection(send(post(`${server.url}/orders`, { n }), operation('POST', 'keyed', { security }), { correlationId: `corr-${n}` }));
    }
    const parked: DeadLetterRecord[] = await store.list();
    expect(parked).toHaveLength(3);
    expect(parked.every((r) => r.headers['authorization'] === '[REDACTED]' && r.url.includes('api_key=[REDACTED]'))).toBe(true);

    // Still down: nothing is removed.
    const failedRun = await replayDeadLetters(store, fetch);
    expect(failedRun.delivered).toEqual([]);
    expect(failedRun.failed.map((f) => f.status)).toEqual([503, 503, 503]);
    expect(store.depth()).toBe(3);

    healthy = true;
    const before = server.requests.length;
    const summary = await replayDeadLetters(store, fetch, {
      authorize: async (request) => {
        const url = new URL(request.url);
        url.searchParams.set('api_key', 'k2');
        const headers = new Headers(request.headers);
        headers.set('authorization', 'Bearer fresh');
        return new Request(url, { method: request.method, headers, body: await request.arrayBuffer() });
      },
    });
    expect(summary.failed).toEqual([]);
    expect(summary.delivered).toEqual(parked.map((r) => r.id));
    expect(store.depth()).toBe(0);
    const replays = server.requests.slice(before);
    expect(replays.map((r) => [header(r, 'idempotency-key'), header(r, 'x-correlation-id'), r.body])).toEqual(
      parked.map((r, i) => [r.idempotencyKey, `corr-${i + 1}`, `{"n":${i + 1}}`]),
    );
    expect([...effects.values()]).toEqual([1, 1, 1]);
    expect(replays.every((r) => !JSON.stringify(r.headers).includes('REDACTED'))).toBe(true);
  });
});
