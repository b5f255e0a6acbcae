import { corpusOverridesFor } from '../helpers/corpus-overrides.js';
import path from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
import { ConcordError } from '../../src/errors.js';
import type { IrDocument } from '../../src/ir/types.js';
import { verifyProvider, type VerifyReport } from '../../src/verify/index.js';
import { corpus, HAVE_SHARED, SHARED_SPECS } from '../mock/helpers.js';

/**
 * Proof that the checks are sound: concord's own mock honours the contract, so verifying it must find nothing,
 * on the fixtures and on every document of the shared corpus the mock starts on.
 */

/** A credential for every scheme the contract declares (the mock checks presence, not value). */
function dummyAuth(ir: IrDocument): Record<string, string> {
  return Object.fromEntries(ir.securitySchemes.map((s) => [s.key, s.kind === 'http-basic' ? 'user:pass' : 'token']));
}

function describeFailures(report: VerifyReport): string[] {
  return report.failures.map((f) => `${f.check} ${f.method} ${f.path}: ${f.message}\n    ${f.request.curl.slice(0, 400)}\n    -> ${f.response?.status ?? ''} ${f.response?.body.slice(0, 300) ?? ''}`);
}

async function verifyMock(spec: string, options: { stateful?: boolean; maxRequests?: number; operations?: string[] } = {}): Promise<VerifyReport> {
  const overrides = corpusOverridesFor(spec);
  const mock = await startMockServer({ spec, maxRecordedRequests: 0, stateful: options.stateful === true, ...(overrides ? { overrides } : {}) });
  try {
    return await verifyProvider({ spec: mock.ir, baseUrl: mock.url, auth: dummyAuth(mock.ir), maxRequests: options.maxRequests ?? 10, stateful: options.stateful === true, ...(options.operations ? { operations: options.operations } : {}) });
  } finally {
    await mock.close();
  }
}

const FIXTURES = [...readdirSync('fixtures').filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join('fixtures', f)), 'fixtures/verify/widgets.yaml'];

describe('verify against concord mock: fixtures', () => {
  for (const file of FIXTURES) {
    test(file, async () => {
      const report = await verifyMock(file);
      expect(describeFailures(report)).toEqual([]);
      expect(report.requests).toBeGreaterThan(0);
    });
  }
  // widgets.yaml: only its CRUD tag. The stateful mock answers GET /reports/r148 (an item path with no create)
  // with 404 "No item with id", which that operation does not declare (200, 400): a mock finding, reported.
  test.each([
    ['fixtures/mock-pets.yaml', undefined],
    ['fixtures/verify/widgets.yaml', ['widgets']],
  ])('%s, stateful', async (file, operations) => {
    const report = await verifyMock(file, { stateful: true, ...(operations ? { operations } : {}) });
    expect(describeFailures(report)).toEqual([]);
    expect(report.totals.stateful.passed).toBeGreaterThan(0);
  });
});

const perSpec: string[] = [];

/** Operation count from the corpus index (column 8, 1-based), to size the run. */
function corpusSize(file: string): number {
  const index = readFileSync(path.join(SHARED_SPECS, 'INDEX.tsv'), 'utf8').split('\n');
  const row = index.find((line) => line.startsWith(`${path.relative(SHARED_SPECS, file)}\t`));
  return Number(row?.split('\t')[7] ?? 0);
}

/**
 * Failures that are findings about the mock or the contract, not about verify; each names what is wrong. The test
 * fails on any other failure and on an entry that no longer shows (so a fixed mock gets its entry removed).
 */
const KNOWN: Record<string, Array<{ check: string; path: string; why: string }>> = {
  'edge/heyapi-full-3.0/full.yaml': [
    { check: 'content-type', path: '/api/v{api-version}/file/{id}', why: 'mock: a 200 declared as audio/* or video/* is answered as application/octet-stream (src/mock/negotiate.ts concreteFor)' },
    { check: 'response-schema', path: '/api/v{api-version}/multipart', why: 'mock: a multipart/mixed 200 with an object schema is answered as text; reachable since the corpus overrides declare {api-version}' },
  ],
  'edge/heyapi-full-3.1/full.yaml': [
    { check: 'content-type', path: '/api/v{api-version}/file/{id}', why: 'mock: a 200 declared as audio/* or video/* is answered as application/octet-stream (src/mock/negotiate.ts concreteFor)' },
    { check: 'response-schema', path: '/api/v{api-version}/multipart', why: 'mock: a multipart/mixed 200 with an object schema is answered as text; reachable since the corpus overrides declare {api-version}' },
  ],
};

describe.skipIf(!HAVE_SHARED)('verify against concord mock: shared corpus (../shared/specs)', () => {
  afterAll(() => console.log(`verify vs mock, per spec:\n  ${perSpec.join('\n  ')}`));
  for (const file of corpus()) {
    const name = path.relative(SHARED_SPECS, file);
    test(name, async (context) => {
      // One or two valid requests per operation (plus the negative ones) keep the whole corpus to about a minute.
      if (process.env['CONCORD_CORPUS'] === 'quick' && corpusSize(file) > 300) return context.skip('CONCORD_CORPUS=quick: more than 300 operations');
      let report: VerifyReport;
      try {
        report = await verifyMock(file, { maxRequests: corpusSize(file) > 300 ? 1 : 2 });
      } catch (error) {
        // Only documents the mock starts on are in scope; the others are listed, and skipped visibly.
        if (!(error instanceof ConcordError) || error.exitCode !== 2) throw error;
        perSpec.push(`${name}: the mock does not start (${error.code}: ${error.message.split('\n')[0] ?? ''})`);
        return context.skip(`the mock does not start on it: ${error.code}`);
      }
      const checked = Object.values(report.totals).reduce((n, t) => n + t.passed + t.failed, 0);
      const known = KNOWN[name] ?? [];
      const isKnown = (f: VerifyReport['failures'][number]): boolean => known.some((k) => k.check === f.check && k.path === f.path);
      perSpec.push(`${name}: ${report.operations.length} operations, ${report.requests} requests, ${checked} checks, ${report.failures.length} failures${known.length > 0 ? ` (known: ${known.map((k) => k.why).join('; ')})` : ''}`);
      expect(describeFailures({ ...report, failures: report.failures.filter((f) => !isKnown(f)) })).toEqual([]);
      for (const k of known) expect(report.failures.some((f) => f.check === k.check && f.path === k.path), `known finding still there: ${k.why}`).toBe(true);
    });
  }
});
