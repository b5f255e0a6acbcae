/**
 * A contract's retry extension (`x-speakeasy-retries` / `x-concord-retries`) read into a retry policy. Concord
 * reads contracts through this function when it generates, so the policy a generated client carries is the one
 * the runtime would have read; the client itself never parses the extension.
 */
import type { RetryPolicy, StatusMatcher } from './retry-policy.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `503`, `"503"` -> 503; `"5XX"`/`"5xx"` -> the class; anything else is not a status. */
export function parseStatusMatcher(code: unknown): StatusMatcher | undefined {
  if (typeof code === 'number') return Number.isInteger(code) && code >= 100 && code <= 599 ? code : undefined;
  if (typeof code !== 'string') return undefined;
  const upper = code.trim().toUpperCase();
  if (/^[1-5]XX$/.test(upper)) return upper as `${1 | 2 | 3 | 4 | 5}XX`;
  return /^[1-5]\d\d$/.test(upper) ? Number(upper) : undefined;
}

/**
 * `x-speakeasy-retries` / `x-concord-retries` as a contract writes it (Speakeasy's shape: `strategy`,
 * `backoff: { initialInterval, maxInterval, maxElapsedTime, exponent }` in milliseconds, `statusCodes`,
 * `retryConnectionErrors`; concord adds `maxAttempts`) -> the policy fields it sets.
 * Undefined when the extension is not an object; values that make no sense are left out.
 */
export function retryPolicyFromContract(raw: unknown): Partial<RetryPolicy> | undefined {
  if (!isRecord(raw)) return undefined;
  const out: Partial<RetryPolicy> = {};
  const backoff = isRecord(raw['backoff']) ? raw['backoff'] : {};
  const ms = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  const baseMs = ms(backoff['initialInterval']);
  if (baseMs !== undefined) out.baseMs = baseMs;
  const capMs = ms(backoff['maxInterval']);
  if (capMs !== undefined) out.capMs = capMs;
  const maxElapsedMs = ms(backoff['maxElapsedTime']);
  if (maxElapsedMs !== undefined) out.maxElapsedMs = maxElapsedMs;
  const exponent = ms(backoff['exponent']);
  if (exponent !== undefined && exponent >= 1) out.exponent = exponent;
  const attempts = raw['maxAttempts'];
  if (typeof attempts === 'number' && Number.isInteger(attempts) && attempts >= 1) out.maxAttempts = attempts;
  if (raw['strategy'] === 'none') out.maxAttempts = 1;
  if (Array.isArray(raw['statusCodes'])) {
    out.statuses = raw['statusCodes'].flatMap((code) => {
      const matcher = parseStatusMatcher(code);
      return matcher === undefined ? [] : [matcher];
    });
  }
  if (typeof raw['retryConnectionErrors'] === 'boolean') out.retryConnectionErrors = raw['retryConnectionErrors'];
  return out;
}
