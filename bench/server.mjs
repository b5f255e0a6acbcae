#!/usr/bin/env node
// Requests per second through the generated provider router (request and response validation on), against a bare
// node:http handler answering the same JSON. The server and the load generator run in separate processes on
// 127.0.0.1; each mode is measured twice, alternating, and the better run counts (the machine may be shared).
//
//   node bench/server.mjs [--seconds 5] [--connections 32] [--build]
//
// Uses the compiled generator in dist/ (built when missing, or with --build); the runtime templates are read from
// templates/runtime, so edits there need no build.
//
// Roles (internal): `serve <bare|router> <generated-js-dir>` and `load <url> <seconds> <connections>`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PATH = '/pets/7?include=owner';
const PET = { id: 7, name: 'Rex', tag: 'dog' };

async function serve(mode, dir) {
  let handler;
  if (mode === 'bare') {
    const body = JSON.stringify(PET);
    handler = (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(body);
    };
  } else {
    const { createRouter } = await import(pathToFileURL(path.join(dir, 'server.js')).href);
    const { toNodeHandler } = await import(pathToFileURL(path.join(dir, 'runtime/server-node.js')).href);
    const unused = () => ({ status: 500, body: { code: 500, message: 'unused' } });
    const router = createRouter(
      {
        listPets: unused, createPet: unused, updatePet: unused, deletePet: unused, getPetPhoto: unused, getStats: unused,
        showPetById: (input) => ({ status: 200, body: { ...PET, id: input.path.petId } }),
      },
      { validateResponses: true },
    );
    handler = toNodeHandler(router);
  }
  // CPU time per request, measured in the server: steadier than req/s when other work shares the machine.
  let requests = 0;
  let cpu = process.cpuUsage();
  const server = http.createServer({ keepAlive: true }, (req, res) => {
    requests++;
    handler(req, res);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`));
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text) => {
    if (text.includes('mark')) {
      requests = 0;
      cpu = process.cpuUsage();
    }
    if (text.includes('report')) {
      const used = process.cpuUsage(cpu);
      process.stdout.write(`${JSON.stringify({ cpuUsPerRequest: (used.user + used.system) / Math.max(1, requests) })}\n`);
    }
  });
  process.stdin.on('end', () => process.exit(0));
}

// A raw keep-alive HTTP/1.1 client: node's http client costs more CPU per request than the servers measured here,
// and would make the load generator the bottleneck.
async function load(url, seconds, connections) {
  const target = new URL(url);
  const request = Buffer.from(`GET ${PATH} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\n\r\n`);
  let done = 0;
  let errors = 0;
  let measuring = false;
  let stop = false;
  const connection = () =>
    new Promise((resolve) => {
      const socket = net.connect(Number(target.port), target.hostname);
      let buffer = Buffer.alloc(0);
      socket.setNoDelay(true);
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        for (;;) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end === -1) return;
          const head = buffer.subarray(0, end).toString('latin1');
          let length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
          if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
            const last = buffer.indexOf('\r\n0\r\n\r\n', end + 2);
            if (last === -1) return;
            length = last + 7 - (end + 4);
          }
          if (buffer.length < end + 4 + length) return;
          if (measuring) {
            if (head.startsWith('HTTP/1.1 200')) done++;
            else errors++;
          }
          buffer = buffer.subarray(end + 4 + length);
          if (stop) {
            socket.end();
            return;
          }
          socket.write(request);
        }
      });
      socket.on('error', () => {
        errors++;
        resolve();
      });
      socket.on('close', resolve);
    });
  const all = Array.from({ length: connections }, connection);
  await new Promise((resolve) => setTimeout(resolve, 1000)); // warm-up: JIT, connections
  measuring = true;
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  stop = true;
  await Promise.all(all);
  process.stdout.write(`${JSON.stringify({ rps: done / elapsed, errors })}\n`);
}

function child(args) {
  return spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
}

/** The next JSON line a child prints. */
function nextLine(proc) {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      proc.stdout.off('data', onData);
      proc.off('exit', onExit);
      resolve(JSON.parse(out.split('\n')[0]));
    };
    const onExit = (code) => reject(new Error(`child exited with ${code}`));
    proc.stdout.on('data', onData);
    proc.on('exit', onExit);
  });
}

async function listTs(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listTs(full)));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

async function prepare(build) {
  if (build || !existsSync(path.join(ROOT, 'dist/src/generators/server/generate.js'))) {
    process.stderr.write('building concord (tsc -p tsconfig.build.json)...\n');
    spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  }
  const { generate } = await import(pathToFileURL(path.join(ROOT, 'dist/src/generate.js')).href);
  const ts = (await import('typescript')).default;
  const dir = path.join(ROOT, '.tmp', `bench-server-${process.pid}`);
  const js = `${dir}-js`;
  await generate({ spec: path.join(ROOT, 'fixtures/petstore-provider.yaml'), out: dir, targets: ['zod', 'server'] });
  for (const file of await listTs(dir)) {
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
    const target = path.join(js, path.relative(dir, file)).replace(/\.ts$/, '.js');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  return { js, cleanup: () => Promise.all([rm(dir, { recursive: true, force: true }), rm(js, { recursive: true, force: true })]) };
}

async function measure(mode, js, seconds, connections) {
  const server = child(['serve', mode, js]);
  const { url } = await nextLine(server);
  const loader = child(['load', url, String(seconds), String(connections)]);
  // The loader warms up for a second before it counts; the server's CPU window follows it.
  const marked = setTimeout(() => server.stdin.write('mark\n'), 1000);
  const result = await nextLine(loader);
  clearTimeout(marked);
  const cpu = nextLine(server);
  server.stdin.write('report\n');
  const { cpuUsPerRequest } = await cpu;
  server.stdin.end();
  loader.stdin.end();
  return { ...result, cpuUsPerRequest };
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index === -1 ? fallback : Number(args[index + 1]);
  };
  const seconds = option('--seconds', 5);
  const connections = option('--connections', 32);
  const { js, cleanup } = await prepare(args.includes('--build'));
  try {
    const runs = { bare: [], router: [] };
    for (let round = 0; round < 2; round++) {
      for (const mode of ['bare', 'router']) {
        const result = await measure(mode, js, seconds, connections);
        runs[mode].push(result);
        process.stderr.write(`  ${mode.padEnd(6)} round ${round + 1}: ${Math.round(result.rps)} req/s, ${result.cpuUsPerRequest.toFixed(1)} µs server CPU per request${result.errors ? ` (${result.errors} errors)` : ''}\n`);
      }
    }
    const best = (mode) => Math.max(...runs[mode].map((r) => r.rps));
    const cheapest = (mode) => Math.min(...runs[mode].map((r) => r.cpuUsPerRequest));
    const ratio = best('router') / best('bare');
    console.log(`GET ${PATH}, ${connections} keep-alive connections, ${seconds} s per run, load from a separate process`);
    console.log(`bare node:http      ${String(Math.round(best('bare'))).padStart(6)} req/s  ${cheapest('bare').toFixed(1)} µs CPU/request`);
    console.log(`generated router    ${String(Math.round(best('router'))).padStart(6)} req/s  ${cheapest('router').toFixed(1)} µs CPU/request  (request + response validation on)`);
    console.log(`router / bare       ${(ratio * 100).toFixed(1)}% of the throughput, ${((cheapest('bare') / cheapest('router')) * 100).toFixed(1)}% by server CPU per request  (target >= 60%)`);
    process.exitCode = ratio >= 0.6 ? 0 : 1;
  } finally {
    await cleanup();
  }
}

const [role, ...rest] = process.argv.slice(2);
if (role === 'serve') await serve(rest[0], rest[1]);
else if (role === 'load') await load(rest[0], Number(rest[1]), Number(rest[2]));
else await main();
