import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

describe('http(s) inputs', () => {
  test('a URL side is fetched and compared like a file', async () => {
    const text = await readFile(PETSTORE, 'utf8');
    const server = createServer((request, response) => {
      if (request.url === '/openapi.yaml') {
        response.writeHead(200, { 'content-type': 'application/yaml' });
        response.end(text.replace('maximum: 100', 'maximum: 50'));
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/openapi.yaml`;
      const { report } = await runDiff({ base: PETSTORE, revision: url, format: 'json' });
      expect(report.revision.source).toBe(url);
      expect(report.changes.filter((change) => change.family !== 'versioning').map((change) => `${change.id}/${change.direction}`)).toEqual(['constraint-tightened/request']);
      expect(await codeOf(() => runDiff({ base: PETSTORE, revision: `http://127.0.0.1:${port}/missing.yaml`, format: 'json' }))).toBe('SPEC_NOT_FOUND');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
