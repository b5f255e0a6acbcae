/**
 * A keyed request through the provider router: claim the key, run the handler once, store whatever came of it.
 * Exactly once: from the moment the handler starts its key is never released — a handler error, an answer outside
 * the contract or one that cannot be encoded is stored as the 500 it was answered with (a handler transaction is
 * rolled back first, so nothing it wrote survives); a store that fails gets a 500 stored in place of the answer; a
 * store that cannot even take that leaves the key locked until its lock timeout, after which retries are told the
 * outcome is unknown. Requests refused before the handler (validation, authentication) never claim a key.
 */
import { handleIdempotency, type IdempotencyOutcome, type IdempotencyStore } from './idempotency.js';
import { isTransactionalStore, requestTransaction } from './server-idempotency.js';
import type { Call, Outcome } from './server-pipeline.js';
import { fromWebResponse, toWebResponse } from './server-response.js';
import type { RawResponse, ServerEvent } from './server-types.js';

export interface KeyedSettings {
  store: IdempotencyStore;
  ttlMs: number | undefined;
  maxKeyLength: number | undefined;
}

function eventOf(outcome: IdempotencyOutcome, call: Call): ServerEvent | undefined {
  const base = { operationId: call.spec.id, correlationId: call.correlationId };
  switch (outcome.kind) {
    case 'replayed':
      return { type: 'idempotent-replay', ...base, key: outcome.key };
    case 'in-flight':
      return { type: 'idempotency-rejected', ...base, key: outcome.key, status: 409 };
    case 'mismatch':
      return { type: 'idempotency-rejected', ...base, key: outcome.key, status: 422 };
    case 'missing':
      return { type: 'idempotency-rejected', ...base, key: null, status: 400 };
    case 'busy':
      return { type: 'idempotency-rejected', ...base, key: outcome.key, status: 503 };
    case 'abandoned':
      return {
        type: 'idempotency-failure',
        ...base,
        key: outcome.key,
        kind: 'abandoned',
        error: undefined,
        stored: false,
      };
    case 'store-failed':
      return {
        type: 'idempotency-failure',
        ...base,
        key: outcome.key,
        kind: 'store-failed',
        error: outcome.error,
        stored: outcome.stored,
      };
    case 'run-failed':
      return undefined;
  }
}

export async function runKeyed(
  emit: (event: ServerEvent) => void,
  keyed: KeyedSettings,
  call: Call,
  bytes: Uint8Array<ArrayBuffer>,
  run: (call: Call) => Outcome | Promise<Outcome>,
): Promise<RawResponse> {
  const { spec, raw } = call;
  const base = keyed.store;
  const key = raw.header(spec.idempotency.header.toLowerCase());
  const tx = key !== undefined && isTransactionalStore(base) ? requestTransaction(base) : undefined;
  const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD';
  // Keyed by the path without its base path: `/v1/pets` and `/pets` (where both route) are one operation.
  const q = raw.url.indexOf('?');
  const request = new Request(`http://provider.invalid${call.path}${q === -1 ? '' : raw.url.slice(q)}`, {
    method: raw.method,
    headers: key === undefined ? {} : { [spec.idempotency.header]: key },
    ...(hasBody ? { body: bytes } : {}),
  });
  const full: Call = { ...call, idempotencyKey: key, tx };
  const answer = await handleIdempotency(
    request,
    spec,
    tx?.store ?? base,
    {
      ...(keyed.ttlMs === undefined ? {} : { ttlMs: keyed.ttlMs }),
      ...(keyed.maxKeyLength === undefined ? {} : { maxKeyLength: keyed.maxKeyLength }),
      onOutcome: (outcome) => {
        const event = eventOf(outcome, full);
        if (event !== undefined) emit(event);
      },
    },
    async () => {
      const outcome = await run(full);
      let web: Response;
      try {
        web = toWebResponse(outcome.response, raw.method);
      } catch (error) {
        // Headers a web Response refuses (a NUL in a value): the handler's failure like any other.
        if (tx?.opened === true) await tx.abort();
        throw error;
      }
      // A failed handler's writes are undone; the 500 it was answered with is then stored outside them.
      if (outcome.failed && tx?.opened === true) await tx.abort();
      return web;
    },
  );
  return fromWebResponse(answer);
}
