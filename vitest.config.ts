import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Starts a throwaway PostgreSQL for the provider's shared-store tests when CONCORD_TEST_PG_URL is unset.
    globalSetup: ['test/setup/postgres.ts'],
  },
});
