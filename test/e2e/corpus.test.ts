import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RUNTIME_NO_CHECK } from '../../src/emit/runtime-files.js';
import { OPERATIONS_NO_CHECK } from '../../src/generators/client/generate.js';
import type { ContractOverrides } from '../../src/load/overrides.js';
import { CORPUS_OVERRIDES } from '../helpers/corpus-overrides.js';
import { cli, hasShared, ROOT, scratch, SHARED_SPECS, typecheckMany, type CliResult } from '../helpers/workspace.js';

/**
 * End to end over every document we own (fixtures/) and, when present, every root document of ../shared/specs:
 * the CLI generates, and the output type-checks under the strictest options with NodeNext resolution, and
 * (for the small ones) under bundler resolution. Small outputs share one tsc program per resolution mode, since
 * tsc's start-up dominates their cost; large ones get a program each. CONCORD_CORPUS=quick skips type-checking
 * outputs of specs above 1 MB (generation still runs).
 */
const QUICK = process.env['CONCORD_CORPUS'] === 'quick';
const SMALL = 300_000;

interface Job {
  label: string;
  spec: string;
  /** Config `overrides` for a vendor fault (see corpus-overrides.ts): generated through a config file. */
  overrides?: ContractOverrides;
  size: number;
  out: string;
  result?: CliResult;
}

const jobs: Job[] = [];

/** operations.ts and the runtime ship with @ts-nocheck (see their first lines); the corpus checks them in full. */
function checkOperationsToo(out: string): void {
  const runtime = path.join(out, 'runtime');
  const files = [path.join(out, 'operations.ts'), ...(existsSync(runtime) ? readdirSync(runtime).map((f) => path.join(runtime, f)) : [])];
  for (const file of files.filter((f) => f.endsWith('.ts') && existsSync(f))) {
    writeFileSync(file, readFileSync(file, 'utf8').replace(`${OPERATIONS_NO_CHECK}\n`, '').replace(`${RUNTIME_NO_CHECK}\n`, ''));
  }
}
const root = scratch('corpus');

function addJob(label: string, spec: string, overrides?: ContractOverrides): void {
  jobs.push({ label, spec, size: statSync(spec).size, out: path.join(root, label.replace(/\W+/g, '-')), ...(overrides ? { overrides } : {}) });
}

function generateArgs(job: Job): string[] {
  if (!job.overrides) return ['generate', job.spec, '--out', job.out, '--quiet'];
  const config = `${job.out}.config.json`;
  writeFileSync(config, JSON.stringify({ spec: job.spec, out: job.out, overrides: job.overrides }));
  return ['generate', '--config', config, '--quiet'];
}

for (const f of readdirSync(path.join(ROOT, 'fixtures'))) {
  const file = path.join(ROOT, 'fixtures', f);
  if (!/\.(ya?ml|json)$/.test(f) || !statSync(file).isFile()) continue;
  if (/^\s*["']?(openapi|swagger)["']?\s*:/m.test(readFileSync(file, 'utf8').slice(0, 2000))) addJob(`fixtures/${f}`, file);
}
if (hasShared) {
  for (const line of readFileSync(path.join(SHARED_SPECS, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1)) {
    const rel = line.split('\t')[0] ?? '';
    addJob(`shared/${rel}`, path.join(SHARED_SPECS, rel), CORPUS_OVERRIDES[rel]);
  }
}

const diagnostics = new Map<string, string>();

beforeAll(async () => {
  // Two at a time: the machines have two cores.
  const queue = [...jobs];
  await Promise.all(
    [0, 1].map(async () => {
      for (let job = queue.shift(); job; job = queue.shift()) job.result = await cli(generateArgs(job));
    }),
  );
  const generated = jobs.filter((j) => j.result?.code === 0);
  // operations.ts (declared rt.OperationSpec consts) and the runtime ship with @ts-nocheck too; here they are
  // checked in full, with the directive removed.
  for (const job of generated) checkOperationsToo(job.out);
  // schemas.ts ships with @ts-nocheck and is checked here as users check it (declarations only). Whether each
  // declared type agrees with its validator is checked with the directive removed by the type-agreement and
  // translate tests (every fixture and table row): across the corpus in one program that check ran out of 6 GB.
  const small = generated.filter((j) => j.size < SMALL);
  const large = generated.filter((j) => j.size >= SMALL && !(QUICK && j.size > 1_000_000));
  const record = (group: Job[], text: string, mode: string): void => {
    for (const job of group) {
      const mine = text.split('\n').filter((l) => l.startsWith(path.relative(root, job.out) + path.sep) || l.includes(job.out));
      if (mine.length > 0) diagnostics.set(job.label, `${diagnostics.get(job.label) ?? ''}[${mode}]\n${mine.slice(0, 20).join('\n')}\n`);
    }
    if (text.trim() !== '' && group.every((job) => !diagnostics.has(job.label))) {
      for (const job of group) diagnostics.set(job.label, `[${mode}] unattributed tsc output:\n${text.slice(0, 2000)}`);
    }
  };
  if (small.length > 0) {
    record(small, await typecheckMany(root, small.map((j) => j.out), 'nodenext'), 'nodenext');
    record(small, await typecheckMany(root, small.map((j) => j.out), 'bundler'), 'bundler');
  }
  for (const job of large) record([job], await typecheckMany(root, [job.out], 'nodenext'), 'nodenext');
}, 3_600_000);

describe('generate + tsc over fixtures/ and ../shared/specs (when present)', () => {
  for (const job of jobs) {
    it(job.label, () => {
      expect(job.result?.stderr, `concord generate ${job.spec}`).toBe('');
      expect(job.result?.code).toBe(0);
      expect(diagnostics.get(job.label) ?? '', `tsc over the output of ${job.spec}`).toBe('');
    });
  }

  it('covers every shared root document when ../shared is present', () => {
    if (!hasShared) return;
    const indexed = readFileSync(path.join(SHARED_SPECS, 'INDEX.tsv'), 'utf8').trim().split('\n').length - 1;
    expect(jobs.filter((j) => j.label.startsWith('shared/'))).toHaveLength(indexed);
  });
});
