/**
 * Dead letters: requests that still failed after retrying, parked for a person to inspect and replay.
 * One small store interface; `createMemoryDeadLetterStore` here (tests, browsers), a durable one on local disk in
 * the `node` target's file store (Node only). `concord dlq` lists, replays and purges what a store holds.
 */
export interface DeadLetterBody {
  encoding: 'utf8' | 'base64';
  data: string;
}

export interface DeadLetterRecord {
  id: string;
  /** ISO 8601. */
  createdAt: string;
  operationId: string;
  method: string;
  /** Redacted: credential query parameters read `[REDACTED]`. */
  url: string;
  /** Lowercase names, sorted; credential headers read `[REDACTED]`. */
  headers: Record<string, string>;
  /** What was redacted, so a replay knows to drop those and apply fresh credentials. */
  redacted: { headers: string[]; query: string[] };
  body: DeadLetterBody | null;
  idempotencyKey: string | null;
  correlationId: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  reason: 'attempts' | 'deadline' | 'not-retryable';
  firstAttemptAt: string;
  lastAttemptAt: string;
}

export interface DeadLetterStore {
  /** Resolves once the record is durable (for the file store: written and fsynced). */
  put(record: DeadLetterRecord): Promise<void>;
  /** Oldest first. */
  list(): Promise<DeadLetterRecord[]>;
  get(id: string): Promise<DeadLetterRecord | undefined>;
  /** False when no such record was parked. */
  remove(id: string): Promise<boolean>;
  /** Synchronous so `metrics()` can be: stores keep a current count in memory. */
  depth(): number;
  oldest(): DeadLetterRecord | undefined;
}

export function createMemoryDeadLetterStore(): DeadLetterStore {
  const records = new Map<string, DeadLetterRecord>();
  const copy = (r: DeadLetterRecord): DeadLetterRecord => structuredClone(r);
  return {
    async put(record) {
      records.set(record.id, copy(record));
    },
    async list() {
      return [...records.values()].map(copy);
    },
    async get(id) {
      const found = records.get(id);
      return found === undefined ? undefined : copy(found);
    },
    async remove(id) {
      return records.delete(id);
    },
    depth: () => records.size,
    oldest() {
      const first = records.values().next();
      return first.done === true ? undefined : copy(first.value);
    },
  };
}
