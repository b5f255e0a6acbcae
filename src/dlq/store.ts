/**
 * The dead-letter store as an operator sees it (`concord dlq`, the console): the file store in a folder or the
 * PostgreSQL store a fleet shares, opened read-write but never created (a typo in --store must not look like an
 * empty queue), with a per-record lease so two operators replaying the same record send it once.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { ConcordError } from '../errors.js';
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import type { PostgresPool } from '../../templates/runtime/postgres-sql.js';

export interface OperatorStore {
  /** What --store named, without credentials. */
  readonly location: string;
  /** Damaged records found on open (file store). */
  readonly warnings: readonly string[];
  /** Oldest first. */
  list(): Promise<DeadLetterRecord[]>;
  get(id: string): Promise<DeadLetterRecord | undefined>;
  remove(id: string): Promise<boolean>;
  /** Holds a record for this replayer: undefined when it is gone or another replayer holds it. */
  claim(id: string, leaseMs: number): Promise<DeadLetterRecord | undefined>;
  release(id: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL table (default `concord_dead_letters`). */
  table?: string;
}

export const isPostgresUrl = (store: string): boolean => /^postgres(ql)?:\/\//i.test(store);

/** Opens `--store`: a postgres:// URL or a folder holding a file store. Missing → ConcordError DLQ_STORE (exit 2). */
export async function openOperatorStore(store: string, options: OpenStoreOptions = {}): Promise<OperatorStore> {
  return isPostgresUrl(store) ? openPostgres(store, options.table ?? 'concord_dead_letters') : openFolder(store);
}

function storeError(message: string, where: string, hint: string): ConcordError {
  return new ConcordError('DLQ_STORE', message, { location: { file: where }, hint });
}

async function openFolder(store: string): Promise<OperatorStore> {
  const dir = path.resolve(store);
  const { createFileDeadLetterStore, LOG_FILE } = await import('../../templates/runtime/dlq-file.js');
  if (!fs.existsSync(path.join(dir, LOG_FILE)))
    throw storeError(
      `No dead-letter store at ${store} (no ${LOG_FILE} there).`,
      store,
      'Pass the folder given to createFileDeadLetterStore, or a postgres:// URL; concord dlq never creates a store.',
    );
  let file: Awaited<ReturnType<typeof createFileDeadLetterStore>>;
  try {
    file = await createFileDeadLetterStore(dir);
  } catch (error) {
    throw storeError(`Cannot open the dead-letter store at ${store}: ${message(error)}`, store, 'Check --store.');
  }
  const warnings = file.torn.map(
    (t) => `damaged record at byte ${t.offset} (${t.reason})${t.savedTo ? `, bytes kept in ${t.savedTo}` : ''}`,
  );
  const leaseFile = (id: string): string => path.join(dir, `lease-${Buffer.from(id).toString('base64url')}`);
  return {
    location: store,
    warnings,
    list: () => file.list(),
    get: (id) => file.get(id),
    remove: async (id) => {
      const removed = await file.remove(id);
      fs.rmSync(leaseFile(id), { force: true });
      return removed;
    },
    async claim(id, leaseMs) {
      if (!takeLeaseFile(leaseFile(id), leaseMs)) return undefined;
      // Read after the lease: another operator may have delivered and removed it meanwhile.
      const record = await file.get(id);
      if (record === undefined) fs.rmSync(leaseFile(id), { force: true });
      return record;
    },
    release: async (id) => fs.rmSync(leaseFile(id), { force: true }),
    close: () => file.close(),
  };
}

/** O_EXCL create: one process wins. A lease older than `leaseMs` (its holder died) is taken over once. */
function takeLeaseFile(file: string, leaseMs: number): boolean {
  for (let round = 0; round < 2; round++) {
    try {
      fs.writeFileSync(file, `${process.pid} ${Date.now() + leaseMs}`, { flag: 'wx' });
      return true;
    } catch (error) {
      if (Reflect.get(Object(error), 'code') !== 'EEXIST') throw error;
      const [, until] = readOr(file, '').split(' ');
      if (until === undefined || Number(until) > Date.now()) return false;
      fs.rmSync(file, { force: true });
    }
  }
  return false;
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

async function openPostgres(url: string, table: string): Promise<OperatorStore> {
  const location = redactUrl(url);
  let pg: (typeof import('pg'))['default'];
  try {
    pg = (await import('pg')).default;
  } catch {
    throw storeError(
      `A postgres:// store needs the "pg" package, which is not installed.`,
      location,
      'npm install pg',
    );
  }
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const fail = async (why: string, hint: string): Promise<never> => {
    await pool.end().catch(() => undefined);
    throw storeError(why, location, hint);
  };
  let exists: unknown;
  try {
    const { quoteTable } = await import('../../templates/runtime/postgres-sql.js');
    const found = await pool.query('SELECT to_regclass($1) AS name', [quoteTable(table)]);
    exists = Reflect.get(Object(found.rows[0]), 'name');
  } catch (error) {
    return fail(`Cannot open the dead-letter store at ${location}: ${message(error)}`, 'Check the URL and that the server is up.');
  }
  if (exists === null || exists === undefined)
    return fail(
      `No dead-letter table ${table} in ${location}.`,
      'Pass --table with the table given to createPostgresDeadLetterStore; concord dlq never creates a store.',
    );
  const { createPostgresDeadLetterStore } = await import('../../templates/runtime/postgres-dead-letter.js');
  const typed: PostgresPool = pool;
  const store = await createPostgresDeadLetterStore(typed, { table, migrate: false, refreshIntervalMs: 0 });
  return {
    location,
    warnings: [],
    list: () => store.list(),
    get: (id) => store.get(id),
    remove: (id) => store.remove(id),
    claim: (id, leaseMs) => store.claim(id, leaseMs),
    release: (id) => store.release(id),
    close: async () => {
      store.close();
      await pool.end();
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
