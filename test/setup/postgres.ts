/**
 * vitest globalSetup: a PostgreSQL for the tests of the provider's shared stores. CONCORD_TEST_PG_URL wins (CI sets
 * it through .ci/run); otherwise a throwaway server is started with the same script CI uses (.ci/postgres) and
 * stopped at the end. Tests read the URL with `inject('pgUrl')`; when none could be had they skip with the reason
 * (`inject('pgSkipReason')`), except under CI, where they fail.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
    pgSkipReason: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Test files that need PostgreSQL; a run filtered to other files does not start a server. */
const PG_TESTS = [
  'test/generators/server/idempotency-postgres.test.ts',
  'test/templates/runtime/server-postgres.test.ts',
  'test/generators/server/webhooks-standard.test.ts',
  'test/cli/dlq-postgres.test.ts',
  'test/templates/runtime/exactly-once.test.ts',
  'test/templates/runtime/hostile-provider.test.ts',
];

function runFilters(): string[] {
  const args = process.argv.slice(2);
  const start = args.findIndex((a) => a === 'run' || a === 'watch' || a === 'related');
  return args.slice(start + 1).filter((a) => !a.startsWith('-'));
}

function wantsPostgres(): boolean {
  const filters = runFilters().map((f) => f.replace(/^\.\//, '').replace(/\*+$/, ''));
  return filters.length === 0 || filters.some((f) => PG_TESTS.some((file) => file.includes(f) || f.includes(file)));
}

function bash(script: string, env: NodeJS.ProcessEnv): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['-c', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

export default function setup(project: TestProject): (() => void) | undefined {
  const given = process.env['CONCORD_TEST_PG_URL'];
  if (given !== undefined && given !== '') {
    project.provide('pgUrl', given);
    project.provide('pgSkipReason', '');
    return undefined;
  }
  if (!wantsPostgres()) {
    project.provide('pgUrl', null);
    project.provide('pgSkipReason', 'no PostgreSQL test was selected');
    return undefined;
  }
  // Installing packages is CI's business (.ci/run); a developer's run only uses a PostgreSQL already installed.
  const env = { ...process.env, CONCORD_PG_NO_INSTALL: process.env['CI'] ? '0' : '1' };
  const started = bash('set -euo pipefail; source .ci/postgres; start_postgres; printf "%s\\n%s\\n%s\\n" "$CONCORD_TEST_PG_URL" "$CONCORD_PG_DIR" "$CONCORD_PG_BIN"', env);
  const [url = '', dir = '', bin = ''] = started.stdout.trim().split('\n');
  if (!started.ok || url === '') {
    const reason = `could not start a local PostgreSQL (${started.stderr.trim().split('\n').slice(-3).join(' | ')}); set CONCORD_TEST_PG_URL or install postgresql`;
    if (process.env['CI']) throw new Error(`PostgreSQL is required in CI: ${reason}`);
    console.warn(`[postgres] ${reason}`);
    project.provide('pgUrl', null);
    project.provide('pgSkipReason', reason);
    return undefined;
  }
  project.provide('pgUrl', url);
  project.provide('pgSkipReason', '');
  return () => {
    bash('source .ci/postgres; stop_postgres', { ...process.env, CONCORD_PG_DIR: dir, CONCORD_PG_BIN: bin });
  };
}
