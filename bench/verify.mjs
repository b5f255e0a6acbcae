#!/usr/bin/env node
/**
 * `concord verify` speed against concord's own mock (spawned as `concord mock`, a separate process, as a real
 * provider would be):
 * - a synthesised 200-operation contract (50 resources x list/create/read/delete; query, path, header
 *   parameters, JSON bodies, bearer auth, keyed creates), whole contract, default settings: wall time
 *   (target < 60 s) and requests/s (target >= 500/s);
 * - fixtures/mock-pets.yaml with --max-requests 100.
 * Wall-clock figures suffer from whatever else runs on the machine; CPU time per request on each side does not,
 * and gives the rate two idle cores would sustain (each side on its own core).
 * No TypeScript peer exists (the point); Schemathesis (Python) is not installed here.
 *
 *   node bench/verify.mjs
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** 50 resources x 4 operations = 200. */
export function synthesiseSpec(resources = 50) {
  const paths = {};
  const schemas = {};
  for (let i = 0; i < resources; i++) {
    const name = `Thing${i}`;
    schemas[name] = {
      type: 'object',
      required: ['id', 'name', 'count'],
      properties: {
        id: { type: 'integer', readOnly: true },
        name: { type: 'string', minLength: 1, maxLength: 40 },
        count: { type: 'integer', minimum: 0, maximum: 1000 },
        kind: { type: 'string', enum: ['a', 'b', 'c'] },
        tags: { type: 'array', items: { type: 'string', maxLength: 10 }, maxItems: 5 },
        createdAt: { type: 'string', format: 'date-time', readOnly: true },
      },
    };
    const ref = { $ref: `#/components/schemas/${name}` };
    const json = (schema) => ({ 'application/json': { schema } });
    const error = { description: 'Error', content: json({ $ref: '#/components/schemas/Error' }) };
    paths[`/things${i}`] = {
      get: {
        operationId: `list${name}`,
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'kind', in: 'query', schema: { type: 'string', enum: ['a', 'b', 'c'] } },
          { name: 'X-Tenant', in: 'header', schema: { type: 'string', maxLength: 20 } },
        ],
        responses: { 200: { description: 'List', content: json({ type: 'array', items: ref }) }, 400: error },
      },
      post: {
        operationId: `create${name}`,
        'x-idempotency': true,
        requestBody: { required: true, content: json(ref) },
        responses: { 201: { description: 'Created', content: json(ref) }, 400: error, 409: error, 422: error },
      },
    };
    paths[`/things${i}/{id}`] = {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      get: { operationId: `get${name}`, responses: { 200: { description: 'One', content: json(ref) }, 400: error, 404: error } },
      delete: { operationId: `delete${name}`, responses: { 204: { description: 'Deleted' }, 400: error, 404: error } },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Synthesised 200 operations', version: '1.0.0' },
    security: [{ bearer: [] }],
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { ...schemas, Error: { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } } },
  };
}

function startMock(spec, stateful) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/concord.js'), 'mock', spec, '--port', '0', '--quiet', ...(stateful ? ['--stateful'] : [])], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const ready = /listening on (http:\/\/\S+)/.exec(out);
      if (ready) resolve({ url: ready[1], cpuMs: () => cpuTimeMs(child.pid), stop: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))) });
    });
    child.on('exit', (code) => reject(new Error(`concord mock exited ${code}`)));
  });
}

async function measure(label, spec, options, verifyProvider) {
  const mock = await startMock(spec, options.stateful === true);
  try {
    const mockBefore = mock.cpuMs();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report = await verifyProvider({ spec, baseUrl: mock.url, ...options });
    const used = process.cpuUsage(cpu);
    const wall = (performance.now() - started) / 1000;
    const verifyMs = (used.user + used.system) / 1000 / report.requests;
    const mockCpu = mock.cpuMs();
    const mockMs = mockBefore === undefined || mockCpu === undefined ? undefined : (mockCpu - mockBefore) / report.requests;
    return {
      case: label,
      operations: report.operations.length,
      requests: report.requests,
      'wall (incl. load)': `${wall.toFixed(1)} s`,
      'requests/s': report.requestsPerSecond,
      'verify CPU/request': `${verifyMs.toFixed(2)} ms`,
      'mock CPU/request': mockMs === undefined ? 'n/a' : `${mockMs.toFixed(2)} ms`,
      // Each side on its own core: the slower one sets the pace when nothing else competes for the CPU.
      'requests/s, idle 2 cores': mockMs === undefined ? 'n/a' : Math.round(1000 / Math.max(verifyMs, mockMs)),
      failures: report.failures.length,
    };
  } finally {
    await mock.stop();
  }
}

/** CPU time (user + system) of a process from /proc (Linux); it does not grow when other work competes. */
function cpuTimeMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / 100 : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const dist = path.join(root, 'dist/src/verify/index.js');
  if (!existsSync(dist)) {
    console.error('dist/ is missing: run `npm run build` first.');
    process.exit(1);
  }
  const { verifyProvider } = await import(dist);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'concord-verify-bench-'));
  try {
    const synth = path.join(dir, 'synth-200.json');
    writeFileSync(synth, JSON.stringify(synthesiseSpec(50)));
    const rows = [];
    rows.push(await measure('synthesised 200 operations, defaults', synth, { auth: { bearer: 'bench' } }, verifyProvider));
    rows.push(await measure('synthesised 200 operations, defaults + --stateful', synth, { auth: { bearer: 'bench' }, stateful: true }, verifyProvider));
    rows.push(await measure('mock-pets.yaml, --max-requests 100', path.join(root, 'fixtures/mock-pets.yaml'), { auth: { bearer: 'bench' }, maxRequests: 100 }, verifyProvider));
    console.log('\nconcord verify against `concord mock` (separate process, 127.0.0.1); targets: 200 operations < 60 s, >= 500 requests/s\n');
    console.table(rows);
    console.log(`\n${os.cpus().length} cores; load average: ${os.loadavg().map((n) => n.toFixed(2)).join(' ')} (other work on the machine skews wall-clock figures)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
