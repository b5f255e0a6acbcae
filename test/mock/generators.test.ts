import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { generateInMemory } from '../../src/generate.js';
import { mswPath } from '../../src/generators/msw/index.js';
import { resolveMockSpec } from '../../src/mock/source.js';
import { ValidatorRegistry } from '../../src/validate/registry.js';
import { generateInto, importClient, op } from './helpers.js';

/**
 * The `mock` and `msw` generator targets. msw is not a dependency of concord: a stand-in module records what the
 * generated handlers register and answer, which is all the generated file does with msw.
 */
vi.mock('msw', () => {
  class HttpResponse {
    constructor(
      readonly body: unknown,
      readonly init: { status?: number; headers?: Record<string, string> } = {},
    ) {}
    static json(body: unknown, init?: { status?: number; headers?: Record<string, string> }): HttpResponse {
      return new HttpResponse(body, init);
    }
  }
  const route = (method: string) => (pattern: string, resolver: () => HttpResponse) => ({ method, pattern, resolver });
  return { HttpResponse, http: Object.fromEntries(['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].map((m) => [m, route(m)])) };
});

const SPEC = path.resolve('fixtures/mock-pets.yaml');

describe('mock target', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await generateInto(SPEC, ['types', 'zod', 'client', 'mock'], 'target');
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('startMock() from the generated output serves the embedded contract to the generated client', async () => {
    const generated = (await import(path.join(dir, 'mock.ts'))) as { startMock(options?: Record<string, unknown>): Promise<{ url: string; close(): Promise<void> }> };
    const mock = await generated.startMock({ stateful: true });
    try {
      const api = (await importClient(dir)).createClient({ baseUrl: mock.url });
      const created = await op(api, 'createPet')({ body: { name: 'From target', kind: 'dog' } });
      expect(created.status).toBe(201);
      const list = await op(api, 'listPets')();
      expect((list.data as Array<{ name: string }>).map((p) => p.name)).toContain('From target');
    } finally {
      await mock.close();
    }
  });
});

describe('msw target', () => {
  test('paths become msw patterns', () => {
    expect(mswPath('/pets/{petId}')).toBe('*/pets/:petId');
    expect(mswPath('/files/{file-name}.{ext}')).toBe('*/files/:file_name.:ext');
  });

  test('one handler per operation, literal paths first, bodies valid against the response validators', async () => {
    const result = await generateInMemory({ spec: SPEC, out: '.tmp/unused', targets: ['msw'], format: false, validate: false });
    const again = await generateInMemory({ spec: SPEC, out: '.tmp/unused', targets: ['msw'], format: false, validate: false });
    const file = result.files.find((f) => f.path === 'msw.ts');
    expect(file?.content).toBe(again.files.find((f) => f.path === 'msw.ts')?.content);
    expect(file?.content).toContain(`import { http, HttpResponse } from 'msw';`);

    const dir = path.resolve('.tmp', `mock-msw-${process.pid}`);
    const { writeOutputAtomically } = await import('../../src/emit/write.js');
    await writeOutputAtomically(dir, result.files, { version: 'test', specHash: result.spec.hash, optionsHash: 'test' });
    try {
      const { handlers } = (await import(path.join(dir, 'msw.ts'))) as { handlers: Array<{ method: string; pattern: string; resolver: () => { body: unknown; init: { status?: number; headers?: Record<string, string> } } }> };
      expect(handlers.map((h) => `${h.method} ${h.pattern}`)).toEqual([
        'get */me',
        'get */pets',
        'post */pets',
        'get */reports/summary',
        'delete */pets/:petId',
        'get */pets/:petId',
        'patch */pets/:petId',
        'put */pets/:petId',
      ]);
      const { ir } = await resolveMockSpec(SPEC);
      const registry = new ValidatorRegistry(ir);
      for (const handler of handlers) {
        const operation = ir.operations.find((o) => o.method === handler.method && mswPath(o.path) === handler.pattern);
        expect(operation).toBeDefined();
        if (!operation) continue;
        const answer = handler.resolver();
        const status = String(answer.init.status);
        if (answer.body === null) {
          expect(operation.responses.find((r) => r.status === status)?.content ?? []).toEqual([]);
          continue;
        }
        const validator = registry.operation(operation).responses.get(status)?.get(answer.init.headers?.['Content-Type'] ?? '');
        expect(validator?.safeParse(answer.body).success, `${handler.method} ${handler.pattern}`).toBe(true);
      }
      // The contract's example wins over generated data.
      const getPet = handlers.find((h) => h.method === 'get' && h.pattern === '*/pets/:petId');
      expect(getPet?.resolver().body).toEqual({ id: 1, name: 'Tom', kind: 'cat', createdAt: '2024-01-02T03:04:05Z' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
