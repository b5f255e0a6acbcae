/**
 * Exactly once, per failure point: two router instances with separate pools (or two processes) share one
 * PostgreSQL; whatever happens after a keyed request's handler started, a retry with the same key never runs it
 * again. Each test counts the side-effect rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresIdempotencyStore, type PostgresIdempotencyStore } from '../../../templates/runtime/postgres.js';
import { createRouterCore, type Router } from '../../../templates/runtime/server-router.js';
import type { HandlerContext, RouteSpec, ServerEvent } from '../../../templates/runtime/server-types.js';
import { ROOT, transpileTree } from '../../generators/server/harness.js';
import { postgresUrl } from '../../generators/server/postgres.js';

const url = postgresUrl();
const run = randomUUID().replace(/-/g, '').slice(0, 10);
let counter = 0;

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
  schemas: {
    body: { 'application/json': z.object({ amount: z.number() }) },
    responses: { '201': { 'application/json': z.object({ id: z.number() }) } },
  },
};
const charge = (key: string, body: unknown = { amount: 5 }): Request =>
  new Request('http://x.test/charges', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Idempotency-Key': key },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
type Handler = (input: { body?: unknown }, context: HandlerContext) => unknown;

function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe.skipIf(url === null)('exactly once after the handler started (PostgreSQL, two instances)', () => {
  let poolA: pg.Pool;
  let poolB: pg.Pool;
  const tables: string[] = [];

  beforeAll(() => {
    poolA = new pg.Pool({ connectionString: url ?? '', max: 10 });
    poolB = new pg.Pool({ connectionString: url ?? '', max: 10 });
  });
  afterAll(async () => {
    if (tables.length > 0) await poolA.query(`DROP TABLE IF EXISTS ${tables.join(', ')}`);
    await Promise.all([poolA?.end(), poolB?.end()]);
  });

  interface Pair {
    a: Router;
    b: Router;
    events: ServerEvent[];
    effects: string;
    stores: PostgresIdempotencyStore[];
    count(): Promise<number>;
  }

  /** Two routers, one per pool, one idempotency table and one effects table. */
  async function pair(handler: (effects: string) => Handler, options: { validate?: boolean; lockTimeoutMs?: number } = {}): Promise<Pair> {
    const n = ++counter;
    const idem = `idem_${run}_${n}`;
    const effects = `effects_${run}_${n}`;
    tables.push(idem, effects);
    await poolA.query(`CREATE TABLE ${effects} (id serial PRIMARY KEY, amount int)`);
    const events: ServerEvent[] = [];
    const stores = [poolA, poolB].map((pool) => createPostgresIdempotencyStore(pool, { table: idem, lockTimeoutMs: options.lockTimeoutMs ?? 60_000 }));
    await stores[0]?.migrate();
    const [a, b] = stores.map((store) =>
      createRouterCore([spec], { charge: handler(effects) }, { idempotency: { store }, validateResponses: options.validate ?? true, onEvent: (e) => events.push(e) }),
    );
    if (a === undefined || b === undefined) throw new Error('no routers');
    return { a, b, events, effects, stores, count: async () => Number((await poolA.query(`SELECT count(*)::int AS n FROM ${effects}`)).rows[0].n) };
  }

  /** The original on A, then retries on B and A: all get the same stored answer, and the handler ran once. */
  async function expectStored(p: Pair, key: string, status: number): Promise<void> {
    const first = await p.a(charge(key));
    expect(first.status).toBe(status);
    const text = await first.text();
    for (const router of [p.b, p.a, p.b]) {
      const retry = await router(charge(key));
      expect(retry.status).toBe(status);
      expect(retry.headers.get('idempotency-replayed')).toBe('true');
      expect(await retry.text()).toBe(text);
    }
  }

  it('handler throws after its side effect: the 500 is stored, the retry does not run it again', async () => {
    let calls = 0;
    const p = await pair((effects) => async () => {
      calls++;
      await poolA.query(`INSERT INTO ${effects} (amount) VALUES (5)`);
      throw new Error('gateway timeout after charging');
    });
    await expectStored(p, 'throws-1', 500);
    expect(calls).toBe(1);
    expect(await p.count()).toBe(1);
  });

  it('response not encodable (5,000-deep body, BigInt): the pipeline answers 500 and stores it', async () => {
    let calls = 0;
    for (const [validate, body] of [
      [true, { id: 1, extra: deep(5_000) }],
      [false, { id: 1, extra: deep(20_000) }],
      [false, { id: BigInt(1) }],
    ] as const) {
      const p = await pair((effects) => async () => {
        calls++;
        await poolA.query(`INSERT INTO ${effects} (amount) VALUES (5)`);
        return { status: 201, body };
      }, { validate });
      // Before: JSON.stringify threw RangeError out of the pipeline, the claim was released, every retry inserted.
      await expectStored(p, `encode-${String(validate)}`, 500);
      expect(await p.count()).toBe(1);
    }
    expect(calls).toBe(3);
  });

  it('the store write fails: a 500 is stored in place of the response, and a transaction commits nothing', async () => {
    for (const transactional of [false, true]) {
      const p = await pair((effects) => async (_input, context) => {
        const insert = `INSERT INTO ${effects} (amount) VALUES (5) RETURNING id`;
        const row = transactional && context.transaction !== undefined ? await context.transaction((c) => c.query(insert)) : await poolA.query(insert);
        return { status: 201, body: { id: Number((row.rows[0] as { id: number }).id) } };
      });
      // The database refuses to store a 201 (a trigger standing in for a full disk or a broken constraint).
      const idem = tables[tables.length - 2] ?? '';
      await poolA.query(`CREATE FUNCTION refuse_${idem}() RETURNS trigger AS $$ BEGIN IF NEW.status = 201 THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await poolA.query(`CREATE TRIGGER refuse BEFORE UPDATE ON ${idem} FOR EACH ROW EXECUTE FUNCTION refuse_${idem}()`);
      await expectStored(p, `store-fails-${String(transactional)}`, 500);
      expect(await p.count()).toBe(transactional ? 0 : 1);
      expect(p.events).toContainEqual(expect.objectContaining({ type: 'idempotency-failure', kind: 'store-failed', stored: true }));
      await poolA.query(`DROP TABLE ${idem}; DROP FUNCTION refuse_${idem}()`);
    }
  });

  it('the store is down for good: the key stays locked (409), then is reported as unknown, never re-run', async () => {
    let calls = 0;
    const p = await pair((effects) => async () => {
      calls++;
      await poolA.query(`INSERT INTO ${effects} (amount) VALUES (5)`);
      return { status: 201, body: { id: 1 } };
    }, { lockTimeoutMs: 800 });
    const idem = tables[tables.length - 2] ?? '';
    await poolA.query(`CREATE FUNCTION refuse_${idem}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'database read-only'; END $$ LANGUAGE plpgsql`);
    await poolA.query(`CREATE TRIGGER refuse BEFORE UPDATE ON ${idem} FOR EACH ROW EXECUTE FUNCTION refuse_${idem}()`);
    expect((await p.a(charge('down-1'))).status).toBe(500);
    expect((await p.b(charge('down-1'))).status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 900));
    for (const router of [p.b, p.a]) {
      const unknown = await router(charge('down-1'));
      expect(unknown.status).toBe(500);
      expect(await unknown.json()).toMatchObject({ type: 'urn:concord:problem:idempotency-outcome-unknown' });
    }
    expect(calls).toBe(1);
    expect(await p.count()).toBe(1);
    expect(p.events).toContainEqual(expect.objectContaining({ type: 'idempotency-failure', kind: 'store-failed', stored: false }));
    expect(p.events).toContainEqual(expect.objectContaining({ type: 'idempotency-failure', kind: 'abandoned' }));
    await poolA.query(`DROP TABLE ${idem}; DROP FUNCTION refuse_${idem}()`);
    tables.splice(tables.indexOf(idem), 1);
  });

  it('a request refused before the handler (validation, parse limits) leaves no trace: the key is free', async () => {
    let calls = 0;
    const p = await pair((effects) => async () => {
      calls++;
      await poolA.query(`INSERT INTO ${effects} (amount) VALUES (5)`);
      return { status: 201, body: { id: 1 } };
    });
    expect((await p.a(charge('door-1', { amount: 'five' }))).status).toBe(422);
    const tooDeep = await p.a(charge('door-2', `{"amount":5,"extra":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`));
    expect(tooDeep.status).toBe(422);
    expect(await tooDeep.json()).toMatchObject({ type: 'urn:concord:problem:limit-exceeded', limit: 'maxDepth' });
    expect(calls).toBe(0);
    expect((await p.b(charge('door-1'))).status).toBe(201);
    expect(await p.count()).toBe(1);
  });

  describe('the process is killed after the handler’s side effect', () => {
    const runtime = path.join(ROOT, '.tmp', `runtime-${process.pid}-${run}`);
    const children: ChildProcess[] = [];
    beforeAll(async () => {
      await transpileTree(path.join(ROOT, 'templates/runtime'), runtime);
    });
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await rm(runtime, { recursive: true, force: true });
    });

    function start(suffix: string, mode: 'pool' | 'tx'): Promise<{ child: ChildProcess; url: string; effect: Promise<void> }> {
      const child = spawn(process.execPath, [path.join(ROOT, 'test/templates/runtime/keyed-crash-child.mjs'), runtime, url ?? '', suffix, mode, '1000'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      let err = '';
      let effect: () => void = () => undefined;
      const effectSeen = new Promise<void>((resolve) => (effect = resolve));
      child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
      return new Promise((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('effect\n')) effect();
          const line = out.split('\n')[0];
          if (out.includes('\n') && line !== undefined && line.startsWith('{')) resolve({ child, url: (JSON.parse(line) as { url: string }).url, effect: effectSeen });
        });
        child.on('exit', (code) => reject(new Error(`crash child exited with ${code}: ${err}`)));
      });
    }

    const post = (base: string, key: string): Promise<Response> =>
      fetch(`${base}/charges`, { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': key }, body: '{"amount":5}' });

    for (const mode of ['pool', 'tx'] as const) {
      it(`${mode === 'tx' ? 'inside its transaction (rolled back by the crash)' : 'outside a transaction'}: 409 until the lock times out, then "outcome unknown", never a second run`, async () => {
        const suffix = `${run}_crash_${mode}`;
        tables.push(`idem_${suffix}`, `effects_${suffix}`);
        await poolA.query(`CREATE TABLE effects_${suffix} (id serial PRIMARY KEY, amount int, pid int)`);
        const [a, b] = await Promise.all([start(suffix, mode), start(suffix, mode)]);
        const original = post(a.url, 'crash-1').catch((error: unknown) => error);
        await a.effect;
        a.child.kill('SIGKILL');
        expect(await original).toBeInstanceOf(Error);
        const locked = await post(b.url, 'crash-1');
        expect(locked.status).toBe(409);
        await locked.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        for (let i = 0; i < 2; i++) {
          const unknown = await post(b.url, 'crash-1');
          expect(unknown.status).toBe(500);
          expect(await unknown.json()).toMatchObject({ type: 'urn:concord:problem:idempotency-outcome-unknown' });
        }
        const rows = await poolA.query(`SELECT pid FROM effects_${suffix}`);
        expect(rows.rows).toEqual(mode === 'tx' ? [] : [{ pid: a.child.pid }]);
        b.child.stdin?.end();
      });
    }
  });
});
