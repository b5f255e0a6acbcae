/**
 * The retry policy and the pure decisions made from it: which statuses and failures are retryable, how long to
 * wait (full jitter, server hints), and whether a failed request may have reached the server.
 */

export type IdempotencyMode = 'safe' | 'idempotent' | 'keyed' | 'none';

/** An exact status (503) or a class (`5XX`). */
export type StatusMatcher = number | `${1 | 2 | 3 | 4 | 5}XX`;

export interface RetryPolicy {
  /** Total attempts, the first one included. 1 means no retries. */
  maxAttempts: number;
  /** Backoff base: the ceiling of the first retry's random wait. */
  baseMs: number;
  /** No computed wait, and no server hint we follow, exceeds this. */
  capMs: number;
  /** Minimum computed wait, so a retry is never immediate because the random draw was close to 0. */
  floorMs: number;
  /** Growth factor per retry (2 = doubling). */
  exponent: number;
  /** No retry is scheduled that would start later than this after the call began. */
  maxElapsedMs: number;
  statuses: readonly StatusMatcher[];
  /** Retry connection errors and per-attempt timeouts (subject to the idempotency rule). */
  retryConnectionErrors: boolean;
  /** Retry 409 Conflict for keyed calls: the server reports the same key still in flight. */
  retryKeyedConflicts: boolean;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 3,
  baseMs: 200,
  capMs: 10_000,
  floorMs: 50,
  exponent: 2,
  maxElapsedMs: 60_000,
  statuses: Object.freeze([408, 425, 429, 500, 502, 503, 504]),
  retryConnectionErrors: true,
  retryKeyedConflicts: true,
});

function num(value: number | undefined, fallback: number, min: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

/** Later layers win: client defaults, then the operation's contract, then the call. `false` disables retries. */
export function resolveRetryPolicy(
  base: Readonly<RetryPolicy>,
  ...layers: Array<Partial<RetryPolicy> | false | undefined>
): RetryPolicy {
  let policy: RetryPolicy = { ...base };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (layer === false) {
      policy = { ...policy, maxAttempts: 1 };
      continue;
    }
    policy = {
      maxAttempts: Math.floor(num(layer.maxAttempts, policy.maxAttempts, 1)),
      baseMs: num(layer.baseMs, policy.baseMs, 0),
      capMs: num(layer.capMs, policy.capMs, 0),
      floorMs: num(layer.floorMs, policy.floorMs, 0),
      exponent: num(layer.exponent, policy.exponent, 1),
      maxElapsedMs: num(layer.maxElapsedMs, policy.maxElapsedMs, 0),
      statuses: Array.isArray(layer.statuses) ? layer.statuses : policy.statuses,
      retryConnectionErrors:
        typeof layer.retryConnectionErrors === 'boolean' ? layer.retryConnectionErrors : policy.retryConnectionErrors,
      retryKeyedConflicts:
        typeof layer.retryKeyedConflicts === 'boolean' ? layer.retryKeyedConflicts : policy.retryKeyedConflicts,
    };
  }
  return policy;
}

export function statusMatches(status: number, matchers: readonly StatusMatcher[]): boolean {
  return matchers.some((m) =>
    typeof m === 'number' ? m === status : Math.floor(status / 100) === Number(m.charAt(0)),
  );
}

/**
 * Full jitter (AWS architecture blog): `random(0, min(cap, base * exponent^(retry-1)))`, raised to the floor.
 * `retry` counts from 1 (the first retry).
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.exponent ** Math.max(0, retry - 1));
  const drawn = Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
  return Math.min(Math.max(policy.floorMs, drawn), Math.max(policy.capMs, policy.floorMs));
}

/**
 * The wait before retry number `retry` (from 1), or `deadline` when no wait fits in `maxElapsedMs`. A server's
 * hint (Retry-After) is followed even above `capMs` — retrying before the server said it can take the request
 * would only fail again — as long as it ends within the elapsed-time limit; without a hint, full-jitter backoff.
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  hint: RetryHint | undefined,
  elapsedMs: number,
  random: () => number,
): { delayMs: number; source: 'backoff' | RetryHint['source'] } | 'deadline' {
  const delay = hint ?? { delayMs: backoffDelay(policy, retry, random), source: 'backoff' as const };
  return elapsedMs + delay.delayMs > policy.maxElapsedMs ? 'deadline' : delay;
}

export interface RetryHint {
  delayMs: number;
  source: 'retry-after-ms' | 'retry-after';
}

/** `retry-after-ms` (milliseconds) wins over `Retry-After` (delta-seconds or an HTTP date, relative to `now`). */
export function parseRetryHint(headers: Headers, now: number): RetryHint | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms))
    return { delayMs: Math.ceil(Number(ms)), source: 'retry-after-ms' };
  const after = headers.get('retry-after');
  if (after === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return { delayMs: Math.ceil(Number(after) * 1000), source: 'retry-after' };
  // HTTP dates start with a day name; Date.parse alone would read "-1" as the year 2001.
  if (!/^\s*[A-Za-z]{3}/.test(after)) return undefined;
  const at = Date.parse(after);
  if (Number.isNaN(at)) return undefined;
  return { delayMs: Math.max(0, at - now), source: 'retry-after' };
}

/**
 * Whether a response's status calls for a retry, before the idempotency rule is applied.
 * `x-should-retry: true|false` from the server overrides the status rule.
 */
export function responseWantsRetry(response: Response, policy: RetryPolicy, mode: IdempotencyMode): boolean {
  if (response.ok) return false;
  const header = response.headers.get('x-should-retry')?.trim().toLowerCase();
  if (header === 'true') return true;
  if (header === 'false') return false;
  if (response.status === 409) return mode === 'keyed' && policy.retryKeyedConflicts;
  return statusMatches(response.status, policy.statuses);
}

/**
 * Error codes that prove the request never left this machine: the connection was refused or never established,
 * or the host name did not resolve. Node (undici) puts them on `error.cause` (or on each error of an
 * AggregateError when several addresses were tried). A browser's `TypeError: Failed to fetch` carries no code,
 * so there it is treated as "may have reached the server".
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const code: unknown = Reflect.get(value, 'code');
    if (typeof code === 'string') codes.push(code);
    visit(Reflect.get(value, 'cause'), depth + 1);
    const errors: unknown = Reflect.get(value, 'errors');
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return codes;
}

export function requestNeverSent(error: unknown): boolean {
  const codes = errorCodes(error);
  return codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
}
