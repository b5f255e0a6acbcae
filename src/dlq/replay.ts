/**
 * Operator replay: each record is claimed (leased) before it is sent, so two operators (or two consoles) replaying
 * the same record at once send it once; it is removed after a 2xx and released otherwise.
 */
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import { replayDeadLetter } from '../../templates/runtime/dead-letter-replay.js';
import type { OperatorStore } from './store.js';

export interface LeasedReplayOptions {
  /** Which records; undefined = every parked record. */
  ids?: readonly string[];
  headers?: Record<string, string>;
  /** How long a claim holds a record against other replayers (default 2 min: above one request's timeout). */
  leaseMs?: number;
  send: (request: Request) => Promise<Response>;
}

export interface LeasedReplaySummary {
  delivered: string[];
  failed: Array<{ id: string; status: number | null; error: string | null }>;
  /** Held by another replayer, or delivered by one since it was listed. */
  skipped: string[];
  /** Named ids that are not parked. */
  missing: string[];
}

export const DEFAULT_LEASE_MS = 120_000;

export async function replayLeased(store: OperatorStore, options: LeasedReplayOptions): Promise<LeasedReplaySummary> {
  const summary: LeasedReplaySummary = { delivered: [], failed: [], skipped: [], missing: [] };
  const listed = await store.list();
  const known = new Set(listed.map((r) => r.id));
  const ids = options.ids ?? listed.map((r) => r.id);
  for (const id of ids) {
    if (!known.has(id)) {
      summary.missing.push(id);
      continue;
    }
    const record = await store.claim(id, options.leaseMs ?? DEFAULT_LEASE_MS);
    if (record === undefined) {
      summary.skipped.push(id);
      continue;
    }
    await replayOne(store, record, options, summary);
  }
  return summary;
}

async function replayOne(
  store: OperatorStore,
  record: DeadLetterRecord,
  options: LeasedReplayOptions,
  summary: LeasedReplaySummary,
): Promise<void> {
  try {
    const response = await replayDeadLetter(record, options.send, options.headers === undefined ? {} : { headers: options.headers });
    await response.body?.cancel();
    if (response.ok) {
      await store.remove(record.id);
      summary.delivered.push(record.id);
      return;
    }
    summary.failed.push({ id: record.id, status: response.status, error: null });
  } catch (error) {
    summary.failed.push({ id: record.id, status: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
  await store.release(record.id);
}
