import { describe, expect, test } from 'vitest';
import type { IrDocument, IrOperation } from '../../src/ir/types.js';
import { ValidatorRegistry } from '../../src/validate/registry.js';
import { buildMockRoutes } from '../../src/mock/routes.js';
import { DEFAULT_PARSE_LIMITS } from '../../templates/runtime/parse-limits.js';
import { createPipeline } from '../../templates/runtime/server-pipeline.js';
import { problemRaw } from '../../templates/runtime/server-response.js';
import type { RawRequest } from '../../templates/runtime/server-types.js';
import { createMemoryIdempotencyStore } from '../../templates/runtime/idempotency.js';

/** The mock's routing: its operation table from the IR, routed by the one pipeline the provider uses. */

function operation(method: IrOperation['method'], path: string): IrOperation {
  return { name: `${method}${path}`, method, path, deprecated: false, tags: [], parameters: [], responses: [], security: [], idempotency: { mode: 'safe', header: 'Idempotency-Key', required: false, source: 'method' }, callbacks: [], pointer: '' };
}

function document(operations: IrOperation[], servers: IrDocument['servers']): IrDocument {
  return { title: 't', version: '1', sourceVersion: '3.1.0', servers, schemas: [], operations, webhooks: [], securitySchemes: [], security: [], hash: '', bundledDocument: {} };
}

/** A pipeline whose answer names the matched operation, its path parameters and the path without the base. */
function router(operations: IrOperation[], servers: IrDocument['servers'] = []): { basePaths: string[]; send(method: string, url: string): Promise<{ status: number; allow?: string; body: unknown }> } {
  const ir = document(operations, servers);
  const { routes, basePaths } = buildMockRoutes(ir, new ValidatorRegistry(ir));
  const dispatch = createPipeline(
    routes,
    {
      basePaths,
      validateRequests: true,
      correlationHeader: 'X-Correlation-ID',
      limits: DEFAULT_PARSE_LIMITS,
      formats: 'outgoing',
      cors: undefined,
      schemes: new Map(),
      verifiers: undefined,
      realm: 'test',
      emit: () => undefined,
      metrics: undefined,
      idempotency: { store: () => createMemoryIdempotencyStore(), ttlMs: undefined, maxKeyLength: undefined },
      ignoreTrailingSlash: true,
      internalError: (error) => problemRaw({ type: 'about:blank', title: String(error), status: 500 }),
    },
    { answer: (call) => ({ response: { status: 200, headers: [], body: JSON.stringify({ name: call.spec.name, params: call.input.path ?? {}, path: call.path }) }, failed: false }) },
  );
  return {
    basePaths,
    async send(method, url) {
      const raw: RawRequest = { method, url, header: () => undefined, body: () => Promise.resolve(new Uint8Array(0)), toRequest: () => new Request(`http://x${url}`) };
      const out = await dispatch(raw);
      const allow = out.headers.find(([name]) => name === 'allow')?.[1];
      return { status: out.status, ...(allow === undefined ? {} : { allow }), body: out.status === 200 && typeof out.body === 'string' ? JSON.parse(out.body) : undefined };
    },
  };
}

const pets = router(
  [operation('get', '/pets'), operation('post', '/pets'), operation('get', '/pets/{petId}'), operation('get', '/pets/mine'), operation('delete', '/pets/{petId}'), operation('get', '/files/{name}.{ext}'), operation('get', '/v1/{name}:cancel')].map((op) => (op.path.includes('{') ? { ...op, parameters: [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1] as string, in: 'path' as const, required: true, deprecated: false, style: 'simple' as const, explode: false, allowReserved: false, schema: { kind: 'string' as const, pointer: '' }, pointer: '' })) } : op)),
  [{ url: 'https://api.test/api/v{major}', variables: { major: { default: '2' } } }],
);

describe('mock routing through the pipeline', () => {
  const cases: Array<{ method: string; path: string; want: string; params?: Record<string, string> }> = [
    { method: 'GET', path: '/pets', want: 'get/pets' },
    { method: 'GET', path: '/pets/', want: 'get/pets' },
    { method: 'POST', path: '/api/v2/pets', want: 'post/pets' },
    { method: 'GET', path: '/pets/mine', want: 'get/pets/mine' },
    { method: 'DELETE', path: '/pets/mine', want: 'delete/pets/{petId}', params: { petId: 'mine' } },
    { method: 'GET', path: '/pets/a%20b', want: 'get/pets/{petId}', params: { petId: 'a b' } },
    { method: 'HEAD', path: '/pets/7', want: 'get/pets/{petId}', params: { petId: '7' } },
    { method: 'GET', path: '/files/report.pdf', want: 'get/files/{name}.{ext}', params: { name: 'report', ext: 'pdf' } },
    { method: 'GET', path: '/v1/job-9:cancel', want: 'get/v1/{name}:cancel', params: { name: 'job-9' } },
  ];
  for (const c of cases) {
    test(`${c.method} ${c.path} -> ${c.want}`, async () => {
      const result = await pets.send(c.method, c.path);
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ name: c.want, ...(c.params ? { params: c.params } : {}) });
    });
  }

  test('405 lists the methods the path allows', async () => {
    expect(await pets.send('PUT', '/pets/1')).toMatchObject({ status: 405, allow: 'DELETE, GET, HEAD' });
  });

  test('OPTIONS on a declared path answers 204 with the methods it allows', async () => {
    expect(await pets.send('OPTIONS', '/pets')).toMatchObject({ status: 204, allow: 'GET, HEAD, POST, OPTIONS' });
  });

  test('404 for unknown paths, an empty parameter, or a base path alone', async () => {
    expect((await pets.send('GET', '/cats')).status).toBe(404);
    expect((await pets.send('GET', '/pets//x')).status).toBe(404);
    expect((await pets.send('GET', '/api/v2')).status).toBe(404);
  });

  test('base paths come from the servers, longest first, and always include the bare path', async () => {
    expect(pets.basePaths).toEqual(['/api/v2', '']);
    expect((await pets.send('GET', '/api/v2/pets/7')).body).toMatchObject({ path: '/pets/7' });
  });

  test('templates that differ only in parameter names keep their own names', async () => {
    const withParam = (op: IrOperation, names: string[], kind: 'string' | 'integer' = 'string'): IrOperation => ({ ...op, parameters: names.map((name) => ({ name, in: 'path', required: true, deprecated: false, style: 'simple', explode: false, allowReserved: false, schema: { kind, pointer: '' }, pointer: '' })) });
    const shared = router([withParam(operation('get', '/a/{id}'), ['id'], 'integer'), withParam(operation('get', '/a/{name}'), ['name']), withParam(operation('get', '/a/{slug}/c'), ['slug'])]);
    expect((await shared.send('GET', '/a/7')).body).toMatchObject({ name: 'get/a/{id}', params: { id: 7 } });
    expect((await shared.send('GET', '/a/x')).body).toMatchObject({ name: 'get/a/{name}', params: { name: 'x' } });
    expect((await shared.send('GET', '/a/x/c')).body).toMatchObject({ name: 'get/a/{slug}/c', params: { slug: 'x' } });
  });

  test('query pairs written into a path key must be in the request', async () => {
    const beta = router([operation('get', '/responses'), operation('get', '/responses?beta=true')]);
    expect((await beta.send('GET', '/responses')).body).toMatchObject({ name: 'get/responses' });
    expect((await beta.send('GET', '/responses?beta=true&x=1')).body).toMatchObject({ name: 'get/responses?beta=true' });
  });
});
