import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { generateInto, importClient, op, type ClientCall, type ClientModule } from './helpers.js';

/** Contract tests through the generated client: what a user of `createClient({ baseUrl: mock.url })` sees. */

const SPEC = path.resolve('fixtures/mock-pets.yaml');
let dir = '';
let mod: ClientModule;

beforeAll(async () => {
  dir = await generateInto(SPEC, ['types', 'zod', 'client'], 'contract');
  mod = await importClient(dir);
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function client(mock: MockServer, extra: Record<string, unknown> = {}): Record<string, ClientCall> {
  return mod.createClient({ baseUrl: mock.url, ...extra });
}

describe('validation errors', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ spec: SPEC });
  });
  afterAll(() => mock.close());

  const cases: Array<{ name: string; call: string; input: Record<string, unknown>; status: number; pointer: string }> = [
    { name: 'query above maximum', call: 'listPets', input: { query: { limit: 1000 } }, status: 400, pointer: '/query/limit' },
    { name: 'query not in the enum', call: 'listPets', input: { query: { kind: 'fish' } }, status: 400, pointer: '/query/kind' },
    { name: 'path parameter of the wrong type', call: 'getPet', input: { path: { petId: 'abc' } }, status: 400, pointer: '/path/petId' },
    { name: 'body member too short', call: 'createPet', input: { body: { name: '', kind: 'cat' } }, status: 400, pointer: '/body/name' },
    { name: 'body member missing', call: 'createPet', input: { body: { name: 'Tom' } }, status: 400, pointer: '/body/kind' },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      // validate: false lets the bad input through the client so the mock is the one judging it.
      const result = await op(client(mock), c.call)(c.input, { validate: false, retry: false });
      expect(result.status).toBe(c.status);
      expect(result.response.headers.get('content-type')).toBe('application/problem+json');
      expect(result.error).toMatchObject({ status: c.status, pointer: c.pointer });
    });
  }

  test('the problem details validate against the declared Problem schema', async () => {
    const result = await op(client(mock), 'listPets')({ query: { limit: 0 } }, { validate: { request: false }, retry: false });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ type: 'urn:concord:problem:request-validation', title: expect.any(String), status: 400, instance: '/pets' });
  });

  test('security presence: 401 without credentials, 200 with either alternative', async () => {
    const denied = await op(client(mock), 'getMe')({}, { retry: false });
    expect(denied.status).toBe(401);
    expect(denied.response.headers.get('www-authenticate')).toContain('Bearer');
    const bearer = await op(client(mock, { headers: { Authorization: 'Bearer t0k3n' } }), 'getMe')();
    expect(bearer.status).toBe(200);
    const apiKey = await op(client(mock, { headers: { 'X-API-Key': 'k' } }), 'getMe')();
    expect(apiKey.status).toBe(200);
    expect(apiKey.data).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), email: expect.stringContaining('@') });
  });

  test('correlation id is echoed, or made when absent', async () => {
    const given = await op(client(mock), 'getReport')({}, { correlationId: 'corr-123' });
    expect(given.response.headers.get('x-correlation-id')).toBe('corr-123');
    const made = await fetch(`${mock.url}/reports/summary`);
    expect(made.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Prefer and negotiation', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ spec: SPEC });
  });
  afterAll(() => mock.close());

  test('Prefer: code=404 answers the declared 404 with a valid body', async () => {
    const result = await op(client(mock), 'getPet')({ path: { petId: 1 } }, { headers: { Prefer: 'code=404' } });
    expect(result.status).toBe(404);
    expect(result.error).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
  });

  test('Prefer: example=dog answers that example; the default is the first valid example', async () => {
    const dog = await op(client(mock), 'getPet')({ path: { petId: 1 } }, { headers: { Prefer: 'example=dog' } });
    expect(dog.data).toEqual({ id: 2, name: 'Rex', kind: 'dog', createdAt: '2024-02-03T04:05:06Z' });
    const first = await op(client(mock), 'getPet')({ path: { petId: 1 } });
    expect(first.data).toEqual({ id: 1, name: 'Tom', kind: 'cat', createdAt: '2024-01-02T03:04:05Z' });
  });

  test('Prefer: dynamic=true generates seeded data the client validates', async () => {
    const a = await op(client(mock), 'getPet')({ path: { petId: 5 } }, { headers: { Prefer: 'dynamic=true' } });
    const b = await op(client(mock), 'getPet')({ path: { petId: 5 } }, { headers: { Prefer: 'dynamic=true' } });
    expect(a.ok).toBe(true);
    expect(a.data).not.toEqual({ id: 1, name: 'Tom', kind: 'cat', createdAt: '2024-01-02T03:04:05Z' });
    expect(b.data).toEqual(a.data);
  });

  test('Prefer with an unknown example or undeclared code is a clear 400', async () => {
    const unknown = await op(client(mock), 'getPet')({ path: { petId: 1 } }, { headers: { Prefer: 'example=fish' }, retry: false });
    expect(unknown.status).toBe(400);
    expect(String((unknown.error as { detail?: string }).detail)).toContain('cat, dog');
    const undeclared = await op(client(mock), 'getPet')({ path: { petId: 1 } }, { headers: { Prefer: 'code=418' }, retry: false });
    expect(undeclared.status).toBe(400);
  });

  test('Accept picks the representation; an impossible Accept is 406', async () => {
    const csv = await op(client(mock), 'getReport')({}, { headers: { Accept: 'text/csv' } });
    expect(csv.response.headers.get('content-type')).toBe('text/csv');
    expect(csv.data).toBe('kind,total\ncat,1\ndog,1\n');
    const json = await op(client(mock), 'getReport')({}, { headers: { Accept: 'application/json;q=0.9, text/csv;q=0.1' } });
    expect(json.data).toMatchObject({ total: expect.any(Number) });
    const none = await op(client(mock), 'getReport')({}, { headers: { Accept: 'application/xml' }, retry: false });
    expect(none.status).toBe(406);
  });

  test('routing: base path optional, 404 and 405 with Allow', async () => {
    const withBase = await fetch(`${mock.url}/v1/pets/1`);
    expect(withBase.status).toBe(200);
    const missing = await fetch(`${mock.url}/cats`);
    expect(missing.status).toBe(404);
    const wrong = await fetch(`${mock.url}/reports/summary`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
  });

  test('CORS is off by default: no Access-Control headers for any Origin', async () => {
    const simple = await fetch(`${mock.url}/pets`, { headers: { Origin: 'http://evil.test' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('access-control-allow-credentials')).toBeNull();
  });

  test('CORS when enabled: listed origins only, credentials never reflected to others', async () => {
    const cors = await startMockServer({ spec: SPEC, cors: { origins: ['http://app.test'], credentials: true } });
    try {
      const preflight = await fetch(`${cors.url}/pets`, { method: 'OPTIONS', headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.test');
      expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,idempotency-key');
      const simple = await fetch(`${cors.url}/pets`, { headers: { Origin: 'http://app.test' } });
      expect(simple.headers.get('access-control-expose-headers')).toContain('X-Correlation-ID');
      expect(simple.headers.get('vary')).toBe('Origin');
      // Before: any Origin was reflected with credentials allowed.
      const other = await fetch(`${cors.url}/pets`, { headers: { Origin: 'http://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      expect(other.headers.get('access-control-allow-credentials')).toBeNull();
      const otherPreflight = await fetch(`${cors.url}/pets`, { method: 'OPTIONS', headers: { Origin: 'http://evil.test', 'Access-Control-Request-Method': 'POST' } });
      expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.close();
    }
    await expect(startMockServer({ spec: SPEC, cors: { origins: '*', credentials: true } })).rejects.toThrow(/credentials cannot be allowed for every origin/);
  });
});

describe('stateful CRUD round trip', () => {
  test('seeded from examples; create, read, replace, patch, delete', async () => {
    const mock = await startMockServer({ spec: SPEC, stateful: true });
    try {
      const api = client(mock);
      const initial = await op(api, 'listPets')();
      expect(initial.data).toEqual([
        { id: 1, name: 'Tom', kind: 'cat', createdAt: '2024-01-02T03:04:05Z' },
        { id: 2, name: 'Rex', kind: 'dog', createdAt: '2024-02-03T04:05:06Z' },
      ]);
      const created = await op(api, 'createPet')({ body: { name: 'Polly', kind: 'bird', tag: 'loud' } });
      expect(created.status).toBe(201);
      expect(created.data).toMatchObject({ id: 3, name: 'Polly', kind: 'bird', tag: 'loud', createdAt: expect.any(String) });
      expect(created.response.headers.get('location')).toBe('/pets/3');
      const read = await op(api, 'getPet')({ path: { petId: 3 } });
      expect(read.data).toEqual(created.data);
      const replaced = await op(api, 'replacePet')({ path: { petId: 3 }, body: { name: 'Polly II', kind: 'bird' } });
      expect(replaced.status).toBe(200);
      expect(replaced.data).toMatchObject({ id: 3, name: 'Polly II', kind: 'bird' });
      const patched = await op(api, 'updatePet')({ path: { petId: 3 }, body: { tag: 'quiet' } });
      expect(patched.data).toMatchObject({ id: 3, name: 'Polly II', tag: 'quiet' });
      const limited = await op(api, 'listPets')({ query: { limit: 2 } });
      expect((limited.data as unknown[]).length).toBe(2);
      const deleted = await op(api, 'deletePet')({ path: { petId: 3 } });
      expect(deleted.status).toBe(204);
      const gone = await op(api, 'getPet')({ path: { petId: 3 } });
      expect(gone.status).toBe(404);
      expect(gone.error).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
      const final = await op(api, 'listPets')();
      expect((final.data as Array<{ id: number }>).map((p) => p.id)).toEqual([1, 2]);
    } finally {
      await mock.close();
    }
  });

  test('state is per server instance', async () => {
    const [a, b] = await Promise.all([startMockServer({ spec: SPEC, stateful: true }), startMockServer({ spec: SPEC, stateful: true })]);
    try {
      await op(client(a), 'createPet')({ body: { name: 'Only in A', kind: 'cat' } });
      const inA = (await op(client(a), 'listPets')()).data as unknown[];
      const inB = (await op(client(b), 'listPets')()).data as unknown[];
      expect(inA.length).toBe(3);
      expect(inB.length).toBe(2);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('idempotency', () => {
  test('two concurrent requests with one key: one executes, the other gets 409 or the replay', async () => {
    const mock = await startMockServer({ spec: SPEC, stateful: true });
    try {
      const api = client(mock);
      const send = (): Promise<{ status: number; replayed: boolean; data: unknown }> =>
        op(api, 'createPet')({ body: { name: 'Twin', kind: 'cat' } }, { idempotencyKey: 'key-twin', retry: false }).then((r) => ({ status: r.status, replayed: r.response.headers.get('idempotency-replayed') === 'true', data: r.data }));
      const [first, second] = await Promise.all([send(), send()]);
      const outcomes = [first, second].map((r) => (r.status === 409 ? 'in-flight' : r.replayed ? 'replay' : r.status === 201 ? 'executed' : `other ${r.status}`)).sort();
      expect(['executed,in-flight', 'executed,replay']).toContain(outcomes.join(','));
      const later = await send();
      expect(later).toMatchObject({ status: 201, replayed: true });
      const list = (await op(api, 'listPets')()).data as Array<{ name: string }>;
      expect(list.filter((p) => p.name === 'Twin')).toHaveLength(1);
      const different = await op(api, 'createPet')({ body: { name: 'Other', kind: 'dog' } }, { idempotencyKey: 'key-twin', retry: false });
      expect(different.status).toBe(422);
      expect(different.response.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await mock.close();
    }
  });

  test('a request rejected by validation does not use up its key', async () => {
    const mock = await startMockServer({ spec: SPEC, stateful: true });
    try {
      const api = client(mock);
      const bad = await op(api, 'createPet')({ body: { name: '', kind: 'cat' } }, { idempotencyKey: 'key-fix', validate: false, retry: false });
      expect(bad.status).toBe(400);
      const fixed = await op(api, 'createPet')({ body: { name: 'Fixed', kind: 'cat' } }, { idempotencyKey: 'key-fix', retry: false });
      expect(fixed.status).toBe(201);
      expect(fixed.response.headers.get('idempotency-replayed')).toBeNull();
    } finally {
      await mock.close();
    }
  });
});

describe('chaos', () => {
  test('a fixed seed gives the same sequence twice; 429 and 503 carry Retry-After', async () => {
    const run = async (): Promise<string[]> => {
      const mock = await startMockServer({ spec: SPEC, seed: 42, chaos: '503=0.25,429=0.15,500=0.1' });
      try {
        const api = client(mock);
        const seen: string[] = [];
        for (let i = 0; i < 40; i++) {
          const result = await op(api, 'listPets')({}, { retry: false });
          const retryAfter = result.response.headers.get('retry-after');
          if (result.status === 429 || result.status === 503) expect(retryAfter).toBe('1');
          seen.push(String(result.status));
        }
        return seen;
      } finally {
        await mock.close();
      }
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['200', '429', '500', '503']));
  });

  test('Prefer: chaos applies to one request', async () => {
    const mock = await startMockServer({ spec: SPEC });
    try {
      const result = await op(client(mock), 'listPets')({}, { headers: { Prefer: 'chaos="503=1,retry-after=7"' }, retry: false });
      expect(result.status).toBe(503);
      expect(result.response.headers.get('retry-after')).toBe('7');
      expect((await op(client(mock), 'listPets')()).status).toBe(200);
    } finally {
      await mock.close();
    }
  });

  test('the client retries through resets and 503s without duplicate effects (keyed operation)', async () => {
    const mock = await startMockServer({ spec: SPEC, stateful: true, seed: 7, chaos: 'reset=0.35,503=0.2,retry-after=0' });
    try {
      const api = client(mock, { retry: { maxAttempts: 12, baseMs: 1, capMs: 4, floorMs: 1 } });
      const names = Array.from({ length: 12 }, (_, i) => `Chaos ${i}`);
      for (const name of names) {
        const created = await op(api, 'createPet')({ body: { name, kind: 'dog' } });
        expect(created.status).toBe(201);
      }
      const stored = mock.requests.filter((r) => r.operationId === 'createPet');
      expect(stored.some((r) => r.chaos === 'reset')).toBe(true);
      expect(stored.some((r) => r.chaos === 503)).toBe(true);
      expect(stored.some((r) => r.replayed)).toBe(true);
      // Listing may itself hit a fault; retries are on by default for GET.
      const list = (await op(api, 'listPets')({ query: { limit: 100 } })).data as Array<{ name: string }>;
      for (const name of names) expect(list.filter((p) => p.name === name)).toHaveLength(1);
    } finally {
      await mock.close();
    }
  });
});
