import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { runDiff } from '../../src/diff/index.js';
import type { DiffReport } from '../../src/diff/types.js';

const PETSTORE = path.resolve('fixtures/petstore.yaml');
type Doc = { paths: Record<string, Record<string, { parameters?: Array<Record<string, unknown>> }>>; components: { schemas: Record<string, { properties: Record<string, unknown> }> } };

let dir: string;
let breakingAndAdditive: string;
let additiveOnly: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-e2e-'));
  const text = await readFile(PETSTORE, 'utf8');
  const additive = parse(text) as Doc;
  (additive.components.schemas['Pet'] as { properties: Record<string, unknown> }).properties['color'] = { type: 'string' };
  additiveOnly = path.join(dir, 'additive.yaml');
  await writeFile(additiveOnly, stringify(additive));
  const both = parse(text) as Doc;
  (both.components.schemas['Pet'] as { properties: Record<string, unknown> }).properties['color'] = { type: 'string' };
  const limit = both.paths['/pets']?.['get']?.parameters?.[0];
  if (!limit) throw new Error('fixture changed: /pets get has no limit parameter');
  limit['required'] = true;
  breakingAndAdditive = path.join(dir, 'breaking.yaml');
  await writeFile(breakingAndAdditive, stringify(both));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const validate = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(await readFile('schemas/diff-report.schema.json', 'utf8')) as object);

describe('petstore end to end', () => {
  test('one breaking + one additive change: exit 1 with --fail-on breaking', async () => {
    const result = await runDiff({ base: PETSTORE, revision: breakingAndAdditive, format: 'json', failOn: 'breaking' });
    expect(result.exitCode).toBe(1);
    const breaking = result.report.changes.filter((change) => change.level === 'breaking');
    expect(breaking.map((change) => change.id)).toEqual(['parameter-became-required']);
    expect(breaking[0]?.operation).toEqual({ method: 'get', path: '/pets' });
    expect(breaking[0]?.impact.functions).toEqual(['listPets']);
    expect(result.report.changes.map((change) => `${change.id}/${change.direction}`)).toEqual(expect.arrayContaining(['property-added-optional/request', 'property-added-optional/response', 'version-not-bumped-major/document']));
    expect(result.report.versioning).toMatchObject({ bump: 'none', required: 'major', ok: false });
  });

  test('the additive change alone: exit 0 with --fail-on breaking, 1 with --fail-on info', async () => {
    const result = await runDiff({ base: PETSTORE, revision: additiveOnly, format: 'json', failOn: 'breaking' });
    expect(result.exitCode).toBe(0);
    expect(result.report.summary.breaking).toBe(0);
    expect((await runDiff({ base: PETSTORE, revision: additiveOnly, format: 'json', failOn: 'info' })).exitCode).toBe(1);
    expect((await runDiff({ base: PETSTORE, revision: additiveOnly, format: 'json' })).exitCode).toBe(0);
  });

  test('impact names the functions and types that carry a shared component', async () => {
    const { report } = await runDiff({ base: PETSTORE, revision: additiveOnly, format: 'json' });
    const response = report.changes.find((change) => change.id === 'property-added-optional' && change.direction === 'response');
    expect(response?.impact.functions).toEqual(['listPets', 'showPetById']);
    expect(response?.impact.types).toEqual(['Pet', 'Pets']);
    const request = report.changes.find((change) => change.id === 'property-added-optional' && change.direction === 'request');
    expect(request?.impact.functions).toEqual(['createPets']);
    expect(request?.revisionPointer).toBe('/components/schemas/Pet/properties/color');
  });

  test.each([
    ['breaking + additive', () => breakingAndAdditive],
    ['additive only', () => additiveOnly],
    ['identical', () => PETSTORE],
  ])('json output validates against schemas/diff-report.schema.json (%s)', async (_name, revision) => {
    const { output, report } = await runDiff({ base: PETSTORE, revision: revision(), format: 'json' });
    const parsed = JSON.parse(output) as DiffReport;
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed).toEqual(report);
    expect(parsed.summary.total).toBe(parsed.changes.length);
  });

  test('the schema rejects a report with an unknown rule id', async () => {
    const { report } = await runDiff({ base: PETSTORE, revision: breakingAndAdditive, format: 'json' });
    const tampered = { ...report, changes: report.changes.map((change) => ({ ...change, id: 'made-up-rule' })) };
    expect(validate(tampered)).toBe(false);
  });

  test('output is byte-for-byte deterministic', async () => {
    for (const format of ['text', 'markdown', 'json', 'junit', 'github'] as const) {
      const first = await runDiff({ base: PETSTORE, revision: breakingAndAdditive, format });
      const second = await runDiff({ base: PETSTORE, revision: breakingAndAdditive, format });
      expect(second.output).toBe(first.output);
    }
  });

  test('every format reports the same counts', async () => {
    const run = (format: 'text' | 'markdown' | 'junit' | 'github') => runDiff({ base: PETSTORE, revision: breakingAndAdditive, format, failOn: 'breaking' });
    const { report } = await run('text');
    const { breaking, warning, info } = report.summary;
    expect((await run('text')).output).toContain(`BREAKING (${breaking})`);
    const markdown = (await run('markdown')).output;
    expect(markdown.split('\n').filter((line) => line.startsWith('| `')).length).toBe(report.changes.length);
    const junit = (await run('junit')).output;
    expect(junit.match(/<testcase /g)?.length).toBe(report.changes.length);
    expect(junit.match(/<failure /g)?.length).toBe(breaking);
    const github = (await run('github')).output.trim().split('\n');
    expect(github.filter((line) => line.startsWith('::error ')).length).toBe(breaking);
    expect(github.filter((line) => line.startsWith('::warning ')).length).toBe(warning);
    expect(github.filter((line) => line.startsWith('::notice ')).length).toBe(info + 1);
  });

  test('github annotations point at the revision file and the changed line', async () => {
    const { output } = await runDiff({ base: PETSTORE, revision: breakingAndAdditive, format: 'github', cwd: dir });
    const text = await readFile(breakingAndAdditive, 'utf8');
    const limitLine = text.split('\n').findIndex((line) => line.includes('name: limit')) + 1;
    const error = output.split('\n').find((line) => line.startsWith('::error '));
    expect(error).toContain('file=breaking.yaml');
    expect(error).toContain(`line=${limitLine}`);
    expect(error).toContain('title=parameter-became-required');
  });
});
