import { describe, expect, test } from 'vitest';
import { bumpOf, parseSemver } from '../../src/diff/rules/versioning.js';
import { diffDocs } from './helpers.js';

describe('semver', () => {
  test.each([
    ['1.0.0', '2.0.0', 'major'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '1.2.4', 'patch'],
    ['1.2.3', '1.2.3', 'none'],
    ['v1.2', '1.2.0', 'none'],
    ['2.0.0', '1.9.9', 'downgrade'],
    ['1.0.0-beta.1', '1.0.0', 'none'],
    ['2024-01-01', '2024-02-01', 'unknown'],
    ['2024-01-01', '2024-01-01', 'none'],
  ])('%s -> %s is %s', (from, to, want) => {
    expect(bumpOf(from, to)).toBe(want);
  });

  test('parses partial versions', () => {
    expect(parseSemver('3')).toEqual([3, 0, 0]);
    expect(parseSemver('not a version')).toBeUndefined();
  });
});

describe('version verdict in the report', () => {
  const doc = (version: string, ops: string[]) => ({
    openapi: '3.0.3',
    info: { title: 'V', version },
    paths: { '/a': Object.fromEntries(ops.map((method) => [method, { operationId: `${method}A`, responses: { '200': { description: 'ok' } } }])) },
  });
  test.each<[string, string, string, string[], string[], string | undefined, boolean | null]>([
    ['breaking without a major bump', '1.4.0', '1.5.0', ['get', 'delete'], ['get'], 'version-not-bumped-major', false],
    ['breaking with a major bump', '1.4.0', '2.0.0', ['get', 'delete'], ['get'], undefined, true],
    ['0.x: breaking in a minor bump is enough', '0.4.0', '0.5.0', ['get', 'delete'], ['get'], undefined, true],
    ['0.x: breaking in a patch bump is not', '0.4.0', '0.4.1', ['get', 'delete'], ['get'], 'version-not-bumped-major', false],
    ['an addition without a minor bump', '1.4.0', '1.4.1', ['get'], ['get', 'post'], 'version-not-bumped-minor', false],
    ['an addition with a minor bump', '1.4.0', '1.5.0', ['get'], ['get', 'post'], undefined, true],
    ['no changes, no bump', '1.4.0', '1.4.0', ['get'], ['get'], undefined, true],
    ['not semver: cannot tell', 'alpha', 'beta', ['get', 'delete'], ['get'], undefined, null],
  ])('%s', async (_name, from, to, baseOps, revisionOps, rule, ok) => {
    const report = await diffDocs(doc(from, baseOps), doc(to, revisionOps));
    const versionRules = report.changes.filter((change) => change.family === 'versioning');
    expect(versionRules.map((change) => change.id)).toEqual(rule ? [rule] : []);
    expect(report.versioning.ok).toBe(ok);
    for (const change of versionRules) expect(change.direction).toBe('document');
  });
});
