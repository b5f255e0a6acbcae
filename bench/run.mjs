#!/usr/bin/env node
// `npm run bench`: every benchmark in this folder, one after the other (each prints its own table).
// Flags are passed through (e.g. `npm run bench -- --peers`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const suites = ['generate', 'client', 'mock', 'server'].filter((s) => !only || only.includes(s));
let failed = false;
for (const suite of suites) {
  const file = path.join(here, `${suite}.mjs`);
  if (!existsSync(file)) continue;
  console.log(`\n=== bench/${suite}.mjs ===`);
  const result = spawnSync(process.execPath, [file, ...process.argv.slice(2).filter((a) => !a.startsWith('--only='))], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exitCode = failed ? 1 : 0;
