import { useGeneratedProvider } from './use-provider.js';
import { describe, expect, it } from 'vitest';
import type { PetInput, TestHandler } from './provider-types.js';
import type { HandlerContext } from '../../../templates/runtime/server-types.js';
import type { RouterOptions } from '../../../templates/runtime/server-router.js';

const provider = useGeneratedProvider();

interface Seen {
  operation: string;
  input: PetInput;
  context: HandlerContext;
}

/** Handlers for every operation of the fixture, recording what they were called with. */
function petstore(seen: Seen[], overrides: Record<string, TestHandler> = {}): Record<string, TestHandler> {
  const pets = new Map<number, { id: number; name: string; age?: number }>([[7, { id: 7, name: 'Rex' }]]);
  const record = (operation: string, handler: TestHandler): TestHandler => (input, context) => {
    seen.push({ operation, input, context });
    return handler(input, context);
  };
  const handlers: Record<string, TestHandler> = {
    listPets: (input) => ({ status: 200, body: [...pets.values()].slice(0, input.query.limit ?? 100), headers: { 'X-Total-Count': pets.size } }),
    createPet: (input) => {
      const id = pets.size + 100;
      pets.set(id, { id, name: String(input.body['name']) });
      return { status: 201, body: pets.get(id) };
    },
    showPetById: (input) => {
      const pet = pets.get(input.path.petId);
      return pet === undefined ? { status: 404, body: { code: 404, message: 'no such pet' } } : { status: 200, body: pet };
    },
    updatePet: (input) => {
      const age = input.body['age'];
      const pet = { id: input.path.petId, name: String(input.body['name']), ...(typeof age === 'number' ? { age } : {}) };
      pets.set(pet.id, pet);
      return { status: 200, body: pet };
    },
    deletePet: (input) => (pets.delete(input.path.petId) ? { status: 204 } : { status: 404, body: { code: 404, message: 'no such pet' } }),
    getPetPhoto: (input) => ({ status: 200, body: `photo of ${input.path.petId} as ${input.path.format ?? '?'}` }),
    getStats: () => ({ status: 200, body: { pets: pets.size } }),
  };
  return Object.fromEntries(Object.entries({ ...handlers, ...overrides }).map(([name, handler]) => [name, record(name, handler)]));
}

async function serve(handlers: Record<string, TestHandler>, options: RouterOptions = {}): Promise<string> {
  const server = await provider.node.serveNode(provider.api.createRouter(handlers, options));
  provider.servers.push(server);
  return server.url;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  pointer?: string;
  errors?: Array<{ pointer: string; message: string }>;
  [extension: string]: unknown;
}

async function problemOf(response: Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body: unknown = await response.json();
  return body as Problem;
}

describe('every declared operation is reachable through node:http', () => {
  it('parses each parameter location and body into typed values, and sends the declared response', async () => {
    const seen: Seen[] = [];
    const url = await serve(petstore(seen));
    const call = async (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${url}${path}`, init);

    const list = await call('/pets?limit=1&tags=a,b', { headers: { 'X-Tenant': 'acme' } });
    expect(list.status).toBe(200);
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(await list.json()).toEqual([{ id: 7, name: 'Rex' }]);

    const created = await call('/pets', { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': 'k-1' }, body: JSON.stringify({ name: 'Tom' }) });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ id: 101, name: 'Tom' });

    const shown = await call('/pets/7?include=owner&include=history');
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual({ id: 7, name: 'Rex' });

    const updated = await call('/pets/7', { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Max&age=4&vaccinated=true' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({ id: 7, name: 'Max', age: 4 });

    const photo = await call('/pets/7/photo.png');
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('text/plain');
    expect(await photo.text()).toBe('photo of 7 as png');

    const stats = await call('/stats', { headers: { cookie: 'other=1; session=abcd1234' } });
    expect(await stats.json()).toEqual({ pets: 2 });

    const deleted = await call('/pets/7', { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    const missing = await call('/pets/7');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 404, message: 'no such pet' });

    // The first call of each operation.
    const inputs = Object.fromEntries([...seen].reverse().map((s) => [s.operation, s.input]));
    expect(inputs['listPets']).toEqual({ query: { limit: 1, tags: ['a', 'b'] }, header: { 'X-Tenant': 'acme' } });
    expect(inputs['createPet']).toEqual({ header: { 'Idempotency-Key': 'k-1' }, body: { name: 'Tom' }, contentType: 'application/json' });
    expect(inputs['showPetById']).toEqual({ path: { petId: 7 }, query: { include: ['owner', 'history'] } });
    expect(inputs['updatePet']).toEqual({ path: { petId: 7 }, body: { name: 'Max', age: 4, vaccinated: true }, contentType: 'application/x-www-form-urlencoded' });
    expect(inputs['getPetPhoto']).toEqual({ path: { petId: 7, format: 'png' } });
    expect(inputs['getStats']).toEqual({ cookie: { session: 'abcd1234' } });
    expect(new Set(seen.map((s) => s.operation))).toEqual(new Set(provider.api.routes.map((r) => r.name)));
  });

  it('runs as a plain web handler, without node:http', async () => {
    const router = provider.api.createRouter(petstore([]));
    const response = await router(new Request('http://example.test/pets/7'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 7, name: 'Rex' });
    const head = await router(new Request('http://example.test/pets/7', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it('serves under a base path', async () => {
    const url = await serve(petstore([]), { basePath: '/v1' });
    expect((await fetch(`${url}/v1/pets/7`)).status).toBe(200);
    expect((await fetch(`${url}/pets/7`)).status).toBe(404);
  });
});

describe('invalid requests get problem+json naming the failing pointer', () => {
  const json = (body: string, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': 'key-x', ...headers }, body });
  const cases: Array<{ name: string; path: string; init?: RequestInit; status: number; pointer?: string; type?: string }> = [
    { name: 'query not a number', path: '/pets?limit=abc', status: 400, pointer: '/query/limit' },
    { name: 'query above maximum', path: '/pets?limit=1000', status: 400, pointer: '/query/limit' },
    { name: 'header not matching its pattern', path: '/pets', init: { headers: { 'X-Tenant': 'ACME' } }, status: 400, pointer: '/header/X-Tenant' },
    { name: 'path below minimum', path: '/pets/0', status: 400, pointer: '/path/petId' },
    { name: 'path not an integer', path: '/pets/abc', status: 400, pointer: '/path/petId' },
    { name: 'path enum', path: '/pets/1/photo.gif', status: 400, pointer: '/path/format' },
    { name: 'required cookie missing', path: '/stats', status: 400, pointer: '/cookie/session' },
    { name: 'required key header missing', path: '/pets', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"a"}' }, status: 400, pointer: '/header/Idempotency-Key' },
    { name: 'undeclared media type', path: '/pets', init: json('name=a', { 'content-type': 'text/plain' }), status: 415, type: 'urn:concord:problem:unsupported-media-type' },
    { name: 'malformed JSON', path: '/pets', init: json('{"name":'), status: 400, pointer: '/body', type: 'urn:concord:problem:malformed-body' },
    { name: 'body property invalid', path: '/pets', init: json('{"name":""}'), status: 422, pointer: '/body/name' },
    { name: 'body property of the wrong type', path: '/pets', init: json('{"name":"a","age":"old"}'), status: 422, pointer: '/body/age' },
    { name: 'required body missing', path: '/pets', init: json(''), status: 422, pointer: '/body' },
    { name: 'form field invalid', path: '/pets/7', init: { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=a&age=-1' }, status: 422, pointer: '/body/age' },
    { name: 'unknown path', path: '/owners', status: 404, type: 'urn:concord:problem:not-found' },
    { name: 'undeclared method', path: '/pets', init: { method: 'PATCH' }, status: 405, type: 'urn:concord:problem:method-not-allowed' },
  ];
  it.each(cases)('$name -> $status', async ({ path, init, status, pointer, type }) => {
    const seen: Seen[] = [];
    const url = await serve(petstore(seen));
    const response = await fetch(`${url}${path}`, init);
    expect(response.status).toBe(status);
    const problem = await problemOf(response);
    expect(problem.status).toBe(status);
    if (pointer !== undefined) {
      expect(problem.pointer).toBe(pointer);
      if (status !== 400 || type === undefined) expect(problem.errors?.map((e) => e.pointer)).toContain(pointer);
    }
    if (type !== undefined) expect(problem.type).toBe(type);
    expect(seen).toEqual([]);
  });

  it('names the allowed methods on 405 and refuses bodies over the limit with 413', async () => {
    const url = await serve(petstore([]), { maxBodyBytes: 64 });
    const wrongMethod = await fetch(`${url}/pets`, { method: 'PATCH' });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD, POST');
    await wrongMethod.body?.cancel();
    const big = await fetch(`${url}/pets`, { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': 'big' }, body: JSON.stringify({ name: 'x'.repeat(200) }) });
    expect(big.status).toBe(413);
    expect((await problemOf(big)).type).toBe('urn:concord:problem:payload-too-large');
  });
});

describe('correlation id', () => {
  it('echoes the caller’s id, creates one otherwise, and hands it to the handler', async () => {
    const seen: Seen[] = [];
    const url = await serve(petstore(seen));
    const given = await fetch(`${url}/pets/7`, { headers: { 'X-Correlation-ID': 'order-42' } });
    expect(given.headers.get('x-correlation-id')).toBe('order-42');
    const created = await fetch(`${url}/pets/7`);
    const id = created.headers.get('x-correlation-id') ?? '';
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seen.map((s) => s.context.correlationId)).toEqual(['order-42', id]);
    const rejected = await fetch(`${url}/pets/abc`, { headers: { 'X-Correlation-ID': 'bad-one' } });
    expect(rejected.headers.get('x-correlation-id')).toBe('bad-one');
    const unsafe = await fetch(`${url}/pets/7`, { headers: { 'X-Correlation-ID': 'a b' } });
    expect(unsafe.headers.get('x-correlation-id')).not.toBe('a b');
  });
});

describe('response validation', () => {
  const wrong: Array<{ name: string; handler: TestHandler; reason: RegExp; pointer?: string }> = [
    { name: 'an undeclared status', handler: () => ({ status: 418, body: { id: 1, name: 'x' } }), reason: /Status 418 is not declared/ },
    { name: 'a body missing a required property', handler: () => ({ status: 200, body: { id: 1 } }), reason: /does not match the contract/, pointer: '/body/name' },
    { name: 'a body of the wrong type', handler: () => ({ status: 404, body: 'gone' }), reason: /does not match the contract/, pointer: '/body' },
    { name: 'no response at all', handler: () => undefined, reason: /did not return/ },
  ];
  it.each(wrong)('catches $name in development with a 500 problem', async ({ handler, reason, pointer }) => {
    const events: unknown[] = [];
    const url = await serve(petstore([], { showPetById: handler }), { onEvent: (e) => events.push(e), exposeErrors: true });
    const response = await fetch(`${url}/pets/7`);
    expect(response.status).toBe(500);
    const problem = await problemOf(response);
    expect(problem.type).toBe('urn:concord:problem:response-invalid');
    expect(problem.detail).toMatch(reason);
    if (pointer !== undefined) expect(problem.pointer).toBe(pointer);
    expect(events).toContainEqual(expect.objectContaining({ type: 'response-invalid', operationId: 'showPetById', issues: expect.any(Array) }));
    // Without `exposeErrors` the client learns only that it failed, and the id to find it in the logs.
    const quiet = await fetch(`${await serve(petstore([], { showPetById: handler }), { onEvent: () => undefined })}/pets/7`);
    const hidden = await problemOf(quiet);
    expect(hidden).not.toHaveProperty('detail');
    expect(hidden).not.toHaveProperty('errors');
    expect(hidden['correlationId']).toBe(quiet.headers.get('x-correlation-id'));
  });

  it('is on unless NODE_ENV is production, and can be switched', async () => {
    const handler: TestHandler = () => ({ status: 200, body: { id: 1 } });
    const previous = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      const production = provider.api.createRouter(petstore([], { showPetById: handler }));
      expect((await production(new Request('http://x.test/pets/7'))).status).toBe(200);
    } finally {
      if (previous === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = previous;
    }
    const off = provider.api.createRouter(petstore([], { showPetById: handler }), { validateResponses: false });
    const passed = await off(new Request('http://x.test/pets/7'));
    expect(passed.status).toBe(200);
    expect(await passed.json()).toEqual({ id: 1 });
    const forced = provider.api.createRouter(petstore([], { showPetById: handler }), { validateResponses: true });
    expect((await forced(new Request('http://x.test/pets/7'))).status).toBe(500);
  });

  it('answers a handler that throws with a 500 problem, naming the error only with exposeErrors', async () => {
    const failing: TestHandler = () => {
      throw new Error('database down: relation "payments" does not exist');
    };
    const logged: string[] = [];
    const logger = { warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
    // Development (NODE_ENV unset) no longer exposes internal text by default: the finding was PostgreSQL messages in 500s.
    const dev = await provider.api.createRouter(petstore([], { showPetById: failing }), { logger })(new Request('http://x.test/pets/7'));
    expect(dev.status).toBe(500);
    const hidden = await problemOf(dev);
    expect(hidden.detail).toBeUndefined();
    expect(JSON.stringify(hidden)).not.toContain('payments');
    expect(hidden['correlationId']).toBe(dev.headers.get('x-correlation-id'));
    expect(logged.join('\n')).toContain(`correlation id ${dev.headers.get('x-correlation-id')}`);
    const opted = await provider.api.createRouter(petstore([], { showPetById: failing }), { exposeErrors: true, logger })(new Request('http://x.test/pets/7'));
    expect((await problemOf(opted)).detail).toBe('Error: database down: relation "payments" does not exist');
  });
});
