import path from 'node:path';
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
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
  const mock = await startMockServer({ spec, maxRecordedRequests: 0, stateful: options.stateful === true });
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

describe.skipIf(!HAVE_SHARED)('verify against concord mock: shared corpus (../shared/specs)', () => {
  afterAll(() => console.log(`verify vs mock, per spec:\n  ${perSpec.join('\n  ')}`));
  for (const file of corpus()) {
    const name = path.relative(SHARED_SPECS, file);
    test(name, async () => {
      const report = await verifyMock(file, { maxRequests: 2 });
      const checked = Object.values(report.totals).reduce((n, t) => n + t.passed + t.failed, 0);
      perSpec.push(`${name}: ${report.operations.length} operations, ${report.requests} requests, ${checked} checks, ${report.failures.length} failures, ${report.requestsPerSecond}/s`);
      expect(describeFailures(report)).toEqual([]);
    });
  }
});
