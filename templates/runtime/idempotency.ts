/**
 * Server-side Idempotency-Key semantics (IETF httpapi draft "The Idempotency-Key HTTP Header Field", Stripe's
 * practice), shared by the mock server and the generated provider router. See DESIGN.md, Idempotency.
 */

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
