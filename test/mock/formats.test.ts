import { afterEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/server.js';

// The mock is the provider's pipeline: a format mismatch in a request it receives is not a reason to refuse it
// (by default), as in the generated router.

const document = {
  openapi: '3.1.0',
  info: { title: 'links', version: '1' },
  paths: {
    '/links': {
      post: {
        operationId: 'createLink',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['href'], properties: { href: { type: 'string', format: 'uri' }, on: { type: 'string', format: 'date' } } } } } },
        responses: { '201': { description: 'Created', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } }, example: { id: 'l1' } } } } },
      },
    },
  },
};

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function post(formats: 'strict' | 'outgoing' | undefined, body: unknown): Promise<number> {
  const server = await startMockServer({ spec: structuredClone(document), ...(formats ? { formats } : {}) });
  servers.push(server);
  const response = await fetch(`${server.url}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

describe('mock: formats in requests it receives', () => {
  it('accepts a relative URI and a date-time for format date by default, still rejects a wrong type', async () => {
    expect(await post(undefined, { href: '/relative', on: '1987-12-23T00:00:00Z' })).toBe(201);
    // A body outside its schema: 422, as the provider answers (one pipeline; the contract declares no 400/422 here).
    expect(await post(undefined, { href: 5 })).toBe(422);
  });

  it("rejects them with formats: 'strict'", async () => {
    expect(await post('strict', { href: '/relative' })).toBe(422);
    expect(await post('strict', { href: 'https://example.com/a', on: '1987-12-23' })).toBe(201);
  });
});
