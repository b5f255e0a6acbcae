#!/usr/bin/env node
// Type-check benchmark: what a user's editor and `tsc` pay for generated code. For each contract, the output of
// concord (default targets: types + zod + client), openapi-typescript (types) and, with --peers, hey-api
// (types + sdk + zod, pinned, installed into a cache outside the repo) is type-checked by the same TypeScript
// under the strictest tsconfig, each in a fresh node process; CPU seconds (user + system, including node and
// TypeScript start-up, ~0.5 s) and peak RSS. Outputs live under .tmp/ so `zod` resolves from node_modules.
// Flags: --peers, --spec=<name>, --synth (adds a Stripe-size document synthesised from the GitHub one),
// --concord-bin=<path to another checkout's bin/concord.js> (compare with a previous build).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesiseStripeSize } from './lib/stripe-size.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPECS = path.resolve(ROOT, '../shared/specs/real');
// hey-api loads `typescript` as a peer: the same version concord uses.
const HEY_API = { '@hey-api/openapi-ts': '0.95.0', typescript: '5.9.3' };
const CACHE = path.join(os.homedir(), '.cache', 'concord-bench');
const args = process.argv.slice(2);
const withPeers = args.includes('--peers');
const only = args.find((a) => a.startsWith('--spec='))?.slice(7);
const concordBin = args.find((a) => a.startsWith('--concord-bin='))?.slice(14) ?? path.join(ROOT, 'bin/concord.js');

const specs = [
  ['OpenAI', 'openai-openapi.yaml'],
  ['GitHub GHES', 'github-octokit-ghes-3.6-diff-to-api.json'],
  ['Box', 'box-openapi.json'],
].filter(([name]) => !only || name.toLowerCase().startsWith(only.toLowerCase()));

if (!existsSync(SPECS)) {
  console.log('bench/typecheck: ../shared/specs is not here; nothing to measure.');
  process.exit(0);
}

const scratch = path.join(ROOT, '.tmp', `bench-typecheck-${process.pid}`);
mkdirSync(scratch, { recursive: true });

const STRICT = {
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  noEmit: true,
  skipLibCheck: true,
  types: [],
};

// tsc in-process, so the child's own resource usage is the type-check's.
const tscJob = path.join(scratch, 'tsc-job.cjs');
writeFileSync(
  tscJob,
  `const ts = require(${JSON.stringify(path.join(ROOT, 'node_modules/typescript'))});
const parsed = ts.getParsedCommandLineOfConfigFile(process.argv[2], {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
const diagnostics = ts.getPreEmitDiagnostics(program);
const usage = process.resourceUsage();
const first = diagnostics.slice(0, 2).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 120));
console.log(JSON.stringify({ cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rss: usage.maxRSS * 1024, errors: diagnostics.length, first }));
`,
);

function typecheck(dir, resolution = 'nodenext') {
  const config = {
    compilerOptions: { ...STRICT, ...(resolution === 'nodenext' ? { module: 'NodeNext', moduleResolution: 'NodeNext' } : { module: 'ESNext', moduleResolution: 'bundler' }) },
    include: ['./**/*.ts'],
  };
  const file = path.join(dir, 'tsconfig.bench.json');
  writeFileSync(file, JSON.stringify(config));
  const result = spawnSync(process.execPath, ['--max-old-space-size=8192', tscJob, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  try {
    return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    return { error: (result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ').slice(0, 160) };
  }
}

function generateConcord(spec, out) {
  rmSync(out, { recursive: true, force: true });
  execFileSync(process.execPath, [concordBin, 'generate', spec, '--out', out, '--quiet', '--no-format'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function generateOpenapiTs(spec, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const job = path.join(scratch, 'ots-job.mjs');
  writeFileSync(
    job,
    `import { writeFileSync } from 'node:fs';
const { default: openapiTS, astToString } = await import(${JSON.stringify(path.join(ROOT, 'node_modules/openapi-typescript/dist/index.mjs'))});
writeFileSync(process.argv[3], astToString(await openapiTS(new URL('file://' + process.argv[2]), { silent: true })));
`,
  );
  execFileSync(process.execPath, [job, spec, path.join(out, 'types.ts')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function installHeyApi() {
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(path.join(CACHE, 'package.json'))) writeFileSync(path.join(CACHE, 'package.json'), '{"name":"concord-bench-peers","private":true}\n');
  const missing = Object.entries(HEY_API).filter(([name, version]) => {
    const file = path.join(CACHE, 'node_modules', name, 'package.json');
    return !existsSync(file) || JSON.parse(readFileSync(file, 'utf8')).version !== version;
  });
  if (missing.length > 0) execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...missing.map(([n, v]) => `${n}@${v}`)], { cwd: CACHE, stdio: 'inherit' });
}

function generateHeyApi(spec, out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const job = path.join(scratch, 'hey-job.mjs');
  writeFileSync(
    job,
    `const { createClient } = await import(${JSON.stringify(path.join(CACHE, 'node_modules/@hey-api/openapi-ts/dist/index.mjs'))});
await createClient({ input: process.argv[2], output: process.argv[3], plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', 'zod'], logs: { level: 'silent' } });
`,
  );
  execFileSync(process.execPath, [job, spec, out], { stdio: ['ignore', 'ignore', 'inherit'] });
}

if (withPeers) installHeyApi();
const rows = [];
const list = specs.map(([name, file]) => [name, path.join(SPECS, file)]);
if (args.includes('--synth')) list.push(['Synthetic 4×GHES', synthesiseStripeSize(SPECS, scratch)]);
for (const [name, spec] of list) {
  const slug = name.replace(/\W/g, '');
  const concordDir = path.join(scratch, `${slug}-concord`);
  const otsDir = path.join(scratch, `${slug}-ots`);
  generateConcord(spec, concordDir);
  generateOpenapiTs(spec, otsDir);
  const row = { spec: name, concord: typecheck(concordDir), ots: typecheck(otsDir) };
  if (withPeers) {
    const heyDir = path.join(scratch, `${slug}-hey`);
    try {
      generateHeyApi(spec, heyDir);
      row.hey = typecheck(heyDir, 'bundler');
    } catch (error) {
      row.hey = { error: String(error).slice(0, 100) };
    }
  }
  rows.push(row);
  console.error(`measured ${name}`);
}

const fmt = (m) => (m?.error ? `failed (${m.error.slice(0, 60)})` : m ? `${m.cpu.toFixed(1)} s / ${(m.rss / 2 ** 20).toFixed(0)} MiB${m.errors ? ` (${m.errors} errors)` : ''}` : '-');
const header = ['spec', 'concord (types+zod+client)', 'openapi-typescript (types)', 'ratio', ...(withPeers ? ['hey-api (types+sdk+zod)'] : [])];
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const row of rows) {
  const ratio = row.concord?.cpu && row.ots?.cpu ? `${(row.concord.cpu / row.ots.cpu).toFixed(2)}×` : '-';
  console.log(`| ${[row.spec, fmt(row.concord), fmt(row.ots), ratio, ...(withPeers ? [fmt(row.hey)] : [])].join(' | ')} |`);
}
const errors = rows.flatMap((r) => ['concord', 'ots', 'hey'].filter((k) => r[k]?.errors).map((k) => `${r.spec} ${k}: ${r[k].first.join(' / ')}`));
if (errors.length > 0) console.log(`\nfirst diagnostics:\n${errors.map((e) => `- ${e}`).join('\n')}`);
console.log(`\ntsc ${JSON.parse(readFileSync(path.join(ROOT, 'node_modules/typescript/package.json'), 'utf8')).version}, strict + noUncheckedIndexedAccess + exactOptionalPropertyTypes, skipLibCheck; CPU = user + system of a fresh node process running tsc; Node ${process.version}, ${os.cpus().length} cores`);
rmSync(scratch, { recursive: true, force: true });
