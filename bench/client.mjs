#!/usr/bin/env node
// Per-call overhead of the generated client (validation off and on, no retries needed) against a bare fetch to
// the same local server. The server runs in a separate process; calls are sequential; medians over interleaved
// rounds so machine noise hits every variant alike.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileDir } from './lib/transpile.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CALLS = Number(process.argv.find((a) => a.startsWith('--calls='))?.slice(8) ?? 2000);

if (process.argv[2] === '--server') {
  const { createServer } = await import('node:http');
  const pet = JSON.stringify({ id: 1, name: 'Rex', tag: 'dog' });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(pet) });
      res.end(pet);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
} else {
  // Generate the petstore client and transpile it to plain JS next to the repo's node_modules.
  const dir = path.join(ROOT, '.tmp', `bench-client-${process.pid}`);
  const { generate } = await import(pathToFileURL(path.join(ROOT, 'dist/src/generate.js')).href);
  await generate({ spec: path.join(ROOT, 'fixtures/petstore.yaml'), out: path.join(dir, 'src'), format: false });
  transpileDir(path.join(dir, 'src'), path.join(dir, 'js'));
  const { createClient } = await import(pathToFileURL(path.join(dir, 'js', 'index.js')).href);

  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: 'inherit' });
  const port = await new Promise((resolve) => child.once('message', resolve));
  const base = `http://127.0.0.1:${port}`;
  const validated = createClient({ baseUrl: base });
  const unvalidated = createClient({ baseUrl: base, validate: false });
  // metricsText() counters and OpenTelemetry (no SDK registered here: the API's no-op spans) are on by default.
  const plain = createClient({ baseUrl: base, metrics: false, tracing: false });
  const variants = {
    'bare fetch': async () => {
      const r = await fetch(`${base}/pets/1`, { headers: { accept: 'application/json' } });
      await r.json();
    },
    // The client sends correlation and trace headers on every call by design; this isolates the wrapper's own cost.
    'bare fetch + the same headers': async () => {
      const r = await fetch(`${base}/pets/1`, {
        headers: { accept: 'application/json', 'x-correlation-id': crypto.randomUUID(), traceparent: `00-${crypto.randomUUID().replace(/-/g, '')}-${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}-01` },
      });
      await r.json();
    },
    'client, validation off': async () => {
      await unvalidated.showPetById({ path: { petId: '1' } });
    },
    'client, validation on': async () => {
      await validated.showPetById({ path: { petId: '1' } });
    },
    'client, validation on, metrics and tracing off': async () => {
      await plain.showPetById({ path: { petId: '1' } });
    },
  };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const fn of Object.values(variants)) for (let i = 0; i < 200; i++) await fn(); // warm up
  for (let round = 0; round < CALLS / 100; round++) {
    for (const [name, fn] of Object.entries(variants)) {
      for (let i = 0; i < 100; i++) {
        const start = performance.now();
        await fn();
        samples[name].push(performance.now() - start);
      }
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bare = median(samples['bare fetch']);
  console.log(`\n| variant | median µs | vs bare fetch |\n|---|---|---|`);
  for (const name of Object.keys(variants)) {
    const m = median(samples[name]);
    console.log(`| ${name} | ${(m * 1000).toFixed(0)} | ${name === 'bare fetch' ? '-' : `${(((m - bare) / bare) * 100).toFixed(1)}%`} |`);
  }
  console.log(`\n${CALLS} sequential GET /pets/{id} per variant against a node:http server in another process (target: < 10% over bare fetch)`);
  child.kill();
  if (!process.env.CONCORD_BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}
