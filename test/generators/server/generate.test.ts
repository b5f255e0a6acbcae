import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateInMemory } from '../../../src/generate.js';
import { ROOT } from './harness.js';

const TMP = path.join(ROOT, '.tmp', `server-gen-${process.pid}`);
afterAll(async () => {
  await rm(TMP, { recursive: true, force: true });
});

async function specFile(name: string, document: unknown): Promise<string> {
  await mkdir(TMP, { recursive: true });
  const file = path.join(TMP, name);
  await writeFile(file, JSON.stringify(document));
  return file;
}

async function serverTs(spec: string): Promise<{ server: string; index: string; runtime: string[] }> {
  const result = await generateInMemory({ spec, out: TMP, targets: ['server'] });
  const file = (p: string): string => result.files.find((f) => f.path === p)?.content ?? '';
  return { server: file('server.ts'), index: file('index.ts'), runtime: result.files.filter((f) => f.path.startsWith('runtime/')).map((f) => f.path) };
}

const edgy = {
  openapi: '3.0.3',
  info: { title: 'Edge cases', version: '1' },
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        summary: 'Ends a comment */ early',
        responses: {
          '200': {
            description: 'ok',
            headers: { 'x-"quoted': { schema: { type: 'string' } } },
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ListThingsHandlerInput' } }, 'text/csv': { schema: { type: 'string' } } },
          },
          '2XX': { description: 'other success' },
          '4XX': { description: 'client error', content: { 'application/json': { schema: { type: 'object' } } } },
          default: { description: 'error', content: { 'application/json': { schema: { type: 'object' } } } },
        },
      },
      post: {
        operationId: 'ping',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } } } },
        responses: {},
      },
    },
  },
  components: { schemas: { ListThingsHandlerInput: { type: 'array', items: { type: 'string' } } } },
};

describe('server generator', () => {
  it('writes the same bytes for the same contract', async () => {
    const spec = path.join(ROOT, 'fixtures/petstore-provider.yaml');
    const [first, second] = await Promise.all([generateInMemory({ spec, out: TMP, targets: ['server'] }), generateInMemory({ spec, out: TMP, targets: ['server'] })]);
    expect(second.files).toEqual(first.files);
  });

  it('prints each response kind as its own variant, with status types that exclude what others declare', async () => {
    const { server } = await serverTs(await specFile('edgy.json', edgy));
    expect(server).toContain(`body: z.input<(typeof s.listThingsSchemas.responses)['200']['application/json']>;`);
    expect(server).toContain(`contentType: 'text/csv';`);
    expect(server).toContain('status: Exclude<StatusInRange<2>, 200>;');
    expect(server).toContain('status: StatusInRange<4>;');
    expect(server).toContain('status: Exclude<HttpStatus, 200 | StatusInRange<2> | StatusInRange<4>>;');
    expect(server).toContain(`headers?: { 'x-"quoted'?: string | number } & ResponseHeaders;`);
    // An optional body with two media types, or none.
    expect(server).toMatch(/export type PingHandlerInput =\s*\|\s*{ contentType: 'application\/json'; body: [^}]+}\s*\|\s*{ contentType: 'text\/plain'; body: [^}]+}\s*\|\s*{ contentType\?: undefined; body\?: undefined };/);
    // No declared responses: any status goes.
    expect(server).toMatch(/export type PingHandlerResult = {\s*status: HttpStatus;/);
  });

  it('keeps clear of schema names, comment breakers and node-only exports', async () => {
    const { server, index, runtime } = await serverTs(await specFile('edgy.json', edgy));
    expect(server).toContain('export type ListThingsHandlerInputServer = Record<string, never>;');
    expect(server).toMatch(/\(\s*request: ListThingsHandlerInputServer,\s*context: HandlerContext,?\s*\)/);
    expect(server).not.toContain('*/ early');
    expect(index).toContain(`export * from './server.js';`);
    expect(index).not.toContain('server-node');
    expect(runtime).toContain('runtime/server-node.ts');
    expect(runtime).toContain('runtime/postgres.ts');
    expect(runtime).not.toContain('runtime/webhooks.ts');
  });

  it('builds the original petstore contract', async () => {
    const { server, runtime } = await serverTs(path.join(ROOT, 'fixtures/petstore.yaml'));
    expect(server).toContain('listPets: ListPetsHandler;');
    expect(server).toContain('createPets: CreatePetsHandler;');
    expect(server).toContain('showPetById: ShowPetByIdHandler;');
    expect(server).toContain(`{ name: 'petId', in: 'path', style: 'simple', explode: false, hint: 'string' }`);
    expect(runtime).toEqual(expect.arrayContaining(['runtime/server-router.ts', 'runtime/idempotency.ts', 'runtime/problem.ts']));
  });
});
