import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

/** `concord mock` as a user runs it (compiled dist: `npm test` builds first). */

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['bin/concord.js', 'mock', ...args], { cwd: process.cwd() });
  let out = '';
  let err = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /^concord mock listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (ready?.[1]) resolve({ child, url: ready[1], stdout: () => out, exited });
    });
    void exited.then(({ code }) => reject(new Error(`exited ${code} before the ready line: ${err}`)));
  });
}

describe('concord mock (CLI)', () => {
  test('prints the ready line, logs each request as JSON, stops cleanly on SIGTERM', async () => {
    const mock = await start(['fixtures/petstore.yaml', '--port', '0']);
    const response = await fetch(`${mock.url}/v1/pets/7`, { headers: { 'x-correlation-id': 'cli-test-1' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
    await expect.poll(() => mock.stdout()).toContain('cli-test-1');
    const line = mock.stdout().split('\n').find((l) => l.includes('cli-test-1')) ?? '';
    expect(JSON.parse(line)).toMatchObject({ method: 'GET', path: '/v1/pets/7', status: 200, ms: expect.any(Number), correlationId: 'cli-test-1', operationId: 'showPetById' });
    mock.child.kill('SIGTERM');
    expect(await mock.exited).toEqual({ code: 0, signal: null });
  });

  test('SIGTERM stops it within a second, cancelling pending chaos and Prefer delays', async () => {
    const mock = await start(['fixtures/mock-pets.yaml', '--port', '0', '--quiet', '--headers-timeout', '2s', '--body-timeout', '5s', '--idle-timeout', '30s', '--max-connections', '50']);
    const pending = Array.from({ length: 5 }, () => fetch(`${mock.url}/pets`, { headers: { prefer: 'chaos="latency=20000ms"' } }).then((r) => r.status, () => 'dropped'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    mock.child.kill('SIGTERM');
    expect(await mock.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(1_000);
    await Promise.all(pending);
  });

  test('refuses --cors-credentials with a wildcard origin (exit 2)', async () => {
    const child = spawn(process.execPath, ['bin/concord.js', 'mock', 'fixtures/mock-pets.yaml', '--port', '0', '--cors', '*', '--cors-credentials']);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/credentials cannot be allowed for every origin/);
  });

  test('SIGINT stops it too; --stateful and --seed are honoured', async () => {
    const mock = await start(['fixtures/mock-pets.yaml', '--port', '0', '--stateful', '--seed', '5', '--quiet']);
    const created = await fetch(`${mock.url}/pets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Cli","kind":"cat"}' });
    expect(created.status).toBe(201);
    const list = (await (await fetch(`${mock.url}/pets`)).json()) as Array<{ name: string }>;
    expect(list.map((p) => p.name)).toContain('Cli');
    expect(mock.stdout()).not.toContain('"method"');
    mock.child.kill('SIGINT');
    expect(await mock.exited).toEqual({ code: 0, signal: null });
  });

  test('a bad --chaos is a usage error (exit 2) naming the problem', async () => {
    const child = spawn(process.execPath, ['bin/concord.js', 'mock', 'fixtures/petstore.yaml', '--port', '0', '--chaos', '503=3']);
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('USAGE');
    expect(err).toContain('503=3');
  });

  test('--watch serves the edited spec without a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'concord-mock-watch-'));
    const file = path.join(dir, 'openapi.yaml');
    writeFileSync(file, readFileSync('fixtures/petstore.yaml', 'utf8'));
    const mock = await start([file, '--port', '0', '--watch', '--quiet']);
    try {
      expect((await fetch(`${mock.url}/owners`)).status).toBe(404);
      const edited = readFileSync(file, 'utf8').replace('paths:\n', 'paths:\n  /owners:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: { type: array, items: { type: string } }\n');
      writeFileSync(file, edited);
      await expect.poll(async () => (await fetch(`${mock.url}/owners`)).status, { timeout: 10_000, interval: 100 }).toBe(200);
    } finally {
      mock.child.kill('SIGTERM');
      await mock.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
