import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate.js';
import { OPERATIONS_NO_CHECK } from '../../../src/generators/client/generate.js';
import { moduleStem } from '../../../src/generators/split/plan.js';
import { NO_CHECK } from '../../../src/generators/zod/generate.js';
import { hasShared, scratch, SHARED_SPECS, typecheck } from '../../helpers/workspace.js';

/**
 * Large contracts are split per tag (types/, schemas/, operations/, client/ plus re-exporting types.ts, schemas.ts,
 * operations.ts, client.ts). A small contract forced to split (splitThreshold 0) with what makes it hard: a schema
 * two tags share, a schema one tag extends (allOf: the validator uses the other's zod object), a recursive one,
 * a component no operation uses that refers to a one-tag schema, untagged operations and hostile tag names.
 */
const pet = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string', minLength: 1 } } };
const spec = {
  openapi: '3.1.0',
  info: { title: 'split', version: '1' },
  paths: {
    '/pets': {
      get: { operationId: 'listPets', tags: ['Pets'], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Pet' } } } } } } },
      post: { operationId: 'createPet', tags: ['Pets'], requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } }, responses: { '201': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } }, '400': { description: 'bad', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } } } },
    },
    '/orders/{id}': {
      get: {
        operationId: 'getOrder',
        tags: ['../Store Orders/CON'],
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } }, '404': { description: 'no', content: { 'application/json': { schema: { $ref: '#/components/schemas/Problem' } } } } },
      },
    },
    '/health': { get: { operationId: 'health', responses: { '204': { description: 'ok' } } } },
    '/shared': { get: { operationId: 'sharedThing', tags: ['Shared'], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } } } } } },
  },
  components: {
    schemas: {
      Pet: pet,
      NewPet: { allOf: [{ $ref: '#/components/schemas/PetBase' }, { type: 'object', properties: { tag: { type: 'string' } } }] },
      PetBase: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      Problem: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
      Order: { type: 'object', required: ['id', 'pet'], properties: { id: { type: 'string' }, pet: { $ref: '#/components/schemas/Pet' }, lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } } } },
      Line: { type: 'object', properties: { sku: { type: 'string' } } },
      Tree: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } } } },
      Unused: { type: 'object', properties: { line: { $ref: '#/components/schemas/Line' } } },
    },
  },
};

const dir = scratch('split-plan');
const out = path.join(dir, 'api');
let files: string[] = [];

beforeAll(async () => {
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
  const result = await generate({ spec: path.join(dir, 'spec.json'), out, splitThreshold: 0 });
  files = result.files.map((f) => f.path);
}, 60_000);

const read = (file: string): string => readFileSync(path.join(out, file), 'utf8');

describe('moduleStem', () => {
  it('turns any tag into a safe, stable file stem', () => {
    expect(moduleStem('Vector stores')).toBe('vector-stores');
    expect(moduleStem('../Store Orders/CON')).toBe('store-orders-con');
    expect(moduleStem('CON')).toBe('con-tag');
    expect(moduleStem('Shared')).toBe('shared-tag');
    expect(moduleStem('paths')).toBe('paths-tag');
    expect(moduleStem('Ünïcödé ✓')).toBe('unicode');
    expect(moduleStem('🚀')).toBe('default');
    expect(moduleStem(undefined)).toBe('default');
    expect(moduleStem('x'.repeat(200) + '-y')).toHaveLength(60);
  });
});

describe('a contract split per tag', () => {
  it('writes one module per tag and `shared`, each target re-exported from its usual file', () => {
    for (const target of ['types', 'schemas', 'client', 'operations']) expect(files).toContain(`${target}.ts`);
    expect(files).toEqual(expect.arrayContaining(['client/pets.ts', 'client/store-orders-con.ts', 'client/default.ts', 'client/shared-tag.ts', 'types/paths.ts', 'types/shared.ts', 'schemas/shared.ts', 'operations/pets.ts']));
    expect(read('schemas.ts')).toMatch(/export \* from '\.\/schemas\/pets\.js';/);
  });

  it('homes a schema with the one tag that uses it, and in `shared` what several tags or no operation use', () => {
    expect(read('types/pets.ts')).toMatch(/export (interface|type) NewPet\b/);
    expect(read('types/pets.ts')).toMatch(/export interface PetBase\b/);
    expect(read('types/shared.ts')).toMatch(/export interface Pet\b/);
    expect(read('types/shared.ts')).toMatch(/export interface Problem\b/);
    // Line is used by one tag (through Order) but also by Unused, which no operation uses: shared, so that
    // `shared` never imports a tag module.
    expect(read('types/shared.ts')).toMatch(/export interface Line\b/);
    expect(read('types/shared-tag.ts')).toMatch(/export interface Tree\b/);
  });

  it('imports only from the module itself or from `shared` (types/paths.ts, the whole contract, from all)', () => {
    for (const file of files.filter((f) => /^(types|schemas|client|operations)\/[^/]+\.ts$/.test(f) && f !== 'types/paths.ts')) {
      const [folder, name] = file.split('/');
      for (const [, target] of read(file).matchAll(/from '\.\/([^']+)\.js'/g)) {
        expect([name?.replace(/\.ts$/, ''), 'shared'], `${file} imports ./${target}`).toContain(target);
      }
      if (name === 'shared.ts') expect(read(file), `${folder}/shared.ts`).not.toMatch(/from '\.\.\/(types|schemas)\/(?!shared)/);
    }
  });

  it('type-checks under the strictest options, validators against their declared types too', async () => {
    // With the @ts-nocheck lines removed: every const's declared type is checked against its validator.
    for (const file of files.filter((f) => /^(schemas|operations)\//.test(f))) {
      writeFileSync(path.join(out, file), read(file).replace(`${NO_CHECK}\n`, '').replace(`${OPERATIONS_NO_CHECK}\n`, ''));
    }
    expect(files.filter((f) => f.startsWith('schemas/')).every((f) => !read(f).includes('@ts-nocheck'))).toBe(true);
    expect(await typecheck(out)).toBe('');
  }, 120_000);

  it('loads and validates at run time (no module reads another before it is defined)', async () => {
    const api = (await import(path.join(out, 'index.ts'))) as Record<string, { safeParse(v: unknown): { success: boolean } }> & { createClient(o: object): Record<string, unknown> };
    expect(api['NewPet']?.safeParse({ name: 'Rex', tag: 'dog' }).success).toBe(true);
    expect(api['NewPet']?.safeParse({ tag: 'dog' }).success).toBe(false);
    expect(api['Tree']?.safeParse({ children: [{ children: [] }] }).success).toBe(true);
    expect(api['Tree']?.safeParse({ children: [{ children: 1 }] }).success).toBe(false);
    expect(typeof api.createClient({ baseUrl: 'http://127.0.0.1:1' })['getOrder']).toBe('function');
  }, 60_000);
});

describe.skipIf(!hasShared)('the OpenAI contract (../shared/specs)', () => {
  const big = scratch('split-openai');
  it('splits into files prettier handles, and loads', async () => {
    const result = await generate({ spec: path.join(SHARED_SPECS, 'real/openai-openapi.yaml'), out: big, format: false });
    expect(result.files.filter((f) => f.path.startsWith('client/')).length).toBeGreaterThan(20);
    const api = (await import(path.join(big, 'index.ts'))) as { createClient(o: object): Record<string, unknown> };
    expect(typeof api.createClient({ baseUrl: 'http://127.0.0.1:1' })['createChatCompletion']).toBe('function');
  }, 300_000);
});
