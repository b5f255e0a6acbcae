/**
 * Server-side Idempotency-Key semantics (IETF httpapi draft "The Idempotency-Key HTTP Header Field", Stripe's
 * practice), shared by the mock server and the generated provider router. See DESIGN.md, Idempotency.
 *
 * - key missing where the operation requires one: 400;
 * - first request with a key: run it, store status, headers and body (a 5xx too), answer;
 * - same key and same fingerprint (method, path with query, sha256 of the body) later: the stored response again,
 *   marked `Idempotency-Replayed: true`;
 * - same key, different fingerprint: 422; same key while the first is still running: 409;
 * - responses passed through `doNotStore` (a request rejected by validation) release the key instead;
 * - keys expire `ttlMs` after their first use (default 24 h, Stripe's minimum).
 * Web standards only (crypto.subtle, Request, Response).
 */
import { bytesToBase64, base64ToBytes, toHex } from './encoding.js';
import { problem, problemResponse, PROBLEM_TYPES } from './problem.js';

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
  | { state: 'mismatch' };

export interface IdempotencyStore {
  /** Atomically claim `key` for a request with `fingerprint`; keys expire `ttlMs` after they were claimed. */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<ClaimResult>;
  /** Store the response of the claimed key. */
  complete(key: string, response: StoredResponse): Promise<void>;
  /** Forget a claimed key (the request was rejected before it took effect, so the client may reuse the key). */
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
  /** Extra decision on whether a response is kept for replay; responses marked with `doNotStore` never are. */
  shouldStore?: (response: Response) => boolean;
}

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
  if (key === null || key.trim() === '') {
    if (!operation.idempotency.required) return run(request);
    return problemResponse(
      problem(400, {
        type: PROBLEM_TYPES.idempotencyKeyMissing,
        title: 'Idempotency key missing',
        detail: `This operation requires an ${header} header.`,
        instance,
        header,
      }),
    );
  }
  const maxLength = options.maxKeyLength ?? 255;
  if (key.length > maxLength) {
    return problemResponse(
      problem(400, {
        type: PROBLEM_TYPES.idempotencyKeyMissing,
        title: 'Idempotency key too long',
        detail: `${header} must be at most ${maxLength} characters.`,
        instance,
        header,
      }),
    );
  }
  const body = new Uint8Array(await request.clone().arrayBuffer());
  const fingerprint = await requestFingerprint(request.method, request.url, body);
  const claim = await store.claim(key, fingerprint, options.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS);
  switch (claim.state) {
    case 'mismatch':
      return problemResponse(
        problem(422, {
          type: PROBLEM_TYPES.idempotencyKeyReused,
          title: 'Idempotency key reused with a different request',
          detail: `${header} "${key}" was first used with a different method, path or body.`,
          instance,
          header,
        }),
      );
    case 'in-flight':
      return problemResponse(
        problem(409, {
          type: PROBLEM_TYPES.idempotencyInFlight,
          title: 'A request with this idempotency key is still in progress',
          detail: 'Retry the same request later.',
          instance,
          header,
        }),
      );
    case 'completed':
      return storedToResponse(claim.response, true);
    case 'claimed':
      break;
  }
  let response: Response;
  try {
    response = await run(request);
  } catch (error) {
    await store.release(key);
    throw error;
  }
  if (notStored.has(response) || (options.shouldStore !== undefined && !options.shouldStore(response))) {
    await store.release(key);
    return response;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const stored: StoredResponse = {
    status: response.status,
    headers: [...response.headers].filter(([name]) => name.toLowerCase() !== 'set-cookie'),
    bodyBase64: bytesToBase64(bytes),
  };
  await store.complete(key, stored);
  return storedToResponse(stored, false);
}

export interface MemoryIdempotencyStoreOptions {
  /** Most keys remembered at once; the oldest go first when full (default 10,000). */
  maxKeys?: number;
  /** Most stored body bytes at once; the oldest entries go first (default 64 MiB). */
  maxBytes?: number;
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
  response: StoredResponse | undefined;
  bytes: number;
}

/** In-process store: bounded by a key cap, a byte cap and expiry. For one process; a database store serves several. */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): MemoryIdempotencyStore {
  const maxKeys = Math.max(1, options.maxKeys ?? 10_000);
  const maxBytes = Math.max(0, options.maxBytes ?? 64 * 1024 * 1024);
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
  const evictOldest = (): void => {
    const oldest = entries.keys().next();
    if (oldest.done !== true) drop(oldest.value);
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
        return current.response === undefined
          ? { state: 'in-flight' }
          : { state: 'completed', response: current.response };
      }
      if (entries.size >= maxKeys) sweepSync();
      while (entries.size >= maxKeys) evictOldest();
      entries.set(key, {
        fingerprint,
        expiresAt: now() + Math.max(0, ttlMs),
        response: undefined,
        bytes: key.length + fingerprint.length,
      });
      bytes += key.length + fingerprint.length;
      return { state: 'claimed' };
    },
    async complete(key, response) {
      const entry = entries.get(key);
      // Evicted or expired while running: nothing to keep it under.
      if (entry === undefined) return;
      const size = response.bodyBase64.length + response.headers.reduce((n, [k, v]) => n + k.length + v.length, 0);
      entry.response = response;
      entry.bytes += size;
      bytes += size;
      while (bytes > maxBytes && entries.size > 0) evictOldest();
    },
    async release(key) {
      drop(key);
    },
    async sweep() {
      return sweepSync();
    },
  };
}
