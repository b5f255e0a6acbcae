import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, hasShared, ROOT, scratch, SHARED_SPECS, typecheck } from '../helpers/workspace.js';

/**
 * End to end over every document we own (fixtures/) and, when present, every root document of ../shared/specs:
 * the CLI generates, and the output type-checks under the strictest options with NodeNext resolution (small
 * specs also under bundler resolution). Outputs of the very large specs take minutes of tsc each; set
 * CONCORD_CORPUS=quick to skip type-checking those above 1 MB (generation still runs).
 */
const QUICK = process.env['CONCORD_CORPUS'] === 'quick';

function fixtureSpecs(): string[] {
  return readdirSync(path.join(ROOT, 'fixtures'))
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .map((f) => path.join(ROOT, 'fixtures', f))
    .filter((f) => /^\s*(openapi|swagger|"openapi"|"swagger"|\{)/m.test(readFileSync(f, 'utf8').slice(0, 400)) && /(openapi|swagger)/.test(readFileSync(f, 'utf8').slice(0, 400)));
}

function sharedSpecs(): Array<{ file: string; size: number }> {
  if (!hasShared) return [];
  return readFileSync(path.join(SHARED_SPECS, 'INDEX.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'))
    .map((cols) => ({ file: path.join(SHARED_SPECS, cols[0] ?? ''), size: Number(cols[5]) }));
}

async function generateAndCheck(spec: string, size: number): Promise<void> {
  const out = path.join(scratch(path.basename(spec).replace(/\W+/g, '-')), 'api');
  const result = await cli(['generate', spec, '--out', out, '--quiet']);
  expect(result.stderr, `generate ${spec}`).toBe('');
  expect(result.code).toBe(0);
  if (QUICK && size > 1_000_000) return;
  expect(await typecheck(out, 'nodenext'), `tsc NodeNext on output of ${spec}`).toBe('');
  if (size < 200_000) expect(await typecheck(out, 'bundler'), `tsc bundler on output of ${spec}`).toBe('');
}

describe('generate + tsc over fixtures/', () => {
  for (const spec of fixtureSpecs()) {
    it(path.basename(spec), async () => generateAndCheck(spec, 0), 600_000);
  }
});

describe.skipIf(!hasShared)('generate + tsc over ../shared/specs', () => {
  for (const { file, size } of sharedSpecs()) {
    it(path.relative(SHARED_SPECS, file), async () => generateAndCheck(file, size), 900_000);
  }
});
