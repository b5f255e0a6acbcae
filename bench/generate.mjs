#!/usr/bin/env node
// Generation benchmark: concord (types + zod + client, formatted as shipped) against openapi-typescript alone on
// the same spec, each in a fresh child process; wall time and peak RSS. With --peers, pinned orval and
// @hey-api/openapi-ts are installed into a cache outside the repo and timed the same way. --spec=<name> measures one
// spec (Stripe-size is synthesised from the GitHub contract: no Stripe contract is stored), --runs=N keeps the best
// (--synth, which used to add the Stripe-size row, is accepted; the row is always there).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesiseStripeSize } from './lib/stripe-size.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPECS = path.resolve(ROOT, '../shared/specs/real');
const PEERS = { orval: '7.13.0', '@hey-api/openapi-ts': '0.95.0' };
const CACHE = path.join(os.homedir(), '.cache', 'concord-bench');
const args = process.argv.slice(2);
const withPeers = args.includes('--peers');
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 1);
const only = args.find((a) => a.startsWith('--spec='))?.slice(7);
// --baseline=<another checkout's dist/>: a second concord column, measured in the same run (before/after figures).
const baseline = args.find((a) => a.startsWith('--baseline='))?.slice(11);

const specs = [
  ['Kubernetes', 'kubernetes-swagger.json'],
  ['OpenAI', 'openai-openapi.yaml'],
  ['Box', 'box-openapi.json'],
  ['Twilio', 'twilio-api-v2010.json'],
  ['Discord', 'discord-openapi.json'],
  ['GitHub', 'github-octokit-ghes-3.6-diff-to-api.json'],
  // No Stripe contract is stored; GitHub GHES four times over stands in (bench/lib/stripe-size.mjs).
  ['Stripe-size', 'synth'],
].filter(([name]) => !only || name.toLowerCase() === only.toLowerCase());

if (!existsSync(SPECS)) {
  console.log('bench/generate: ../shared/specs is not here; nothing to measure.');
  process.exit(0);
}

const scratch = path.join(os.tmpdir(), `concord-bench-${process.pid}`);
mkdirSync(scratch, { recursive: true });

/** Run a node script in a fresh process; it prints {ms, rss} as its last line. Best of `runs`. */
function measure(script, scriptArgs, env = {}) {
  let best;
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ['--max-old-space-size=4096', script, ...scriptArgs], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...env },
      maxBuffer: 256 * 1024 * 1024,
    });
    const last = result.stdout.trim().split('\n').at(-1) ?? '';
    let parsed;
    try {
      parsed = JSON.parse(last);
    } catch {
      return { error: (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ').slice(0, 200) };
    }
    if (!best || parsed.ms < best.ms) best = parsed;
  }
  return best;
}

// Each measured job: a small ESM file written to the scratch dir, so every tool pays its own start-up.
const concordJob = path.join(scratch, 'concord-job.mjs');
writeFileSync(
  concordJob,
  `const start = performance.now();
const { generate } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/generate.js'))});
await generate({ spec: process.argv[2], out: process.argv[3] });
console.log(JSON.stringify({ ms: performance.now() - start, rss: process.resourceUsage().maxRSS * 1024 }));
`,
);
const baselineJob = path.join(scratch, 'baseline-job.mjs');
if (baseline) writeFileSync(baselineJob, readFileSync(concordJob, 'utf8').replace(JSON.stringify(path.join(ROOT, 'dist/src/generate.js')), JSON.stringify(path.resolve(baseline, 'src/generate.js'))));
// openapi-typescript reads 3.x only; a Swagger 2.0 spec is upgraded by concord first (not timed).
const otsJob = path.join(scratch, 'ots-job.mjs');
writeFileSync(
  otsJob,
  `import { readFileSync, writeFileSync } from 'node:fs';
const input = process.argv[2];
let doc;
if (process.argv[4] === 'upgrade') {
  const { loadSpec } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/load/load.js'))});
  doc = (await loadSpec(input, { validate: false })).document;
}
const start = performance.now();
const { default: openapiTS, astToString } = await import(${JSON.stringify(path.join(ROOT, 'node_modules/openapi-typescript/dist/index.mjs'))});
const source = doc ?? new URL('file://' + input);
writeFileSync(process.argv[3], astToString(await openapiTS(source, { silent: true })));
console.log(JSON.stringify({ ms: performance.now() - start, rss: process.resourceUsage().maxRSS * 1024 }));
`,
);

function installPeers() {
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(path.join(CACHE, 'package.json'))) writeFileSync(path.join(CACHE, 'package.json'), '{"name":"concord-bench-peers","private":true}\n');
  const wanted = Object.entries(PEERS).map(([name, version]) => `${name}@${version}`);
  const missing = Object.entries(PEERS).filter(([name, version]) => {
    try {
      return JSON.parse(execFileSync('node', ['-p', `JSON.stringify(require('${name}/package.json').version)`], { cwd: CACHE, encoding: 'utf8' })) !== version;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    console.log(`installing ${wanted.join(', ')} into ${CACHE} …`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...wanted], { cwd: CACHE, stdio: 'inherit' });
  }
}

function peerJob(tool, spec, out) {
  const file = path.join(scratch, `${tool.replace(/\W/g, '')}-job.mjs`);
  const body =
    tool === 'orval'
      ? `const { generate } = await import(${JSON.stringify(path.join(CACHE, 'node_modules/orval/dist/index.js'))});
await generate({ input: { target: ${JSON.stringify(spec)} }, output: { target: ${JSON.stringify(path.join(out, 'api.ts'))}, client: 'fetch', mode: 'single' } });
await generate({ input: { target: ${JSON.stringify(spec)} }, output: { target: ${JSON.stringify(path.join(out, 'zod.ts'))}, client: 'zod', mode: 'single' } });`
      : `const { createClient } = await import(${JSON.stringify(path.join(CACHE, 'node_modules/@hey-api/openapi-ts/dist/index.mjs'))});
await createClient({ input: ${JSON.stringify(spec)}, output: ${JSON.stringify(out)}, plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', 'zod'], logs: { level: 'silent' } });`;
  writeFileSync(file, `const start = performance.now();\n${body}\nconsole.log(JSON.stringify({ ms: performance.now() - start, rss: process.resourceUsage().maxRSS * 1024 }));\n`);
  return file;
}

if (withPeers) installPeers();
const rows = [];
for (const [name, file] of specs) {
  const spec = file === 'synth' ? synthesiseStripeSize(SPECS, scratch) : path.join(SPECS, file);
  const swagger2 = file.includes('swagger');
  const concord = measure(concordJob, [spec, path.join(scratch, `${name}-concord`)]);
  const ots = measure(otsJob, [spec, path.join(scratch, `${name}-ots.ts`), swagger2 ? 'upgrade' : '']);
  const row = { spec: name, concord, ots, ...(baseline ? { baseline: measure(baselineJob, [spec, path.join(scratch, `${name}-baseline`)]) } : {}) };
  if (withPeers) {
    for (const tool of Object.keys(PEERS)) {
      const out = path.join(scratch, `${name}-${tool.replace(/\W/g, '')}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      row[tool] = swagger2 && tool === 'orval' ? { error: 'skipped' } : measure(peerJob(tool, spec, out), []);
    }
  }
  rows.push(row);
  console.error(`measured ${name}`);
}

const fmt = (m) => (m?.error ? `failed (${m.error.slice(0, 60)})` : m ? `${(m.ms / 1000).toFixed(2)} s / ${(m.rss / 2 ** 20).toFixed(0)} MiB` : '-');
const header = ['spec', 'concord (types+zod+client)', 'openapi-typescript (types)', 'ratio', ...(baseline ? ['baseline concord', 'baseline ratio'] : []), ...(withPeers ? Object.keys(PEERS) : [])];
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const row of rows) {
  const ratioOf = (m) => (m?.ms && row.ots?.ms ? `${(m.ms / row.ots.ms).toFixed(2)}×` : '-');
  console.log(`| ${[row.spec, fmt(row.concord), fmt(row.ots), ratioOf(row.concord), ...(baseline ? [fmt(row.baseline), ratioOf(row.baseline)] : []), ...(withPeers ? Object.keys(PEERS).map((t) => fmt(row[t])) : [])].join(' | ')} |`);
}
console.log(`\nwall time and peak RSS, best of ${runs} run(s), each in a fresh node process; Node ${process.version}, ${os.cpus().length} cores`);
rmSync(scratch, { recursive: true, force: true });
