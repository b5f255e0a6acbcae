import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDeadLetterStore, type PostgresDeadLetterStore } from '../../templates/runtime/postgres-dead-letter.js';
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import { parkedOrder } from '../helpers/dead-letter-records.js';
import { postgresUrl } from '../generators/server/postgres.js';
import { cli, scratch } from '../helpers/workspace.js';

/**
 * `concord dlq` over the PostgreSQL store a fleet shares: list, show, stats and purge read the same table the
 * clients park into; two operators replaying the same records at the same moment send each one once (lease).
 * A store that does not exist is exit 2 and is not created.
 */
const url = postgresUrl();
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

let server: Server;
let target = '';
const deliveries = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
      // Slow enough that two replays overlap.
      setTimeout(() => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{}');
      }, 300);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function record(id: string, operationId: string, minutesAgo: number): DeadLetterRecord {
  return parkedOrder({ id, target, operationId, minutesAgo, attempts: 3, sku: 'a' });
}

describe('missing stores', () => {
  it('exits 2 for a folder without a store and does not create it', async () => {
    const dir = path.join(scratch('dlq-missing'), 'nope');
    const result = await cli(['dlq', 'list', '--store', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DLQ_STORE.*No dead-letter store/s);
    expect(existsSync(dir)).toBe(false);
  });
});

describe.skipIf(url === null)('concord dlq on PostgreSQL', () => {
  const table = `dlq_cli_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const store = url ?? '';
  let pool: pg.Pool;
  let parked: PostgresDeadLetterStore;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: store, max: 4 });
    parked = await createPostgresDeadLetterStore(pool, { table, refreshIntervalMs: 0 });
    await parked.put(record('r1', 'createOrder', 90));
    await parked.put(record('r2', 'createOrder', 30));
    await parked.put(record('r3', 'refundOrder', 5));
  });
  afterAll(async () => {
    parked?.close();
    await pool?.query(`DROP TABLE IF EXISTS ${table}`);
    await pool?.end();
  });

  it('exits 2 for a table that does not exist, and does not create it', async () => {
    const missing = `${table}_absent`;
    const result = await cli(['dlq', 'list', '--store', store, '--table', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No dead-letter table ${missing}`);
    const found = await pool.query('SELECT to_regclass($1) AS name', [missing]);
    expect(found.rows[0]?.name).toBeNull();
  });

  it('lists, shows and reports stats as JSON and Prometheus text', async () => {
    const listed = await cli(['dlq', 'list', '--store', store, '--table', table, '--format', 'json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
    const shown = await cli(['dlq', 'show', 'r2', '--store', store, '--table', table]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: 'r2', idempotencyKey: 'key-r2', headers: { authorization: '[REDACTED]' } });

    const json = await cli(['dlq', 'stats', '--store', store, '--table', table, '--format', 'json']);
    const stats = JSON.parse(json.stdout) as { depth: number; oldestId: string; oldestAgeSeconds: number; byOperation: Record<string, { depth: number }> };
    expect(stats.depth).toBe(3);
    expect(stats.oldestId).toBe('r1');
    expect(stats.oldestAgeSeconds).toBeGreaterThanOrEqual(90 * 60);
    expect(stats.byOperation).toMatchObject({ createOrder: { depth: 2 }, refundOrder: { depth: 1 } });

    const prom = await cli(['dlq', 'stats', '--store', store, '--table', table, '--format', 'prometheus', '--label', 'api=shop']);
    expect(prom.code).toBe(0);
    expect(prom.stdout).toContain('concord_dlq_depth{api="shop"} 3\n');
    expect(prom.stdout).toMatch(/concord_dlq_oldest_age_seconds\{api="shop"\} 5[4-9]\d\d/);
    expect(prom.stdout).toContain('concord_dlq_operation_depth{api="shop",operation="createOrder"} 2\n');
    expect(prom.stdout).toContain('concord_dlq_operation_depth{api="shop",operation="refundOrder"} 1\n');
    expect(prom.stdout).toMatch(/concord_dlq_operation_oldest_age_seconds\{api="shop",operation="refundOrder"\} 3\d\d/);
    if (hasPromtool) {
      const checked = spawnSync('promtool', ['check', 'metrics'], { input: prom.stdout, encoding: 'utf8' });
      expect(`${checked.stdout}${checked.stderr}`).toBe('');
    }
  });

  it('two operators replaying the same record at once send it once', async () => {
    const [a, b] = await Promise.all([
      cli(['dlq', 'replay', 'r1', '--store', store, '--table', table, '--format', 'json']),
      cli(['dlq', 'replay', 'r1', '--store', store, '--table', table, '--format', 'json']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(deliveries.get('key-r1')).toBe(1);
    const results = [a, b].map((r) => JSON.parse(r.stdout) as { delivered: string[]; skipped: string[] });
    expect(results.flatMap((r) => r.delivered)).toEqual(['r1']);
    expect(results.flatMap((r) => r.skipped)).toEqual(['r1']);
  });

  it('two operators replaying everything at once send each record once and empty the table', async () => {
    const [a, b] = await Promise.all([
      cli(['dlq', 'replay', '--all', '--store', store, '--table', table]),
      cli(['dlq', 'replay', '--all', '--store', store, '--table', table]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([deliveries.get('key-r2'), deliveries.get('key-r3')]).toEqual([1, 1]);
    expect((await parked.stats()).depth).toBe(0);
  });

  it('purges only with --yes', async () => {
    await parked.put(record('r4', 'createOrder', 1));
    expect((await cli(['dlq', 'purge', 'r4', '--store', store, '--table', table])).code).toBe(2);
    const purged = await cli(['dlq', 'purge', 'r4', '--yes', '--store', store, '--table', table, '--format', 'json']);
    expect(JSON.parse(purged.stdout)).toEqual({ removed: 1 });
    expect(deliveries.has('key-r4')).toBe(false);
  });
});
