#!/usr/bin/env node
/**
 * Mock server throughput and startup, measured on this machine:
 * - requests/s and p50/p99 latency for one GET on the petstore and on the largest shared spec, with the load
 *   coming from a separate process (keep-alive node:http Agent, 50 connections, 5 s by default);
 * - time from spawning `concord mock` to the first answer on kubernetes-swagger.json.
 * Uses the compiled dist (run `npm run build` first). Prism is not installed; compare by running the same load
 * script against `prism mock` yourself if you have it.
 *
 *   node bench/mock.mjs [--seconds 5] [--connections 50]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};

if (args[0] === '--load') {
  await loadChild(args[1], Number(args[2]), Number(args[3]), JSON.parse(args[4] ?? '{}'));
} else {
  await main();
}

/** The load generator: `connections` keep-alive loops for `seconds`, latencies in microseconds. */
async function loadChild(url, seconds, connections, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies = [];
  let errors = 0;
  let statuses = {};
  const deadline = performance.now() + seconds * 1000;
  const one = () =>
    new Promise((resolve) => {
      const started = performance.now();
      const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, agent, headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          latencies.push(performance.now() - started);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const loop = async () => {
    while (performance.now() < deadline) await one();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  agent.destroy();
  process.stdout.write(JSON.stringify({ requests: latencies.length, errors, statuses, rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) }));
}

function runLoad(url, seconds, connections, headers) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--load', url, String(seconds), String(connections), JSON.stringify(headers)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load generator exited ${code}`))));
  });
}

/** Spawn the CLI, wait for its ready line, time the first complete answer. */
function firstAnswer(spec, requestPath, headers) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'bin/concord.js'), 'mock', spec, '--port', '0', '--quiet'], { cwd: root });
    let out = '';
    let err = '';
    let done = false;
    child.stderr.on('data', (chunk) => (err += chunk));
    child.stdout.on('data', async (chunk) => {
      out += chunk;
      const ready = /listening on (http:\/\/\S+)/.exec(out);
      if (!ready || done) return;
      done = true;
      const readyMs = performance.now() - started;
      const response = await fetch(ready[1] + requestPath, { headers });
      await response.arrayBuffer();
      const firstMs = performance.now() - started;
      const cpuMs = cpuTimeMs(child.pid);
      child.kill('SIGTERM');
      child.on('exit', () => resolve({ readyMs, firstMs, cpuMs, status: response.status }));
    });
    child.on('exit', (code) => {
      if (!done) reject(new Error(`concord mock exited ${code}: ${err}`));
    });
  });
}

/**
 * CPU time (user + system) a process has used, from /proc on Linux: unlike wall time it does not grow when other
 * work on the machine competes for the cores.
 */
function cpuTimeMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / 100 : undefined;
  } catch {
    return undefined;
  }
}

function largestSharedSpec() {
  const index = path.resolve(root, '../shared/specs/INDEX.tsv');
  if (!existsSync(index)) return undefined;
  const rows = readFileSync(index, 'utf8').split('\n').slice(1).filter(Boolean).map((line) => line.split('\t'));
  const size = (row) => Number(row[5] ?? 0);
  const largest = rows.reduce((a, b) => (size(b) > size(a) ? b : a));
  return path.resolve(root, '../shared/specs', largest[0]);
}

/** A GET without required parameters on the spec, preferring a short literal path. */
function pickGet(ir) {
  const candidates = ir.operations.filter((o) => o.method === 'get' && !o.parameters.some((p) => p.required) && !o.path.includes('{'));
  return candidates.sort((a, b) => a.path.length - b.path.length)[0];
}

function credentials(ir, operation) {
  const headers = {};
  for (const entry of operation.security[0] ?? []) {
    const scheme = ir.securitySchemes.find((s) => s.key === entry.scheme);
    if (scheme?.kind === 'api-key' && scheme.in === 'header') headers[scheme.name] = 'bench';
    else if (scheme?.kind === 'http-basic') headers['authorization'] = 'Basic YmVuY2g6YmVuY2g=';
    else if (scheme) headers['authorization'] = 'Bearer bench';
  }
  return headers;
}

async function main() {
  const distMock = path.join(root, 'dist/src/mock/index.js');
  if (!existsSync(distMock)) {
    console.error('dist/ is missing: run `npm run build` first.');
    process.exit(1);
  }
  const { startMockServer } = await import(distMock);
  const seconds = Number(flag('seconds', '5'));
  const connections = Number(flag('connections', '50'));
  const rows = [];

  const targets = [{ label: 'petstore', spec: path.join(root, 'fixtures/petstore.yaml') }];
  const largest = largestSharedSpec();
  if (largest) targets.push({ label: path.basename(largest), spec: largest });
  else console.error('(../shared/specs not found: only the petstore is measured)');

  for (const target of targets) {
    const mock = await startMockServer({ spec: target.spec, maxRecordedRequests: 0 });
    const operation = pickGet(mock.ir);
    const headers = credentials(mock.ir, operation);
    const url = `${mock.url}${operation.path}`;
    const warm = await fetch(url, { headers });
    await warm.arrayBuffer();
    const result = await runLoad(url, seconds, connections, headers);
    await mock.close();
    rows.push({ case: `${target.label} GET ${operation.path}`, rps: result.rps.toFixed(0), p50: `${result.p50.toFixed(2)} ms`, p99: `${result.p99.toFixed(2)} ms`, requests: result.requests, errors: result.errors, statuses: JSON.stringify(result.statuses) });
  }

  const startupSpec = path.resolve(root, '../shared/specs/real/kubernetes-swagger.json');
  const startups = [];
  if (existsSync(startupSpec)) {
    const { resolveMockSpec } = await import(path.join(root, 'dist/src/mock/source.js'));
    const { ir } = await resolveMockSpec(startupSpec);
    const operation = pickGet(ir);
    for (let i = 0; i < 3; i++) startups.push({ path: operation.path, ...(await firstAnswer(startupSpec, operation.path, credentials(ir, operation))) });
  }

  console.log(`\nconcord mock throughput (${connections} keep-alive connections, ${seconds} s, load from a separate process on 127.0.0.1)\n`);
  console.table(rows);
  if (startups.length > 0) {
    const first = startups.map((s) => s.firstMs).sort((a, b) => a - b);
    console.log('\nstartup to first answer, kubernetes-swagger.json (4.1 MB Swagger 2.0, 1,123 operations), `concord mock` spawned fresh:\n');
    console.table(startups.map((s, i) => ({ run: i + 1, request: `GET ${s.path}`, status: s.status, ready: `${s.readyMs.toFixed(0)} ms`, 'first answer': `${s.firstMs.toFixed(0)} ms`, 'cpu until then': s.cpuMs === undefined ? 'n/a' : `${s.cpuMs.toFixed(0)} ms` })));
    const cpu = startups.map((s) => s.cpuMs).filter((n) => n !== undefined).sort((a, b) => a - b);
    console.log(`median first answer: ${first[1]?.toFixed(0)} ms wall${cpu.length > 0 ? `, ${cpu[Math.floor(cpu.length / 2)]?.toFixed(0)} ms CPU` : ''} (target < 2000 ms)`);
  }
  console.log(`\n${os.cpus().length} cores; load average during the run: ${os.loadavg().map((n) => n.toFixed(2)).join(' ')} (other work on the machine skews wall-clock figures)`);
}
