import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isConcordError } from '../../src/errors.js';
import { runDiff, type ReportFormat } from '../../src/diff/index.js';

const PETSTORE = path.resolve('fixtures/petstore.yaml');

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  const error: unknown = await run().catch((caught: unknown) => caught);
  return isConcordError(error) ? error.code : undefined;
}

describe('runDiff rejects bad input with stable codes', () => {
  test('an unknown format is a usage error', async () => {
    expect(await codeOf(() => runDiff({ base: PETSTORE, revision: PETSTORE, format: 'yaml' as ReportFormat }))).toBe('USAGE');
  });

  test('a missing file is SPEC_NOT_FOUND', async () => {
    expect(await codeOf(() => runDiff({ base: PETSTORE, revision: 'does-not-exist.yaml', format: 'text' }))).toBe('SPEC_NOT_FOUND');
  });

  test('broken YAML is SPEC_PARSE', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-bad-'));
    try {
      const file = path.join(dir, 'bad.yaml');
      await writeFile(file, 'openapi: 3.0.3\ninfo: [unclosed\n');
      expect(await codeOf(() => runDiff({ base: file, revision: PETSTORE, format: 'text' }))).toBe('SPEC_PARSE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
