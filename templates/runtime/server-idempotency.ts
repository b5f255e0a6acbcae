/**
 * Keyed operations on the provider: `handleIdempotency` (idempotency.ts) decides claim / replay / 409 / 422; this
 * file adds what only a provider needs — a handler-visible database transaction that also carries the stored
 * response, so the handler's write and the response commit together.
 */
import type { IdempotencyStore, StoredResponse } from './idempotency.js';
import type { Queryable } from './server-types.js';

/** One open transaction of a transactional store. */
export interface IdempotencyTransaction {
  readonly client: Queryable;
  /** Stores the key's response inside the transaction, then commits; rolls back and rejects if the claim was lost. */
  completeAndCommit(key: string, response: StoredResponse): Promise<void>;
  rollback(): Promise<void>;
}

/** A store that can put the stored response into the same transaction as the handler's own writes. */
export interface TransactionalIdempotencyStore extends IdempotencyStore {
  begin(): Promise<IdempotencyTransaction>;
}

export function isTransactionalStore(store: IdempotencyStore): store is TransactionalIdempotencyStore {
  return typeof Reflect.get(store, 'begin') === 'function';
}

/** The transaction opened for one request, if its handler asked for one. */
export interface RequestTransaction {
  /** For the handler context: opens the transaction and runs `fn` in it (once per request). */
  run<T>(fn: (client: Queryable) => Promise<T>): Promise<T>;
  /** True once the handler opened a transaction. */
  readonly opened: boolean;
  /** A view of the store for `handleIdempotency`: completion goes through the open transaction, if any. */
  readonly store: IdempotencyStore;
  /** Roll back (the handler failed): its writes are undone and the 500 it answered is stored outside them. */
  abort(): Promise<void>;
}

export function requestTransaction(store: TransactionalIdempotencyStore): RequestTransaction {
  let tx: IdempotencyTransaction | undefined;
  let state: 'idle' | 'open' | 'done' = 'idle';
  const finish = async (action: (t: IdempotencyTransaction) => Promise<void>): Promise<void> => {
    const current = tx;
    if (current === undefined || state !== 'open') return;
    state = 'done';
    await action(current);
  };
  return {
    get opened() {
      return tx !== undefined;
    },
    async run(fn) {
      if (state !== 'idle') throw new Error('context.transaction() may be called once per request');
      state = 'open';
      tx = await store.begin();
      try {
        return await fn(tx.client);
      } catch (error) {
        await finish((t) => t.rollback());
        throw error;
      }
    },
    store: {
      claim: (key, fingerprint, ttlMs) => store.claim(key, fingerprint, ttlMs),
      async complete(key, response) {
        // The handler's own transaction carries the response, so both commit or neither does. Once it is finished
        // (committed, rolled back by a failing `fn`, or failed to commit) a second call — the 500 stored in place
        // of an outcome that could not be stored — goes to the store directly.
        if (tx === undefined || state !== 'open') return store.complete(key, response);
        await finish((t) => t.completeAndCommit(key, response));
      },
      async release(key) {
        await finish((t) => t.rollback());
        await store.release(key);
      },
      sweep: () => store.sweep(),
    },
    abort: () => finish((t) => t.rollback()),
  };
}
