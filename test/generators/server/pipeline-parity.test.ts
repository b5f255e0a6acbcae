import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../../src/mock/index.js';
import { PROVIDER_SPEC } from './harness.js';
import type { TestHandler } from './provider-types.js';
import { useGeneratedProvider } from './use-provider.js';

/**
 * One pipeline: the mock and the generated provider, over the same contract, route, parse and refuse the same
 * requests with the same status (and Allow header). Every provider handler throws, so a request that should have
 * been refused but reached a handler answers 500 and fails the comparison.
 */
const provider = useGeneratedProvider();
let mock: MockServer | undefined;
let providerUrl = '';

const unreachable: TestHandler = () => {
  throw new Error('a refused request reached the handler');
};

beforeAll(async () => {
  mock = await startMockServer({ spec: PROVIDER_SPEC });
  const handlers = Object.fromEntries(['listPets', 'createPet', 'showPetById', 'updatePet', 'deletePet'].map((name) => [name, unreachable]));
  const server = await provider.node.serveNode(provider.api.createRouter(handlers, { basePath: '/v1', logger: { warn: () => undefined, error: () => undefined } }));
  provider.servers.push(server);
  providerUrl = server.url;
});
afterAll(async () => mock?.close());

const json = { 'content-type': 'application/json' };
const cases: Array<{ name: string; method: string; path: string; headers?: Record<string, string>; body?: string; status: number }> = [
  { name: 'query above its maximum', method: 'GET', path: '/v1/pets?limit=1000', status: 400 },
  { name: 'query not an integer', method: 'GET', path: '/v1/pets?limit=abc', status: 400 },
  { name: 'header outside its pattern', method: 'GET', path: '/v1/pets', headers: { 'x-tenant': 'ABC' }, status: 400 },
  { name: 'path parameter below its minimum', method: 'GET', path: '/v1/pets/0', status: 400 },
  { name: 'path parameter not an integer', method: 'GET', path: '/v1/pets/abc', status: 400 },
  { name: 'query item outside its enum', method: 'GET', path: '/v1/pets/7?include=nope', status: 400 },
  { name: 'undeclared method', method: 'PATCH', path: '/v1/pets', status: 405 },
  { name: 'undeclared path', method: 'GET', path: '/v1/nope', status: 404 },
  { name: 'encoded control character', method: 'GET', path: '/v1/pets/%00', status: 400 },
  { name: 'required header missing', method: 'POST', path: '/v1/pets', headers: json, body: '{"name":"Rex"}', status: 400 },
  { name: 'undeclared content type', method: 'POST', path: '/v1/pets', headers: { 'content-type': 'text/plain', 'idempotency-key': 'k1' }, body: 'Rex', status: 415 },
  { name: 'malformed JSON', method: 'POST', path: '/v1/pets', headers: { ...json, 'idempotency-key': 'k2' }, body: '{"name":', status: 400 },
  { name: 'body outside its schema', method: 'POST', path: '/v1/pets', headers: { ...json, 'idempotency-key': 'k3' }, body: '{"name":5}', status: 422 },
  { name: 'required body missing', method: 'POST', path: '/v1/pets', headers: { 'idempotency-key': 'k4' }, status: 422 },
];

async function send(base: string, c: (typeof cases)[number]): Promise<{ status: number; allow: string | null }> {
  const response = await fetch(`${base}${c.path}`, { method: c.method, ...(c.headers ? { headers: c.headers } : {}), ...(c.body === undefined ? {} : { body: c.body }) });
  await response.arrayBuffer();
  return { status: response.status, allow: response.headers.get('allow') };
}

describe('mock and provider refuse alike (one pipeline)', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.method} ${c.path} -> ${c.status}`, async () => {
      const [fromMock, fromProvider] = await Promise.all([send(mock?.url ?? '', c), send(providerUrl, c)]);
      expect(fromProvider).toEqual({ status: c.status, allow: fromProvider.allow });
      expect(fromMock).toEqual(fromProvider);
    });
  }
});
