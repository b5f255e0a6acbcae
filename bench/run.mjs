#!/usr/bin/env node
// `npm run bench`: every benchmark in this folder, one after the other (each prints its own table).
// Flags are passed through (e.g. `npm run bench -- --peers`).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
// Every bench/<suite>.mjs runs, so adding a suite needs no edit here; the known ones first, in this order.
const known = ['generate', 'typecheck', 'runtime-lines', 'client', 'mock', 'server'];
const found = readdirSync(here).filter((f) => f.endsWith('.mjs') && f !== 'run.mjs').map((f) => f.slice(0, -4));
const ordered = [...known.filter((s) => found.includes(s)), ...found.filter((s) => !known.includes(s)).sort()];
const suites = ordered.filter((s) => !only || only.includes(s));
let failed = false;
for (const suite of suites) {
  const file = path.join(here, `${suite}.mjs`);
  console.log(`\n=== bench/${suite}.mjs ===`);
  const result = spawnSync(process.execPath, [file, ...process.argv.slice(2).filter((a) => !a.startsWith('--only='))], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exitCode = failed ? 1 : 0;
