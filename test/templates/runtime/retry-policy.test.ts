import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryHint,
  requestNeverSent,
  resolveRetryPolicy,
  statusMatches,
} from '../../../templates/runtime/retry-policy.js';
import { retryPolicyFromContract } from '../../../templates/runtime/retry-contract.js';

describe('retry policy', () => {
  it('layers client, operation and call settings, and `false` turns retries off', () => {
    const policy = resolveRetryPolicy(DEFAULT_RETRY_POLICY, { maxAttempts: 5, baseMs: 100 }, undefined, { baseMs: 300 });
    expect(policy).toMatchObject({ maxAttempts: 5, baseMs: 300, capMs: 10_000, floorMs: 50, maxElapsedMs: 60_000 });
    expect(resolveRetryPolicy(DEFAULT_RETRY_POLICY, { maxAttempts: 5 }, false).maxAttempts).toBe(1);
    // Nonsense values keep the previous layer's value.
    expect(resolveRetryPolicy(DEFAULT_RETRY_POLICY, { maxAttempts: 0, baseMs: Number.NaN, exponent: 0.5 })).toMatchObject({ maxAttempts: 3, baseMs: 200, exponent: 2 });
  });

  it('reads the x-speakeasy-retries shape as a contract writes it', () => {
    const contract = {
      strategy: 'backoff',
      backoff: { initialInterval: 500, maxInterval: 60_000, maxElapsedTime: 3_600_000, exponent: 1.5 },
      statusCodes: ['5XX', '429', 408, '4xx', 'bogus', 600],
      retryConnectionErrors: false,
      maxAttempts: 4,
    };
    expect(retryPolicyFromContract(contract)).toEqual({ maxAttempts: 4, baseMs: 500, capMs: 60_000, maxElapsedMs: 3_600_000, exponent: 1.5, statuses: ['5XX', 429, 408, '4XX'], retryConnectionErrors: false });
    expect(retryPolicyFromContract({ strategy: 'none' })).toEqual({ maxAttempts: 1 });
    expect(retryPolicyFromContract({ backoff: { exponent: 0.5, initialInterval: -1 } })).toEqual({});
    expect(retryPolicyFromContract('yes')).toBeUndefined();
  });

  it('reads "429" as exactly 429, not the 4XX class', () => {
    const statuses = retryPolicyFromContract({ statusCodes: ['429'] })?.statuses ?? [];
    expect(statusMatches(429, statuses)).toBe(true);
    expect(statusMatches(404, statuses)).toBe(false);
  });

  it.each([
    [503, true],
    [599, true],
    [429, true],
    [404, false],
    [200, false],
  ])('matches %i against [5XX, 429]: %s', (status, want) => {
    expect(statusMatches(status, ['5XX', 429])).toBe(want);
  });

  it.each([
    [{ 'retry-after': '0' }, { delayMs: 0, source: 'retry-after' }],
    [{ 'retry-after': '1.5' }, { delayMs: 1500, source: 'retry-after' }],
    [{ 'retry-after-ms': '20.2' }, { delayMs: 21, source: 'retry-after-ms' }],
    [{ 'retry-after-ms': '-5', 'retry-after': '3' }, { delayMs: 3000, source: 'retry-after' }],
    [{ 'retry-after': '-1' }, undefined],
    [{}, undefined],
  ])('parses %j', (headers, want) => {
    expect(parseRetryHint(new Headers(headers), 0)).toEqual(want);
  });
});

describe('requestNeverSent', () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  it.each([
    ['undici connection refused', new TypeError('fetch failed', { cause: refused }), true],
    ['every address refused (happy eyeballs)', new TypeError('fetch failed', { cause: new AggregateError([refused, refused]) }), true],
    ['DNS failure', new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }) }), true],
    ['reset after sending', new TypeError('fetch failed', { cause: reset }), false],
    ['one address refused, another reset', new TypeError('fetch failed', { cause: new AggregateError([refused, reset]) }), false],
    ['a browser TypeError without a code', new TypeError('Failed to fetch'), false],
    ['a timeout', new DOMException('The operation timed out', 'TimeoutError'), false],
  ])('%s: %s', (_name, error, want) => {
    expect(requestNeverSent(error)).toBe(want);
  });
});
