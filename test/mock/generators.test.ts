import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateInto, importClient, op } from './helpers.js';

/** The `mock` generator target (the msw target is tested with the real msw in msw.test.ts). */
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
