/**
 * The small SQL helpers the PostgreSQL stores share: pool shape, identifier quoting, transactions, locked DDL.
 */
import type { Queryable } from './server-types.js';

/** A connection taken from a pool (`pg.PoolClient` fits). */
export interface PostgresClient extends Queryable {
  release(error?: Error | boolean): void;
}

/** `pg.Pool` fits. */
export interface PostgresPool extends Queryable {
  connect(): Promise<PostgresClient>;
}

/** `table` or `schema.table`, each part a plain identifier; quoted so reserved words and case survive. */
export function quoteTable(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(name))
    throw new Error(`Not a valid table name: ${JSON.stringify(name)}`);
  return name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}

/** Runs `fn` in a transaction on one pooled connection; rolls back when it throws. */
export async function withTransaction<T>(pool: PostgresPool, fn: (client: PostgresClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

/** DDL under a transaction-scoped advisory lock, so processes starting together do not race on CREATE TABLE. */
export async function migrate(pool: PostgresPool, lockName: string, statements: readonly string[]): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockName]);
    for (const statement of statements) await client.query(statement);
  });
}
