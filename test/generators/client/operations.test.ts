import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate.js';
import { OPERATIONS_NO_CHECK } from '../../../src/generators/client/generate.js';
import { ROOT, scratch, typecheck } from '../../helpers/workspace.js';

/**
 * operations.ts ships with @ts-nocheck (the user's tsc reads its declared `rt.OperationSpec` consts and never
 * relates each operation's typed validators to the runtime's types). Here, with the directive removed, every spec
 * literal must type-check against `OperationSpec`, over fixtures that use streams, files, hostile names and
 * the client's other features; and the check must be able to fail.
 */
const FIXTURES = ['petstore.yaml', 'payments.yaml', 'files.yaml', 'openai-chat-stream.yaml', 'client-kitchen.yaml', 'hostile-names.yaml', 'paginate/cursor.yaml', 'streaming/events.yaml'];
const dir = scratch('client-operations');

beforeAll(async () => {
  for (const fixture of FIXTURES) {
    const out = path.join(dir, fixture.replace(/\W+/g, '-'));
    await generate({ spec: path.join(ROOT, 'fixtures', fixture), out, format: false, validate: false });
  }
}, 120_000);

const operationsFile = (fixture: string): string => path.join(dir, fixture.replace(/\W+/g, '-'), 'operations.ts');

describe('operations.ts', () => {
  it('ships with the directive, and client.ts reads the specs from it', () => {
    for (const fixture of FIXTURES) {
      expect(readFileSync(operationsFile(fixture), 'utf8').split('\n')[1]).toBe(OPERATIONS_NO_CHECK);
      expect(readFileSync(path.join(path.dirname(operationsFile(fixture)), 'client.ts'), 'utf8')).toContain(`import * as $ops from './operations.js';`);
    }
  });

  it('type-checks against rt.OperationSpec with the directive removed', async () => {
    for (const fixture of FIXTURES) {
      const file = operationsFile(fixture);
      writeFileSync(file, readFileSync(file, 'utf8').replace(`${OPERATIONS_NO_CHECK}\n`, ''));
    }
    expect(await typecheck(dir)).toBe('');
  }, 120_000);

  it('reports a spec that does not fit OperationSpec', async () => {
    const file = operationsFile('petstore.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(`${OPERATIONS_NO_CHECK}\n`, '').replace(/mode: (["'])safe\1/, 'mode: "sometimes"'));
    expect(await typecheck(path.dirname(file))).toMatch(/operations\.ts.*TS2322/);
  }, 120_000);
});
