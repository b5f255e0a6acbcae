#!/usr/bin/env node
// Diff benchmark: `concord diff` (the CLI, in a fresh process, so start-up counts) on the shared version pairs
// (base in ../shared/specs/versions, revision in ../shared/specs/real) and on a synthetic ~4 MB recursive pair.
// Wall time (best and median of --runs, default 3), and the change counts. oasdiff, the
// peer, is a Go binary not available here; its numbers are not in this table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { revise, syntheticContract } from './lib/diff-synthetic.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(ROOT, '../shared/specs');
const CLI = path.join(ROOT, 'bin/concord.js');
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
// --only=OpenAI,Box: measure just these pairs (case-insensitive prefix of the pair name).
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).toLowerCase().split(',');
// --format=github: time another report format (annotations look up source lines); counts are shown for json only.
const format = process.argv.find((a) => a.startsWith('--format='))?.slice(9) ?? 'json';
const scratch = path.join(os.tmpdir(), `concord-bench-diff-${process.pid}`);
mkdirSync(scratch, { recursive: true });

if (!existsSync(path.join(ROOT, 'dist/src/diff/index.js'))) {
  console.log('bench/diff: run `npm run build` first (the bench times the built CLI).');
  process.exit(1);
}

const pairs = [
  ['Discord', 'versions/discord-openapi-2025-07-11.json', 'real/discord-openapi.json'],
  ['Box', 'versions/box-openapi-2025-06-18.json', 'real/box-openapi.json'],
  ['OpenAI', 'versions/openai-openapi-2026-07-23.yaml', 'real/openai-openapi.yaml'],
]
  .map(([name, base, revision]) => [name, path.join(SHARED, base), path.join(SHARED, revision)])
  .filter(([, base, revision]) => existsSync(base) && existsSync(revision));
if (pairs.length === 0) console.log('bench/diff: ../shared/specs is not here; only the synthetic pair is measured.');

// ~4 MB of JSON: a payments-style web of expandable, mutually recursive objects, and a chain of 3000 named types.
const synthetic = syntheticContract({ schemas: 820, operations: 500, properties: 14, chain: 3000 });
const syntheticBase = path.join(scratch, 'synthetic-base.json');
const syntheticRevision = path.join(scratch, 'synthetic-revision.json');
writeFileSync(syntheticBase, JSON.stringify(synthetic, null, 1));
writeFileSync(syntheticRevision, JSON.stringify(revise(synthetic), null, 1));
pairs.push(['Synthetic recursive', syntheticBase, syntheticRevision]);

if (only) pairs.splice(0, pairs.length, ...pairs.filter(([name]) => only.some((prefix) => name.toLowerCase().startsWith(prefix))));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const mb = (file) => (statSync(file).size / 1024 / 1024).toFixed(1);
const rows = [];
for (const [name, base, revision] of pairs) {
  const times = [];
  const cpus = [];
  let summary = '';
  let failure = '';
  for (let i = 0; i < runs; i++) {
    const out = path.join(scratch, 'report.json');
    const started = process.hrtime.bigint();
    // /usr/bin/time reports the child's CPU time, which a busy machine distorts far less than wall time.
    const command = TIME ? [TIME, ['-f', '%U %S', process.execPath, CLI, 'diff', base, revision, '--format', format, '-o', out]] : [process.execPath, [CLI, 'diff', base, revision, '--format', format, '-o', out]];
    const result = spawnSync(command[0], command[1], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    const cpuLine = TIME ? (result.stderr || '').trim().split('\n').at(-1) ?? '' : '';
    const [user, sys] = cpuLine.split(' ').map(Number);
    if (Number.isFinite(user) && Number.isFinite(sys)) cpus.push((user + sys) * 1000);
    if (result.status !== 0) {
      failure = `exit ${result.status}: ${(result.stderr || '').trim().split('\n')[0]}`;
      break;
    }
    if (format === 'json') {
      const { summary: s } = JSON.parse(readFileSync(out, 'utf8'));
      summary = `${s.breaking}/${s.warning}/${s.info}`;
    } else summary = `(${format})`;
  }
  times.sort((a, b) => a - b);
  rows.push({
    pair: name,
    'MB (base+rev)': `${mb(base)}+${mb(revision)}`,
    'best ms': failure ? '-' : Math.round(times[0]),
    'median ms': failure ? '-' : Math.round(times[Math.floor(times.length / 2)]),
    'best cpu ms': cpus.length === 0 ? '-' : Math.round(Math.min(...cpus)),
    'breaking/warning/info': failure || summary,
  });
}
console.log(`concord diff --format ${format}, ${runs} run(s) each, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
console.table(rows);
rmSync(scratch, { recursive: true, force: true });
