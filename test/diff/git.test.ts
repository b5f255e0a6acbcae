import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { isConcordError } from '../../src/errors.js';
import { runDiff } from '../../src/diff/index.js';

const hasGit = ((): boolean => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let repo: string;
const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=concord-test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });

const root = {
  openapi: '3.0.3',
  info: { title: 'Git', version: '1.0.0' },
  paths: { '/pets': { get: { operationId: 'listPets', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: './schemas/pet.yaml' } } } } } } } },
};
const pet = (required: string[]) => ({ type: 'object', required, properties: { id: { type: 'integer' }, name: { type: 'string' } } });

beforeAll(async () => {
  if (!hasGit) return;
  repo = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-git-'));
  git('init', '--quiet');
  await mkdir(path.join(repo, 'schemas'));
  await writeFile(path.join(repo, 'openapi.yaml'), stringify(root));
  await writeFile(path.join(repo, 'schemas/pet.yaml'), stringify(pet(['id', 'name'])));
  git('add', '.');
  git('commit', '--quiet', '-m', 'first');
  // The second commit only touches the referenced file: finding the change proves it was read at each revision.
  await writeFile(path.join(repo, 'schemas/pet.yaml'), stringify(pet(['id'])));
  git('add', '.');
  git('commit', '--quiet', '-m', 'second');
});
afterAll(async () => {
  if (repo) await rm(repo, { recursive: true, force: true });
});

describe.skipIf(!hasGit)('git revisions as inputs', () => {
  test('HEAD~1:openapi.yaml vs HEAD:openapi.yaml reads each revision with its referenced files', async () => {
    const result = await runDiff({ base: 'HEAD~1:openapi.yaml', revision: 'HEAD:openapi.yaml', format: 'json', failOn: 'breaking', cwd: repo });
    expect(result.report.changes.filter((change) => change.level === 'breaking').map((change) => change.id)).toEqual(['property-became-optional']);
    expect(result.report.base.source).toBe('HEAD~1:openapi.yaml');
    expect(result.exitCode).toBe(1);
  });

  test('a revision against the working tree file, and ./ paths', async () => {
    const result = await runDiff({ base: 'HEAD:./openapi.yaml', revision: 'openapi.yaml', format: 'json', cwd: repo });
    expect(result.report.changes).toEqual([]);
  });

  test('paths starting with ../ are relative to the current directory, as in git', async () => {
    const result = await runDiff({ base: 'HEAD~1:../openapi.yaml', revision: '../openapi.yaml', format: 'json', cwd: path.join(repo, 'schemas') });
    expect(result.report.changes.map((change) => change.id)).toContain('property-became-optional');
  });

  test('github annotations name the repository path and line of the file the change is in, not the $ref', async () => {
    const { output } = await runDiff({ base: 'HEAD~1:openapi.yaml', revision: 'HEAD:openapi.yaml', format: 'github', cwd: repo });
    // pet.yaml (YAML from the test's `stringify`): `required:` is line 2, `name:` under properties line 7.
    expect(output).toMatch(/^::error file=schemas\/pet\.yaml,line=7,title=property-became-optional/m);
    expect(output).toMatch(/^::warning file=openapi\.yaml,line=\d+,title=version-not-bumped-major/m);
  });

  test.each([
    ['an unknown revision', 'no-such-branch:openapi.yaml'],
    ['a missing path', 'HEAD:missing.yaml'],
  ])('%s is SPEC_NOT_FOUND (exit 2)', async (_name, base) => {
    const error: unknown = await runDiff({ base, revision: 'HEAD:openapi.yaml', format: 'text', cwd: repo }).catch((caught: unknown) => caught);
    expect(isConcordError(error) && error.code).toBe('SPEC_NOT_FOUND');
    expect(isConcordError(error) && error.exitCode).toBe(2);
  });
});
