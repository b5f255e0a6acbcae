import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDeadLetterStore, createPostgresIdempotencyStore, type PostgresPool } from '../../../templates/runtime/postgres.js';
import { createRouterCore } from '../../../templates/runtime/server-router.js';
import type { HandlerContext, RouteSpec } from '../../../templates/runtime/server-types.js';
import type { DeadLetterRecord } from '../../../templates/runtime/dead-letter.js';
import { replayDeadLetters } from '../../../templates/runtime/dead-letter-replay.js';
import { createResilientSend } from '../../../templates/runtime/resilience.js';
import { postgresUrl } from '../../generators/server/postgres.js';
import { operation, post } from './harness.js';

const url = postgresUrl();
const run = randomUUID().replace(/-/g, '').slice(0, 10);
let counter = 0;
const table = (what: string): string => `${what}_${run}_${++counter}`;

describe.skipIf(url === null)('PostgreSQL stores', () => {
  // Two pools stand for two processes: nothing is shared but the database.
  let poolA: pg.Pool;
  let poolB: pg.Pool;
  const dropped: string[] = [];

  beforeAll(() => {
    poolA = new pg.Pool({ connectionString: url ?? '', max: 10 });
    poolB = new pg.Pool({ connectionString: url ?? '', max: 10 });
  });
  afterAll(async () => {
    if (dropped.length > 0) await poolA.query(`DROP TABLE IF EXISTS ${dropped.join(', ')}`);
    await Promise.all([poolA?.end(), poolB?.end()]);
  });
  const track = (name: string): string => {
    dropped.push(name);
    return name;
  };

  it('takes a pg.Pool as it is', () => {
    const pool: PostgresPool = poolA;
    expect(typeof pool.connect).toBe('function');
  });

  describe('idempotency store', () => {
    const response = { status: 201, headers: [['content-type', 'application/json'], ['x-trace', 'a']] as Array<[string, string]>, bodyBase64: Buffer.from('{"id":1}').toString('base64') };

    it('classifies claims: claimed, in flight, mismatch, completed with the stored response', async () => {
      const name = track(table('idem'));
      const a = createPostgresIdempotencyStore(poolA, { table: name });
      const b = createPostgresIdempotencyStore(poolB, { table: name });
      expect(await a.claim('k', 'POST /pets abc', 60_000)).toEqual({ state: 'claimed' });
      expect(await b.claim('k', 'POST /pets abc', 60_000)).toEqual({ state: 'in-flight' });
      expect(await b.claim('k', 'POST /pets other', 60_000)).toEqual({ state: 'mismatch' });
      await a.complete('k', response);
      expect(await b.claim('k', 'POST /pets abc', 60_000)).toEqual({ state: 'completed', response });
    });

    it('claims a key exactly once among concurrent claimers', async () => {
      const name = track(table('idem'));
      const stores = [createPostgresIdempotencyStore(poolA, { table: name }), createPostgresIdempotencyStore(poolB, { table: name })];
      await stores[0]?.migrate();
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => stores[i % 2]?.claim('race', 'fp', 60_000)));
      expect(results.filter((r) => r?.state === 'claimed')).toHaveLength(1);
      expect(results.filter((r) => r?.state === 'in-flight')).toHaveLength(39);
    });

    it('releases a key so it can be claimed again, and expires and sweeps old keys', async () => {
      const name = track(table('idem'));
      const store = createPostgresIdempotencyStore(poolA, { table: name });
      await store.claim('released', 'fp', 60_000);
      await store.release('released');
      expect(await store.claim('released', 'fp', 60_000)).toEqual({ state: 'claimed' });
      // A TTL of 0 expires at once (database clock), so no test has to wait.
      await store.claim('expired', 'fp-old', 0);
      expect(await store.claim('expired', 'fp-new', 60_000)).toEqual({ state: 'claimed' });
      await store.claim('stale-1', 'fp', 0);
      await store.claim('stale-2', 'fp', 0);
      expect(await store.sweep()).toBe(2);
      expect((await poolA.query(`SELECT key FROM ${name} ORDER BY key`)).rows.map((r: { key: string }) => r.key)).toEqual(['expired', 'released']);
    });

    it('reports a claim still in flight past the lock timeout as abandoned and never hands it out again', async () => {
      const name = track(table('idem'));
      const dead = createPostgresIdempotencyStore(poolA, { table: name, lockTimeoutMs: 0 });
      const other = createPostgresIdempotencyStore(poolB, { table: name, lockTimeoutMs: 0 });
      expect(await dead.claim('k', 'fp', 60_000)).toEqual({ state: 'claimed' });
      // Before: the second claim took the key over and ran the operation again.
      expect(await other.claim('k', 'fp', 60_000)).toEqual({ state: 'abandoned' });
      expect(await other.claim('k', 'fp', 60_000)).toEqual({ state: 'abandoned' });
      await expect(other.complete('k', response)).rejects.toThrow(/no longer held/);
      // The slow original may still finish: the truth replaces "unknown".
      await dead.complete('k', { ...response, status: 202 });
      expect(await other.claim('k', 'fp', 60_000)).toMatchObject({ state: 'completed', response: { status: 202 } });
    });

    it('keeps its claim when completing fails, so a 500 can be stored in its place', async () => {
      const name = track(table('idem'));
      const store = createPostgresIdempotencyStore(poolA, { table: name });
      await store.claim('k', 'fp', 60_000);
      // jsonb refuses a NUL character: the completion fails in the database.
      await expect(store.complete('k', { ...response, headers: [['x-bad', 'a\u0000b']] })).rejects.toThrow();
      await store.complete('k', { ...response, status: 500 });
      expect(await store.claim('k', 'fp', 60_000)).toMatchObject({ state: 'completed', response: { status: 500 } });
    });

    it('commits the stored response with the handler’s write, or neither', async () => {
      const name = track(table('idem'));
      const effects = track(table('effects'));
      await poolA.query(`CREATE TABLE ${effects} (note text)`);
      const store = createPostgresIdempotencyStore(poolA, { table: name });

      await store.claim('ok', 'fp', 60_000);
      const tx = await store.begin();
      await tx.client.query(`INSERT INTO ${effects} VALUES ('ok')`);
      await tx.completeAndCommit('ok', response);

      await store.claim('rolled-back', 'fp', 60_000);
      const failed = await store.begin();
      await failed.client.query(`INSERT INTO ${effects} VALUES ('rolled-back')`);
      await failed.rollback();

      // A claim lost meanwhile (its key expired and was swept) cannot commit: its write goes with it.
      const lost = createPostgresIdempotencyStore(poolA, { table: name });
      await lost.claim('lost', 'fp', 0);
      const late = await lost.begin();
      await late.client.query(`INSERT INTO ${effects} VALUES ('lost')`);
      await createPostgresIdempotencyStore(poolB, { table: name }).sweep();
      await expect(late.completeAndCommit('lost', response)).rejects.toThrow(/no longer held/);

      expect((await poolA.query(`SELECT note FROM ${effects}`)).rows).toEqual([{ note: 'ok' }]);
      expect((await poolA.query(`SELECT key, status FROM ${name} ORDER BY key`)).rows).toEqual([
        { key: 'ok', status: 201 },
        { key: 'rolled-back', status: null },
      ]);
    });

    it('creates its table once when several processes start together', async () => {
      const name = track(table('idem'));
      const stores = Array.from({ length: 6 }, (_, i) => createPostgresIdempotencyStore(i % 2 === 0 ? poolA : poolB, { table: name }));
      await Promise.all(stores.map((s) => s.migrate()));
      expect((await poolA.query(`SELECT count(*)::int AS n FROM ${name}`)).rows[0]).toEqual({ n: 0 });
    });
  });

  describe('behind the router', () => {
    const spec: RouteSpec = {
      name: 'charge',
      id: 'charge',
      method: 'POST',
      path: '/charges',
      params: [],
      body: [{ mediaType: 'application/json', encoding: 'json' }],
      bodyRequired: true,
      responses: { '201': [{ mediaType: 'application/json', encoding: 'json' }] },
      idempotency: { mode: 'keyed', header: 'Idempotency-Key', required: true },
      schemas: { body: { 'application/json': z.object({ amount: z.number() }) }, responses: { '201': { 'application/json': z.object({ id: z.number() }) } } },
    };
    const request = (key: string, amount: number): Request =>
      new Request('http://x.test/charges', { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify({ amount }) });

    it('gives keyed handlers a transaction; a failure inside it rolls back the write and stores the 500', async () => {
      const name = track(table('idem'));
      const charges = track(table('charges'));
      await poolA.query(`CREATE TABLE ${charges} (id serial PRIMARY KEY, amount int)`);
      let calls = 0;
      const handler = async (input: { body?: unknown }, context: HandlerContext): Promise<unknown> => {
        calls++;
        if (context.transaction === undefined) throw new Error('no transaction offered');
        const id = await context.transaction(async (client) => {
          const amount = z.object({ amount: z.number() }).parse(input.body).amount;
          const inserted = await client.query(`INSERT INTO ${charges} (amount) VALUES ($1) RETURNING id`, [amount]);
          if (amount === 5) throw new Error('card declined by a flaky gateway');
          return z.object({ id: z.number() }).parse(inserted.rows[0]).id;
        });
        return { status: 201, body: { id } };
      };
      const quiet = { onEvent: () => undefined };
      const router = createRouterCore([spec], { charge: handler }, { ...quiet, idempotency: { store: createPostgresIdempotencyStore(poolA, { table: name }) } });

      expect((await router(request('pay-1', 5))).status).toBe(500);
      expect((await poolA.query(`SELECT count(*)::int AS n FROM ${charges}`)).rows[0]).toEqual({ n: 0 });
      // Before: the key was released and the retry ran the handler again. Now the retry gets the stored 500.
      const retried = await router(request('pay-1', 5));
      expect(retried.status).toBe(500);
      expect(retried.headers.get('idempotency-replayed')).toBe('true');
      expect(calls).toBe(1);
      const fresh = await router(request('pay-2', 7));
      expect(fresh.status).toBe(201);
      const replayed = await router(request('pay-2', 7));
      expect(replayed.headers.get('idempotency-replayed')).toBe('true');
      expect(await replayed.json()).toEqual(await fresh.json());
      expect((await poolA.query(`SELECT amount FROM ${charges}`)).rows).toEqual([{ amount: 7 }]);
    });
  });

  describe('dead-letter store', () => {
    const record = (id: string, createdAt: string): DeadLetterRecord => ({
      id,
      createdAt,
      operationId: 'createPet',
      method: 'POST',
      url: 'http://127.0.0.1:1/pets',
      headers: { 'content-type': 'application/json', 'idempotency-key': `key-${id}` },
      redacted: { headers: [], query: [] },
      body: { encoding: 'utf8', data: '{"name":"Rex"}' },
      idempotencyKey: `key-${id}`,
      correlationId: `corr-${id}`,
      attempts: 3,
      lastStatus: 503,
      lastError: null,
      reason: 'attempts',
      firstAttemptAt: createdAt,
      lastAttemptAt: createdAt,
    });

    it('is one queue for several processes: put, list oldest first, get, remove, depth and oldest', async () => {
      const name = track(table('dlq'));
      const a = await createPostgresDeadLetterStore(poolA, { table: name, refreshIntervalMs: 0 });
      const b = await createPostgresDeadLetterStore(poolB, { table: name, refreshIntervalMs: 0 });
      await a.put(record('r2', '2030-01-01T00:00:02.000Z'));
      await b.put(record('r1', '2030-01-01T00:00:01.000Z'));
      expect((await a.list()).map((r) => r.id)).toEqual(['r1', 'r2']);
      expect(await b.get('r2')).toEqual(record('r2', '2030-01-01T00:00:02.000Z'));
      expect(a.depth()).toBe(2);
      expect(a.oldest()?.id).toBe('r1');
      expect(await b.remove('r1')).toBe(true);
      expect(await b.remove('r1')).toBe(false);
      // A's snapshot is from before B's removal until it refreshes; stats() is exact.
      expect(await a.stats()).toMatchObject({ depth: 1, oldest: { id: 'r2' } });
      await a.refresh();
      expect([a.depth(), a.oldest()?.id]).toEqual([1, 'r2']);
      a.close();
      b.close();
    });

    it('hands each record to one replayer at a time', async () => {
      const name = track(table('dlq'));
      const a = await createPostgresDeadLetterStore(poolA, { table: name, refreshIntervalMs: 0 });
      const b = await createPostgresDeadLetterStore(poolB, { table: name, refreshIntervalMs: 0 });
      for (let i = 0; i < 6; i++) await a.put(record(`r${i}`, `2030-01-01T00:00:0${i}.000Z`));
      const [first, second] = await Promise.all([a.lease(4, 60_000), b.lease(4, 60_000)]);
      const ids = [...(first ?? []), ...(second ?? [])].map((r) => r.id).sort();
      expect(ids).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
      expect(await a.lease(4, 60_000)).toEqual([]);
      a.close();
      b.close();
    });

    it('takes what the resilient client parks, and replays it', async () => {
      const name = track(table('dlq'));
      const store = await createPostgresDeadLetterStore(poolA, { table: name, refreshIntervalMs: 0 });
      const down = async (): Promise<Response> => new Response('busy', { status: 503 });
      const { send, metrics } = createResilientSend({ fetch: down, deadLetter: store, retry: { maxAttempts: 2, baseMs: 1, capMs: 1, floorMs: 0 } });
      await expect(send(post('http://127.0.0.1:1/things', { name: 'a' }), operation('POST', 'keyed'), { idempotencyKey: 'parked-1' })).rejects.toThrow(/parked/);
      expect(metrics().deadLetterDepth).toBe(1);
      const other = await createPostgresDeadLetterStore(poolB, { table: name, refreshIntervalMs: 0 });
      const delivered: string[] = [];
      const summary = await replayDeadLetters(other, async (request) => {
        delivered.push(request.headers.get('idempotency-key') ?? '');
        return new Response(null, { status: 201 });
      });
      expect(summary.delivered).toHaveLength(1);
      expect(delivered).toEqual(['parked-1']);
      expect((await store.stats()).depth).toBe(0);
      store.close();
      other.close();
    });
  });
});
