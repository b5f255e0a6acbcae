/**
 * PostgreSQL for tests: the URL the global setup provided (or CONCORD_TEST_PG_URL). Without one the tests skip
 * with the reason printed, except under CI, where a missing database is a failure.
 */
import { inject } from 'vitest';

export function postgresUrl(): string | null {
  const url = process.env['CONCORD_TEST_PG_URL'] || inject('pgUrl');
  if (url) return url;
  const reason = inject('pgSkipReason') || 'CONCORD_TEST_PG_URL is not set';
  if (process.env['CI']) throw new Error(`PostgreSQL is required in CI: ${reason}`);
  console.warn(`[postgres] skipping PostgreSQL tests: ${reason}`);
  return null;
}
