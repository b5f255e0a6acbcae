import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { ConcordError, ERROR_CODES } from '../../src/errors.js';
import { exitCodeFor } from '../../src/cli/main.js';
import { Reporter } from '../../src/cli/reporter.js';
import { cli, ROOT, scratch } from '../helpers/workspace.js';

const fixture = (name: string): string => path.join(ROOT, 'fixtures', name);

/** Start `concord mock`; resolve with the ready line or the exit (whichever comes first). */
function mock(args: string[]): Promise<{ ready: boolean; code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/concord.js'), 'mock', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/listening on/.test(stdout)) {
        child.once('exit', () => resolve({ ready: true, code: null, stdout, stderr }));
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => resolve({ ready: /listening on/.test(stdout), code, stdout, stderr }));
  });
}

describe('exit codes: 1 check failed, 2 invalid input, 3 internal', () => {
  it('every code in the catalogue maps to 1, 2 or 3, and only INTERNAL to 3', () => {
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect([1, 2, 3], code).toContain(entry.exit);
      expect(entry.exit === 3, code).toBe(code === 'INTERNAL');
      expect(entry.cause + entry.fix, code).not.toMatch(/bug in concord/i);
    }
    const sources = ['src/cli/reporter.ts', 'src/cli/main.ts', 'src/errors.ts'].map((f) => readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    expect(sources).not.toMatch(/bug in concord/i);
  });

  it('an unexpected exception: "internal error", the code, exit 3 and how to report; never "a bug in concord"', () => {
    let written = '';
    const sink = new Writable({ write(chunk: Buffer, _encoding, done) { written += chunk.toString(); done(); } });
    const reporter = new Reporter('normal', sink as unknown as NodeJS.WriteStream, sink as unknown as NodeJS.WriteStream);
    expect(exitCodeFor(new TypeError("Cannot read properties of undefined (reading 'x')"), reporter)).toBe(3);
    expect(written).toContain("internal error (INTERNAL, exit 3): Cannot read properties of undefined (reading 'x')");
    expect(written).toContain('Re-run with --verbose and report');
    expect(written).not.toMatch(/bug in concord/i);
    written = '';
    expect(exitCodeFor(new ConcordError('STALE_OUTPUT', 'stale'), reporter)).toBe(1);
    expect(exitCodeFor(new ConcordError('SPEC_CONTRACT', 'broken'), reporter)).toBe(2);
  });

  it('a broken contract: generate and mock both exit 2 naming every fault; the mock never starts', async () => {
    const spec = fixture('bad/contract-faults.yaml');
    const generated = await cli(['generate', spec, '--out', path.join(scratch('faults'), 'api')]);
    const served = await mock([spec, '--port', '0']);
    for (const result of [generated, served]) {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('error SPEC_CONTRACT: The contract has 6 faults');
      expect(result.stderr).toContain(`${spec}:19 #/paths/~1payments~1{id}/get/operationId`);
      expect(result.stderr).toContain('Did you mean `NewPayment`?');
    }
    expect(served.ready).toBe(false);
  });

  it('the override a message prints, put in the config, lets generate and mock through', async () => {
    const dir = scratch('override');
    const spec = path.join(dir, 'openapi.yaml');
    copyFileSync(fixture('bad/path-template.yaml'), spec);
    const first = await cli(['generate', spec, '--out', path.join(dir, 'api')]);
    const printed = [...first.stderr.matchAll(/overrides: (\{.*\})$/gm)].map((m) => JSON.parse(m[1] ?? '{}') as Record<string, Record<string, unknown>>);
    expect(printed).toHaveLength(3);
    const overrides: Record<string, Record<string, unknown>> = {};
    for (const entry of printed) for (const [kind, value] of Object.entries(entry)) overrides[kind] = { ...overrides[kind], ...value };
    writeFileSync(path.join(dir, 'concord.config.json'), JSON.stringify({ spec: 'openapi.yaml', out: 'api', overrides }));
    const repaired = await cli(['generate', '--quiet'], { cwd: dir });
    expect(repaired.stderr).toBe('');
    expect(repaired.code).toBe(0);
    expect(readFileSync(path.join(dir, 'api/client.ts'), 'utf8')).toContain('/payments/{paymentId}');
    const served = await mock(['--config', path.join(dir, 'concord.config.json'), '--port', '0', '--quiet']);
    expect(served.ready).toBe(true);
  });

  it('mock: a port in use or out of range exits 2 with what to do', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      const busy = await mock([fixture('petstore.yaml'), '--port', String(port)]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toContain(`error PORT_UNAVAILABLE: Port ${port} on 127.0.0.1 is already in use.`);
      expect(busy.stderr).toContain('--port 0');
    } finally {
      holder.close();
    }
    const range = await mock([fixture('petstore.yaml'), '--port', '70000']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('--port must be between 0 and 65535');
  });

  it('an output directory that cannot be written or read exits 2, not 1', async () => {
    const dir = scratch('out-file');
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const write = await cli(['generate', fixture('petstore.yaml'), '--out', path.join(file, 'api')]);
    expect(write.code).toBe(2);
    expect(write.stderr).toContain('error OUTPUT_WRITE');
    const check = await cli(['generate', fixture('petstore.yaml'), '--out', file, '--check']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('error OUTPUT_READ');
  });

  it('dlq list on a store that is not there exits 2 and creates nothing', async () => {
    const store = path.join(scratch('dlq-missing'), 'typo');
    const result = await cli(['dlq', 'list', '--store', store]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error DLQ_STORE: No dead-letter store at ${store}`);
    expect(result.stderr).toContain('never creates a store');
    expect(existsSync(store)).toBe(false);
  });
});
