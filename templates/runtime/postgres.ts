/**
 * PostgreSQL stores shared by several processes: the provider's Idempotency-Key store and the client's dead-letter
 * queue. No import of `pg`: pass a `pg.Pool` (or anything with the same `query` / `connect`), so projects without
 * PostgreSQL compile and bundle this file without the driver.
 *
 * Idempotency table, one row per key. Claiming is one atomic `INSERT ... ON CONFLICT DO NOTHING`; the row that loses
 * is read to classify the request (in flight, completed, different payload). A claim is never taken over: one still
 * in flight past `lockTimeoutMs` (its process died mid-operation) is reported as `abandoned` — outcome unknown — and
 * never run again; it stays until the key expires. Each claim carries a random token that fences the completion, so
 * only the process that claimed a key can complete or release it. Times come from the database clock, so instances
 * with skewed clocks agree.
 */
import { uuidv4 } from './encoding.js';
import type { ClaimResult, StoredResponse } from './idempotency.js';
import type { IdempotencyTransaction, TransactionalIdempotencyStore } from './server-idempotency.js';
import { migrate, quoteTable, type PostgresPool } from './postgres-sql.js';

export type { Queryable } from './server-types.js';
export { migrate, quoteTable, withTransaction, type PostgresClient, type PostgresPool } from './postgres-sql.js';
export {
  createPostgresDeadLetterStore,
  type DeadLetterStats,
  type PostgresDeadLetterStore,
  type PostgresDeadLetterStoreOptions,
} from './postgres-dead-letter.js';

export interface PostgresIdempotencyStoreOptions {
  /** Default `concord_idempotency`. */
  table?: string;
  /** Create the table on first use (default true). */
  migrate?: boolean;
  /**
   * How long a claim may stay in flight before retries with its key are answered "outcome unknown" (its holder is
   * presumed dead) instead of 409. Default 5 minutes; keep it above the slowest handler.
   */
  lockTimeoutMs?: number;
}

export interface PostgresIdempotencyStore extends TransactionalIdempotencyStore {
  /** Creates the table and index if missing (runs once, also on first use unless `migrate: false`). */
  migrate(): Promise<void>;
  /** Sweeps expired keys every `intervalMs`; returns a function that stops it. */
  startSweeper(intervalMs: number, onError?: (error: unknown) => void): () => void;
}

interface KeyRow {
  fingerprint: string;
  status: number | null;
  headers: unknown;
  body_base64: string | null;
  expired: boolean;
  lock_expired: boolean;
}

function readKeyRow(row: unknown): KeyRow | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const f = (name: string): unknown => Reflect.get(row, name);
  const fingerprint = f('fingerprint');
  const status = f('status');
  const body = f('body_base64');
  if (
    typeof fingerprint !== 'string' ||
    (status !== null && typeof status !== 'number') ||
    (body !== null && typeof body !== 'string')
  )
    return undefined;
  return {
    fingerprint,
    status,
    headers: f('headers'),
    body_base64: body,
    expired: f('expired') === true,
    lock_expired: f('lock_expired') === true,
  };
}

function storedHeaders(value: unknown): Array<[string, string]> {
  if (!Array.isArray(value)) return [];
  return value.flatMap((pair: unknown): Array<[string, string]> => {
    if (!Array.isArray(pair) || pair.length !== 2) return [];
    const [name, text]: unknown[] = pair;
    return typeof name === 'string' && typeof text === 'string' ? [[name, text]] : [];
  });
}

export function createPostgresIdempotencyStore(
  pool: PostgresPool,
  options: PostgresIdempotencyStoreOptions = {},
): PostgresIdempotencyStore {
  const table = quoteTable(options.table ?? 'concord_idempotency');
  const lockMs = options.lockTimeoutMs ?? 5 * 60 * 1000;
  // The table name passed quoteTable, so its last part is a plain identifier.
  const index =
    `${(options.table ?? 'concord_idempotency').split('.').pop() ?? 'concord_idempotency'}_expires_at`.slice(0, 63);
  // Claims this instance holds: key -> fencing token.
  const tokens = new Map<string, string>();
  let migrated: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    if (options.migrate === false) return Promise.resolve();
    migrated ??= migrate(pool, `concord:${table}`, [
      `CREATE TABLE IF NOT EXISTS ${table} (
        key text PRIMARY KEY,
        fingerprint text NOT NULL,
        token text NOT NULL,
        status integer,
        headers jsonb,
        body_base64 text,
        created_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
      `CREATE INDEX IF NOT EXISTS "${index}" ON ${table} (expires_at)`,
    ]).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };

  async function claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult> {
    await ready();
    // A row can vanish (expired and swept) between the insert and the read; then the insert is simply tried again.
    for (let round = 0; round < 3; round++) {
      const token = uuidv4();
      const inserted = await pool.query(
        `INSERT INTO ${table} (key, fingerprint, token, locked_until, expires_at)
         VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond', now() + $5 * interval '1 millisecond')
         ON CONFLICT (key) DO NOTHING`,
        [key, fingerprint, token, lockMs, Math.max(0, ttlMs)],
      );
      if (inserted.rowCount === 1) {
        tokens.set(key, token);
        return { state: 'claimed' };
      }
      const read = await pool.query(
        `SELECT fingerprint, status, headers, body_base64, expires_at <= now() AS expired, locked_until <= now() AS lock_expired FROM ${table} WHERE key = $1`,
        [key],
      );
      const row = readKeyRow(read.rows[0]);
      if (row === undefined) continue;
      if (row.expired) {
        await pool.query(`DELETE FROM ${table} WHERE key = $1 AND expires_at <= now()`, [key]);
        continue;
      }
      if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (row.status !== null)
        return {
          state: 'completed',
          response: { status: row.status, headers: storedHeaders(row.headers), bodyBase64: row.body_base64 ?? '' },
        };
      return row.lock_expired ? { state: 'abandoned' } : { state: 'in-flight' };
    }
    return { state: 'in-flight' };
  }

  async function sweep(): Promise<number> {
    await ready();
    const result = await pool.query(`DELETE FROM ${table} WHERE expires_at <= now()`);
    return result.rowCount ?? 0;
  }

  const completeSql = `UPDATE ${table} SET status = $3, headers = $4::jsonb, body_base64 = $5 WHERE key = $1 AND token = $2 AND status IS NULL`;
  const completeValues = (key: string, token: string, response: StoredResponse): unknown[] => [
    key,
    token,
    response.status,
    JSON.stringify(response.headers),
    response.bodyBase64,
  ];
  const lostClaim = (key: string): Error =>
    new Error(`Idempotency key ${JSON.stringify(key)} is no longer held by this request (completed or expired)`);

  return {
    migrate: ready,
    claim,
    async complete(key, response) {
      const token = tokens.get(key);
      if (token === undefined) throw lostClaim(key);
      // A failing query keeps the token: the router then stores a 500 in place of the response.
      const updated = await pool.query(completeSql, completeValues(key, token, response));
      tokens.delete(key);
      if (updated.rowCount !== 1) throw lostClaim(key);
    },
    async release(key) {
      const token = tokens.get(key);
      tokens.delete(key);
      if (token !== undefined)
        await pool.query(`DELETE FROM ${table} WHERE key = $1 AND token = $2 AND status IS NULL`, [key, token]);
    },
    sweep,
    async begin(): Promise<IdempotencyTransaction> {
      const client = await pool.connect();
      let open = true;
      const end = async (statement: 'COMMIT' | 'ROLLBACK', error?: Error): Promise<void> => {
        if (!open) return;
        open = false;
        try {
          await client.query(statement);
          client.release();
        } catch (failure) {
          client.release(failure instanceof Error ? failure : true);
          throw failure;
        }
        if (error !== undefined) throw error;
      };
      try {
        await client.query('BEGIN');
      } catch (error) {
        client.release(error instanceof Error ? error : true);
        throw error;
      }
      return {
        client,
        async completeAndCommit(key, response) {
          const token = tokens.get(key);
          if (token === undefined) return end('ROLLBACK', lostClaim(key));
          let updated: { rowCount: number | null };
          try {
            updated = await client.query(completeSql, completeValues(key, token, response));
          } catch (error) {
            await end('ROLLBACK').catch(() => undefined);
            throw error;
          }
          if (updated.rowCount !== 1) return end('ROLLBACK', lostClaim(key));
          // The token stays until the commit succeeded: after a failed commit, `release` still deletes the claim.
          await end('COMMIT');
          tokens.delete(key);
        },
        rollback: () => end('ROLLBACK'),
      };
    },
    startSweeper(intervalMs, onError) {
      const timer = setInterval(() => {
        sweep().catch((error: unknown) => onError?.(error));
      }, intervalMs);
      // A sweeper alone must not keep a Node process alive.
      const unref: unknown = Reflect.get(timer, 'unref');
      if (typeof unref === 'function') Reflect.apply(unref, timer, []);
      return () => clearInterval(timer);
    },
  };
}
