import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generate } from '../../../src/generate.js';
import { ROOT, scratch, typecheck } from '../../helpers/workspace.js';

/**
 * A user's program against the client generated for fixtures/payments.yaml (fixtures/programs/payments-user.ts): it must compile
 * under strict + noUncheckedIndexedAccess + exactOptionalPropertyTypes + verbatimModuleSyntax + NodeNext with
 * every misuse marked `@ts-expect-error` (an unused one is an error too), and run against
 * `concord mock --stateful` (the built CLI: `npm run build` first).
 */

let dir = '';
let mock: ChildProcessWithoutNullStreams | undefined;
let baseUrl = '';

function startMock(): Promise<string> {
  const child = spawn(process.execPath, ['bin/concord.js', 'mock', 'fixtures/payments.yaml', '--stateful', '--port', '0', '--quiet'], { cwd: ROOT });
  mock = child;
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.on('exit', (code) => reject(new Error(`concord mock exited ${code}: ${err}`)));
  });
}

/** The first TypeScript block of the README's "Using the generated client" section, as written. */
function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Using the generated client'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no ts block under "Using the generated client"');
  return block;
}

beforeAll(async () => {
  dir = scratch('user-program');
  await generate({ spec: path.join(ROOT, 'fixtures/payments.yaml'), out: path.join(dir, 'api') });
  copyFileSync(path.join(ROOT, 'fixtures/programs/payments-user.ts'), path.join(dir, 'main.ts'));
  writeFileSync(path.join(dir, 'readme.ts'), readmeExample());
  baseUrl = await startMock();
}, 120_000);

afterAll(() => {
  mock?.kill('SIGTERM');
});

describe('a user program against the generated payments client', () => {
  test('compiles under the strictest tsconfig, every misuse rejected', async () => {
    // @types/node for the README example's process.env.
    expect(await typecheck(dir, 'nodenext', ['node'])).toBe('');
  }, 120_000);

  test('the README example runs as written (against the mock instead of localhost:4010)', async () => {
    const file = path.join(dir, 'readme-run.ts');
    writeFileSync(file, readmeExample().replaceAll("'http://localhost:4010'", JSON.stringify(baseUrl)));
    process.env['TOKEN'] = 'readme-token';
    await expect(import(file)).resolves.toBeDefined();
  }, 60_000);

  test('runs against concord mock --stateful', async () => {
    const program = (await import(path.join(dir, 'main.ts'))) as { main: (baseUrl: string, token: string) => Promise<string[]> };
    const log = await program.main(baseUrl, 'test-token');
    expect(log).toEqual([
      'attempts 2, one key true',
      expect.stringMatching(/^created (pending|succeeded|failed) 1250$/),
      'replayed true',
      expect.stringMatching(/^conflict: createPayment: invalid request headers: \/headers\/Idempotency-Key: two different idempotency keys: options\.idempotencyKey is "b" but the Idempotency-Key header is "a"/),
      '404 not_found',
      'read order-1',
      // The mock rejects the invalid body with a status the contract may or may not declare (400 today).
      expect.stringMatching(/^(undeclared number|declared 422)$/),
      'auth: auth scheme "bearerAuth": credentials were given for a scheme the contract does not declare; its schemes are "bearer"',
    ]);
  }, 60_000);
});
