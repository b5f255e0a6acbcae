#!/usr/bin/env node
// Memory of large transfers through the generated client: a 200 MB download and a 200 MB upload, each in a fresh
// process, reporting peak RSS (process.resourceUsage().maxRSS) side by side with bare fetch streaming the same
// bytes and with bare fetch buffering them (what a client that reads every body whole costs). Sizes: --mb=200.
import { fork } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileDir } from './lib/transpile.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = Number(process.argv.find((a) => a.startsWith('--mb='))?.slice(5) ?? 200);
const SIZE = MB * 1024 * 1024;
const CHUNK = 64 * 1024;

function source(size) {
  let sent = 0;
  const chunk = new Uint8Array(CHUNK).map((_, i) => i % 251);
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) return controller.close();
      const n = Math.min(CHUNK, size - sent);
      sent += n;
      controller.enqueue(n === CHUNK ? chunk.slice() : chunk.slice(0, n));
    },
  });
}

async function drain(stream) {
  let total = 0;
  for await (const chunk of stream) total += chunk.byteLength;
  return total;
}

const mode = process.argv[2];
if (mode === '--server') {
  const { createServer } = await import('node:http');
  const { Readable } = await import('node:stream');
  const server = createServer((req, res) => {
    if (req.method === 'PUT') {
      let size = 0;
      req.on('data', (c) => (size += c.length));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ size }));
      });
      return;
    }
    req.resume();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': SIZE });
    Readable.fromWeb(source(SIZE)).pipe(res);
  });
  server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
} else if (mode === '--measure') {
  const [variant, port, dir] = process.argv.slice(3);
  const base = `http://127.0.0.1:${port}`;
  const { createClient } = await import(pathToFileURL(path.join(dir, 'js', 'index.js')).href);
  const { createNodeFetch } = await import(pathToFileURL(path.join(dir, 'js', 'node.js')).href);
  const api = createClient({ baseUrl: base, ...(variant.includes('createNodeFetch') ? { fetch: createNodeFetch() } : {}) });
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  let bytes = 0;
  if (variant.startsWith('download: client')) bytes = await drain((await api.getBlob({ path: { name: 'x' } })).data.stream());
  else if (variant === 'download: fetch body') bytes = await drain((await fetch(`${base}/blobs/x`)).body);
  else if (variant === 'download: fetch arrayBuffer()') bytes = (await (await fetch(`${base}/blobs/x`)).arrayBuffer()).byteLength;
  else if (variant.startsWith('upload: client')) bytes = (await api.putBlob({ path: { name: 'x' }, body: source(SIZE) })).data.size;
  else if (variant === 'upload: fetch ReadableStream') bytes = (await (await fetch(`${base}/blobs/x`, { method: 'PUT', body: source(SIZE), duplex: 'half', headers: { 'content-type': 'application/octet-stream' } })).json()).size;
  else if (variant === 'upload: fetch buffered') {
    const whole = new Uint8Array(await new Response(source(SIZE)).arrayBuffer());
    bytes = (await (await fetch(`${base}/blobs/x`, { method: 'PUT', body: whole, headers: { 'content-type': 'application/octet-stream' } })).json()).size;
  }
  const ms = performance.now() - started;
  process.send?.({ bytes, ms, before, peak: process.resourceUsage().maxRSS * 1024 });
} else {
  const dir = path.join(ROOT, '.tmp', `bench-files-${process.pid}`);
  const { generate } = await import(pathToFileURL(path.join(ROOT, 'dist/src/generate.js')).href);
  await generate({ spec: path.join(ROOT, 'fixtures/files.yaml'), out: path.join(dir, 'src'), format: false, targets: ['types', 'zod', 'client', 'node'] });
  transpileDir(path.join(dir, 'src'), path.join(dir, 'js'));
  const server = fork(fileURLToPath(import.meta.url), ['--server', `--mb=${MB}`], { stdio: 'inherit' });
  const port = await new Promise((resolve) => server.once('message', resolve));
  const variants = [
    'download: client stream()',
    'download: client stream() + createNodeFetch',
    'download: fetch body',
    'download: fetch arrayBuffer()',
    'upload: client ReadableStream',
    'upload: client ReadableStream + createNodeFetch',
    'upload: fetch ReadableStream',
    'upload: fetch buffered',
  ];
  const rows = [];
  try {
    for (const variant of variants) {
      const child = fork(fileURLToPath(import.meta.url), ['--measure', variant, String(port), dir, `--mb=${MB}`], { stdio: 'inherit', execArgv: ['--expose-gc'] });
      const result = await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${variant}: exit ${code}`))));
      });
      if (result.bytes !== SIZE) throw new Error(`${variant}: moved ${result.bytes} bytes, expected ${SIZE}`);
      const mib = (n) => (n / 1024 / 1024).toFixed(0);
      rows.push({ variant, 'MB moved': MB, 'peak RSS (MiB)': mib(result.peak), 'RSS before (MiB)': mib(result.before), 'growth (MiB)': mib(result.peak - result.before), 'MB/s': ((SIZE / 1024 / 1024) / (result.ms / 1000)).toFixed(0) });
    }
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`Large transfers, ${MB} MB each, one process per row (peak RSS includes the runtime itself):`);
  console.table(rows);
}
