/**
 * Server-side Idempotency-Key semantics (IETF httpapi draft "The Idempotency-Key HTTP Header Field", Stripe's
 * practice), shared by the mock server and the generated provider router.
 *
 * - key missing where the operation requires one: 400;
 * - first request with a key: claim it, run it, store status, headers and body, answer;
 * - same key and same fingerprint (method, path with query, sha256 of the body) later: the stored response again,
 *   marked `Idempotency-Replayed: true`; same key, different fingerprint: 422; while the first still runs: 409;
 * - exactly once: once `run` has started, the key is never released for a re-run. A thrown error, a response that
 *   cannot be read or a failing store all end as a stored 500 (Stripe stores 500s too); when even that cannot be
 *   stored the claim stays locked, and after the store's lock timeout every retry is answered 500
 *   `idempotency-outcome-unknown` — reported, never run again. Only a response marked `doNotStore` before any
 *   effect (a rejection decided without running the operation) releases the key;
 * - keys expire `ttlMs` after their first use (default 24 h, Stripe's minimum); then the key may be used afresh.
 * Web standards only (crypto.subtle, Request, Response).
 */
import { bytesToBase64, base64ToBytes, toHex } from './encoding.js';
import { problem, problemResponse, problemText, PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './problem.js';

/** A response as stored for replay. Body is base64 so any bytes survive a database round trip. */
export interface StoredResponse {
  status: number;
  headers: Array<[string, string]>;
  bodyBase64: string;
}

export type ClaimResult =
  /** This request owns the key: run the handler, then `complete` (or `release` if nothing should be stored). */
  | { state: 'claimed' }
  /** Another request with this key has not finished: answer 409. */
  | { state: 'in-flight' }
  /** Finished earlier with the same fingerprint: replay. */
  | { state: 'completed'; response: StoredResponse }
  /** The key was used with a different method, path or body: answer 422. */
  | { state: 'mismatch' }
  /** Claimed longer ago than the lock timeout and never completed (its process died): outcome unknown, not re-run. */
  | { state: 'abandoned' }
  /** The store cannot take another claim without forgetting one still in flight: answer 503, retry later. */
  | { state: 'busy' };

export interface IdempotencyStore {
  /** Atomically claim `key` for a request with `fingerprint`; keys expire `ttlMs` after they were claimed. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult>;
  /**
   * Store the response of the claimed key. May be called again for the same claim when the first call failed (the
   * router then stores a 500 in its place), so a failed call must leave the claim held.
   */
  complete(key: string, response: StoredResponse): Promise<void>;
  /** Forget a claimed key whose operation never ran (rejected before any effect), so the client may reuse it. */
  release(key: string): Promise<void>;
  /** Drop expired keys; returns how many. */
  sweep(): Promise<number>;
}

/** What `handleIdempotency` needs to know about an operation (the generated OperationSpec and the IR both fit). */
export interface IdempotencyOperation {
  readonly idempotency: {
    readonly mode: 'safe' | 'idempotent' | 'keyed' | 'none';
    readonly header: string;
    readonly required: boolean;
  };
}

export interface IdempotencyOptions {
  /** How long a key is remembered after its first use. Default 24 hours. */
  ttlMs?: number;
  /** Header used when the operation names none. Default `Idempotency-Key`. */
  header?: string;
  /** Longest key accepted (default 255 characters, as Stripe). */
  maxKeyLength?: number;
  /** Told about every keyed request that did not simply run: replays, conflicts, abandoned claims, store failures. */
  onOutcome?: (outcome: IdempotencyOutcome) => void;
}

export type IdempotencyOutcome =
  | { kind: 'replayed' | 'in-flight' | 'mismatch' | 'abandoned' | 'busy' | 'missing'; key: string }
  /** `run` threw; a 500 was stored in its place. */
  | { kind: 'run-failed'; key: string; error: unknown }
  /** The response could not be read or stored; `stored` tells whether the 500 put in its place was. */
  | { kind: 'store-failed'; key: string; error: unknown; stored: boolean };

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const REPLAYED_HEADER = 'Idempotency-Replayed';

const notStored = new WeakSet<Response>();

/** Marks a response (typically a validation rejection) so its key is released rather than stored. */
export function doNotStore(response: Response): Response {
  notStored.add(response);
  return response;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
}

/** `METHOD /path?query sha256(body)`: what must be equal for a replay rather than a 422. */
export async function requestFingerprint(method: string, url: string, body: Uint8Array<ArrayBuffer>): Promise<string> {
  const parsed = new URL(url, 'http://localhost');
  return `${method.toUpperCase()} ${parsed.pathname}${parsed.search} ${await sha256Hex(body)}`;
}

function instanceOf(request: Request): string {
  return new URL(request.url, 'http://localhost').pathname;
}

export function storedToResponse(stored: StoredResponse, replayed: boolean): Response {
  const headers = new Headers(stored.headers);
  if (replayed) headers.set(REPLAYED_HEADER, 'true');
  const empty = stored.status === 204 || stored.status === 304 || stored.status === 205;
  return new Response(empty ? null : base64ToBytes(stored.bodyBase64), { status: stored.status, headers });
}

function keyProblem(
  status: number,
  type: string,
  title: string,
  detail: string,
  instance: string,
  header: string,
): Response {
  return problemResponse(problem(status, { type, title, detail, instance, header }));
}

/** The problem stored in place of an outcome that could not be produced or stored; it carries no internal text. */
function failureStored(instance: string, title: string): StoredResponse {
  const text = problemText(problem(500, { type: PROBLEM_TYPES.handlerFailed, title, instance }));
  return {
    status: 500,
    headers: [['content-type', PROBLEM_CONTENT_TYPE]],
    bodyBase64: bytesToBase64(new TextEncoder().encode(text)),
  };
}

async function toStored(response: Response): Promise<StoredResponse> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    headers: [...response.headers].filter(([name]) => name.toLowerCase() !== 'set-cookie'),
    bodyBase64: bytesToBase64(bytes),
  };
}

export async function handleIdempotency(
  request: Request,
  operation: IdempotencyOperation,
  store: IdempotencyStore,
  options: IdempotencyOptions,
  run: (request: Request) => Promise<Response>,
): Promise<Response> {
  if (operation.idempotency.mode !== 'keyed') return run(request);
  const header =
    operation.idempotency.header !== '' ? operation.idempotency.header : (options.header ?? 'Idempotency-Key');
  const key = request.headers.get(header);
  const instance = instanceOf(request);
  const report = (outcome: IdempotencyOutcome): void => {
    try {
      options.onOutcome?.(outcome);
    } catch {
      // Observers never break a request.
    }
  };
  if (key === null || key.trim() === '') {
    if (!operation.idempotency.required) return run(request);
    report({ kind: 'missing', key: '' });
    return keyProblem(
      400,
      PROBLEM_TYPES.idempotencyKeyMissing,
      'Idempotency key missing',
      `This operation requires an ${header} header.`,
      instance,
      header,
    );
  }
  const maxLength = options.maxKeyLength ?? 255;
  if (key.length > maxLength) {
    report({ kind: 'missing', key: '' });
    return keyProblem(
      400,
      PROBLEM_TYPES.idempotencyKeyMissing,
      'Idempotency key too long',
      `${header} must be at most ${maxLength} characters.`,
      instance,
      header,
    );
  }
  const body = new Uint8Array(await request.clone().arrayBuffer());
  const fingerprint = await requestFingerprint(request.method, request.url, body);
  const claim = await store.claim(key, fingerprint, options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
  if (claim.state !== 'claimed') report({ kind: claim.state === 'completed' ? 'replayed' : claim.state, key });
  switch (claim.state) {
    case 'mismatch':
      return keyProblem(
        422,
        PROBLEM_TYPES.idempotencyKeyReused,
        'Idempotency key reused with a different request',
        `${header} "${key}" was first used with a different method, path or body.`,
        instance,
        header,
      );
    case 'in-flight':
      return keyProblem(
        409,
        PROBLEM_TYPES.idempotencyInFlight,
        'A request with this idempotency key is still in progress',
        'Retry the same request later.',
        instance,
        header,
      );
    case 'abandoned':
      return keyProblem(
        500,
        PROBLEM_TYPES.idempotencyOutcomeUnknown,
        'The outcome of the first request with this idempotency key is unknown',
        'It started but never completed (its server stopped). It was not run again: check the effect before sending it under a new key.',
        instance,
        header,
      );
    case 'busy':
      return problemResponse(
        problem(503, {
          type: PROBLEM_TYPES.idempotencyBusy,
          title: 'Too many keyed requests in flight',
          detail: 'Retry later.',
          instance,
          header,
        }),
        { 'retry-after': '1' },
      );
    case 'completed':
      return storedToResponse(claim.response, true);
    case 'claimed':
      break;
  }
  // From here on the operation may have taken effect: the key is never released for a re-run.
  let response: Response;
  try {
    response = await run(request);
  } catch (error) {
    report({ kind: 'run-failed', key, error });
    response = storedToResponse(failureStored(instance, 'The operation failed'), false);
  }
  if (notStored.has(response)) {
    await store.release(key);
    return response;
  }
  let stored: StoredResponse | undefined;
  try {
    stored = await toStored(response);
    await store.complete(key, stored);
    return storedToResponse(stored, false);
  } catch (error) {
    const fallback = failureStored(instance, 'The outcome of the operation could not be stored');
    let kept = false;
    try {
      await store.complete(key, fallback);
      kept = true;
    } catch {
      // The claim stays locked: retries get 409, then `abandoned` once the store's lock timeout passes.
    }
    report({ kind: 'store-failed', key, error, stored: kept });
    return storedToResponse(fallback, false);
  }
}

export interface MemoryIdempotencyStoreOptions {
  /** Most keys remembered at once; the oldest completed ones go first when full (default 10,000). */
  maxKeys?: number;
  /** Most stored body bytes at once; the oldest completed entries go first (default 64 MiB). */
  maxBytes?: number;
  /** How long a claim may stay in flight before retries are told its outcome is unknown (default 5 minutes). */
  lockTimeoutMs?: number;
  now?: () => number;
}

export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** Keys currently held (claimed or completed, expired ones not yet swept included). */
  readonly size: number;
  readonly bytes: number;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  lockedUntil: number;
  response: StoredResponse | undefined;
  bytes: number;
}

/**
 * In-process store: bounded by a key cap, a byte cap and expiry. For one process; a database store serves several.
 * Only completed entries are evicted to make room: a claim still in flight is never forgotten (forgetting it would
 * let a retry run the operation a second time), so a store full of in-flight claims answers `busy`.
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): MemoryIdempotencyStore {
  const maxKeys = Math.max(1, options.maxKeys ?? 10_000);
  const maxBytes = Math.max(0, options.maxBytes ?? 64 * 1024 * 1024);
  const lockMs = Math.max(0, options.lockTimeoutMs ?? 5 * 60 * 1000);
  const now = options.now ?? (() => Date.now());
  // Map iteration order is insertion order, so the first entry is always the oldest claim.
  const entries = new Map<string, Entry>();
  let bytes = 0;

  const drop = (key: string): void => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const sweepSync = (): number => {
    const at = now();
    let removed = 0;
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= at) {
        drop(key);
        removed++;
      }
    }
    return removed;
  };
  /** Drops the oldest completed entry; false when every entry is still in flight. */
  const evictOldestCompleted = (): boolean => {
    for (const [key, entry] of entries) {
      if (entry.response === undefined) continue;
      drop(key);
      return true;
    }
    return false;
  };

  return {
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
    async claim(key, fingerprint, ttlMs) {
      const existing = entries.get(key);
      if (existing !== undefined && existing.expiresAt <= now()) drop(key);
      const current = entries.get(key);
      if (current !== undefined) {
        if (current.fingerprint !== fingerprint) return { state: 'mismatch' };
        if (current.response !== undefined) return { state: 'completed', response: current.response };
        return current.lockedUntil <= now() ? { state: 'abandoned' } : { state: 'in-flight' };
      }
      if (entries.size >= maxKeys) sweepSync();
      while (entries.size >= maxKeys) if (!evictOldestCompleted()) return { state: 'busy' };
      const at = now();
      entries.set(key, {
        fingerprint,
        expiresAt: at + Math.max(0, ttlMs),
        lockedUntil: at + lockMs,
        response: undefined,
        bytes: key.length + fingerprint.length,
      });
      bytes += key.length + fingerprint.length;
      return { state: 'claimed' };
    },
    async complete(key, response) {
      const entry = entries.get(key);
      // Expired while running (a TTL shorter than the operation), or completed already: nothing to keep.
      if (entry === undefined || entry.response !== undefined) return;
      const size = response.bodyBase64.length + response.headers.reduce((n, [k, v]) => n + k.length + v.length, 0);
      entry.response = response;
      entry.bytes += size;
      bytes += size;
      while (bytes > maxBytes && evictOldestCompleted());
    },
    async release(key) {
      if (entries.get(key)?.response === undefined) drop(key);
    },
    async sweep() {
      return sweepSync();
    },
  };
}
