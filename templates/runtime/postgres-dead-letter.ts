/**
 * A dead-letter queue in PostgreSQL, so many consumer processes park into (and replay from) one queue. Implements
 * `DeadLetterStore`. That interface keeps `depth()` and `oldest()` synchronous (the client's
 * `metrics()` is), which a shared database cannot answer synchronously: they return a snapshot refreshed after
 * every put/list/remove of this process and on a timer (`refreshIntervalMs`); `stats()` is the exact, async answer.
 */
import type { DeadLetterRecord, DeadLetterStore } from './dead-letter.js';
import { parseDeadLetterRecord } from './dead-letter-replay.js';
import { migrate, quoteTable, type PostgresPool } from './postgres-sql.js';

export interface PostgresDeadLetterStoreOptions {
  /** Default `concord_dead_letters`. */
  table?: string;
  /** Create the table on first use (default true). */
  migrate?: boolean;
  /** How often the `depth()` / `oldest()` snapshot is refreshed from the database (default 5 s; 0 = never). */
  refreshIntervalMs?: number;
}

export interface DeadLetterStats {
  depth: number;
  oldest: DeadLetterRecord | undefined;
}

export interface PostgresDeadLetterStore extends DeadLetterStore {
  /** Exact depth and oldest record, from the database. */
  stats(): Promise<DeadLetterStats>;
  /** Re-reads the snapshot behind `depth()` and `oldest()`. */
  refresh(): Promise<void>;
  /**
   * Up to `limit` records, oldest first, that no other replayer holds; each is held for `leaseMs`. Several processes
   * replaying at once get disjoint records (`FOR UPDATE SKIP LOCKED`). Remove a record once it is delivered.
   */
  lease(limit: number, leaseMs: number): Promise<DeadLetterRecord[]>;
  /**
   * Holds one record for `leaseMs` if it is parked and no other replayer holds it (two operators replaying the same
   * record at once: one gets it, the other undefined). Remove it once delivered, or `release` it.
   */
  claim(id: string, leaseMs: number): Promise<DeadLetterRecord | undefined>;
  /** Gives a claimed record back at once (its replay failed), instead of when the lease runs out. */
  release(id: string): Promise<void>;
  /** Stops the refresh timer. */
  close(): void;
}

function recordsOf(rows: readonly unknown[]): DeadLetterRecord[] {
  return rows.flatMap((row) => {
    const value: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, 'record') : undefined;
    const record = parseDeadLetterRecord(typeof value === 'string' ? JSON.parse(value) : value);
    return record === undefined ? [] : [record];
  });
}

/** Creates the table if needed and loads the first snapshot, so `depth()` is right from the start. */
export async function createPostgresDeadLetterStore(
  pool: PostgresPool,
  options: PostgresDeadLetterStoreOptions = {},
): Promise<PostgresDeadLetterStore> {
  const name = options.table ?? 'concord_dead_letters';
  const table = quoteTable(name);
  const index = `${name.split('.').pop() ?? name}_order`.slice(0, 63);
  if (options.migrate !== false) {
    await migrate(pool, `concord:${table}`, [
      `CREATE TABLE IF NOT EXISTS ${table} (
        id text PRIMARY KEY,
        seq bigserial,
        created_at timestamptz NOT NULL,
        leased_until timestamptz,
        record jsonb NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS "${index}" ON ${table} (created_at, seq)`,
    ]);
  }
  let snapshot: DeadLetterStats = { depth: 0, oldest: undefined };

  async function stats(): Promise<DeadLetterStats> {
    const count = await pool.query(`SELECT count(*)::int AS depth FROM ${table}`);
    const first = await pool.query(`SELECT record FROM ${table} ORDER BY created_at, seq LIMIT 1`);
    const depth: unknown =
      typeof count.rows[0] === 'object' && count.rows[0] !== null ? Reflect.get(count.rows[0], 'depth') : 0;
    return { depth: typeof depth === 'number' ? depth : Number(depth), oldest: recordsOf(first.rows)[0] };
  }
  async function refresh(): Promise<void> {
    snapshot = await stats();
  }
  await refresh();

  let timer: ReturnType<typeof setInterval> | undefined;
  const every = options.refreshIntervalMs ?? 5000;
  if (every > 0) {
    timer = setInterval(() => {
      refresh().catch(() => undefined);
    }, every);
    const unref: unknown = Reflect.get(timer, 'unref');
    if (typeof unref === 'function') Reflect.apply(unref, timer, []);
  }

  return {
    async put(record) {
      // A re-put of the same id (a retried park) replaces the record instead of failing.
      await pool.query(
        `INSERT INTO ${table} (id, created_at, record) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
        [record.id, record.createdAt, JSON.stringify(record)],
      );
      await refresh();
    },
    async list() {
      const result = await pool.query(`SELECT record FROM ${table} ORDER BY created_at, seq`);
      const records = recordsOf(result.rows);
      snapshot = { depth: result.rows.length, oldest: records[0] };
      return records;
    },
    async get(id) {
      const result = await pool.query(`SELECT record FROM ${table} WHERE id = $1`, [id]);
      return recordsOf(result.rows)[0];
    },
    async remove(id) {
      const result = await pool.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
      await refresh();
      return result.rowCount === 1;
    },
    depth: () => snapshot.depth,
    oldest: () => (snapshot.oldest === undefined ? undefined : structuredClone(snapshot.oldest)),
    stats,
    refresh,
    async lease(limit, leaseMs) {
      const result = await pool.query(
        `UPDATE ${table} SET leased_until = now() + $2 * interval '1 millisecond'
         WHERE id IN (
           SELECT id FROM ${table} WHERE leased_until IS NULL OR leased_until <= now()
           ORDER BY created_at, seq LIMIT $1 FOR UPDATE SKIP LOCKED
         )
         RETURNING record, created_at, seq`,
        [Math.max(0, Math.floor(limit)), Math.max(0, leaseMs)],
      );
      // RETURNING does not keep the sub-select's order.
      const rows = [...result.rows].sort((a, b) => {
        const key = (row: unknown): string => {
          const created: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, 'created_at') : undefined;
          const seq: unknown = typeof row === 'object' && row !== null ? Reflect.get(row, 'seq') : undefined;
          const at = created instanceof Date ? created.toISOString() : String(created);
          return `${at}|${String(seq).padStart(20, '0')}`;
        };
        return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
      });
      return recordsOf(rows);
    },
    async claim(id, leaseMs) {
      // Row lock + re-check under READ COMMITTED: of two concurrent claims the second sees the first's lease.
      const result = await pool.query(
        `UPDATE ${table} SET leased_until = now() + $2 * interval '1 millisecond'
         WHERE id = $1 AND (leased_until IS NULL OR leased_until <= now())
         RETURNING record`,
        [id, Math.max(0, leaseMs)],
      );
      return recordsOf(result.rows)[0];
    },
    async release(id) {
      await pool.query(`UPDATE ${table} SET leased_until = NULL WHERE id = $1`, [id]);
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
