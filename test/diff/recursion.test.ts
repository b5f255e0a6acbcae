import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
// @ts-expect-error -- a plain .mjs module shared with bench/diff.mjs (no type declarations)
import { revise, syntheticContract } from '../../bench/lib/diff-synthetic.mjs';
import { asConcordError } from '../../src/cli/diff.js';
import { runDiff } from '../../src/diff/index.js';
import type { Change } from '../../src/diff/types.js';
import { jsonScratch } from './helpers.js';

type Synthetic = (options?: { schemas?: number; operations?: number; properties?: number; chain?: number }) => Record<string, unknown>;
const make = syntheticContract as Synthetic;
const edit = revise as (doc: Record<string, unknown>) => Record<string, unknown>;

const { write } = jsonScratch('concord-diff-recursion-');

const find = (changes: Change[], id: string, direction: string, text: string): Change | undefined => changes.find((change) => change.id === id && change.direction === direction && change.message.includes(text));

describe('recursive contracts never crash the diff', () => {
  test('mutual recursion through anyOf/oneOf/allOf, expandable fields and a long chain: every edit found once', async () => {
    const base = make({ schemas: 40, operations: 20, properties: 6, chain: 3000 });
    const result = await runDiff({ base: await write('base.json', base), revision: await write('revision.json', edit(base)), format: 'json', failOn: 'breaking' });
    const { changes } = result.report;
    // revise(): `created` integer -> string, a new enum value, field_0 removed in one resource; the chain's last value string -> boolean.
    const created = find(changes, 'type-changed', 'response', '.created`');
    expect(created?.level).toBe('breaking');
    expect(created?.operations.length).toBeGreaterThan(10);
    // Every link of the chain contains the change at its end (listed without a quadratic pass over the chain).
    const chainTypes = find(changes, 'type-changed', 'response', '`Chain2999.value`')?.impact.types.filter((type) => type.startsWith('Chain'));
    expect(chainTypes).toContain('Chain0');
    expect(chainTypes?.length).toBe(3000);
    expect(find(changes, 'enum-value-added', 'response', '"other"')).toBeDefined();
    expect(find(changes, 'optional-property-removed', 'response', '.field_0`')).toBeDefined();
    // The same change is one entry per direction, however many cycles lead to it.
    const keys = changes.map((change) => `${change.id}|${change.direction}|${change.message}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.exitCode).toBe(1);
  });

  test('identical recursive documents report no change', async () => {
    const base = make({ schemas: 30, operations: 10, chain: 50 });
    const file = await write('same.json', base);
    expect((await runDiff({ base: file, revision: await write('same-copy.json', base), format: 'json' })).report.changes).toEqual([]);
  });

  test('a type renamed inside a cycle is compared by content', async () => {
    const doc = (name: string, leaf: string) => ({
      openapi: '3.1.0',
      info: { title: 'T', version: '1.0.0' },
      paths: { '/n': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } } } } } },
      components: {
        schemas: {
          [name]: { type: 'object', properties: { id: { type: leaf }, other: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/B' }] } } },
          B: { allOf: [{ $ref: `#/components/schemas/${name}` }, { type: 'object', properties: { back: { oneOf: [{ $ref: `#/components/schemas/${name}` }, { $ref: '#/components/schemas/B' }] } } }] },
        },
      },
    });
    const report = (await runDiff({ base: await write('a.json', doc('A', 'string')), revision: await write('b.json', doc('Renamed', 'integer')), format: 'json' })).report;
    expect(report.changes.filter((change) => change.id === 'type-changed').map((change) => change.direction)).toEqual(['response']);
  });
});

const SHARED = path.resolve('../shared/specs');
const PAIRS: Array<[string, string]> = [
  ['discord-openapi-2025-07-11.json', 'discord-openapi.json'],
  ['box-openapi-2025-06-18.json', 'box-openapi.json'],
  ['openai-openapi-2026-07-23.yaml', 'openai-openapi.yaml'],
];

describe.each(PAIRS)('shared version pair %s -> %s', (baseName, revisionName) => {
  const base = path.join(SHARED, 'versions', baseName);
  const revision = path.join(SHARED, 'real', revisionName);
  const missing = !existsSync(base) || !existsSync(revision);
  test.skipIf(missing)(`diffs without error (skipped when ../shared/specs is absent: ${missing ? 'absent' : 'present'})`, async () => {
    const { report } = await runDiff({ base, revision, format: 'json' });
    expect(report.summary.total).toBeGreaterThan(0);
    expect(report.summary.total).toBe(report.changes.length);
    for (const change of report.changes) expect(change.basePointer ?? change.revisionPointer).toMatch(/^\//);
  }, 60_000);
});

describe('exit codes', () => {
  const run = promisify(execFile);
  const cli = async (...args: string[]): Promise<{ code: number; stderr: string }> => {
    try {
      const { stderr } = await run(process.execPath, [path.resolve('bin/concord.js'), ...args]);
      return { code: 0, stderr };
    } catch (error) {
      const failure = error as { code: number; stderr: string };
      return { code: failure.code, stderr: failure.stderr };
    }
  };

  test('--fail-on warning with only warnings fails with DIFF_WARNING, and breaking ones with DIFF_BREAKING', async () => {
    const doc = (params: unknown[], status: string) => ({ openapi: '3.0.3', info: { title: 'T', version: '1.0.0' }, paths: { '/a': { get: { parameters: params, responses: { [status]: { description: 'ok' } } } } } });
    const query = { name: 'q', in: 'query', schema: { type: 'string' } };
    const base = await write('warn-base.json', doc([query], '200'));
    const warn = await cli('diff', base, await write('warn-revision.json', doc([], '200')), '--fail-on', 'warning', '-q');
    expect(warn.code).toBe(1);
    expect(warn.stderr).toContain('DIFF_WARNING');
    const broken = await cli('diff', base, await write('broken-revision.json', doc([query], '201')), '--fail-on', 'warning', '-q');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('DIFF_BREAKING');
  }, 30_000);

  test('an unexpected exception is INTERNAL (exit 3), never a bug report that looks like "changes found"', () => {
    const error = asConcordError(new RangeError('Maximum call stack size exceeded'), false);
    expect(error.code).toBe('INTERNAL');
    expect(error.exitCode).toBe(3);
    expect(error.message).toContain('internal error');
  });
});
