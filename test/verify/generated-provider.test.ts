import { useGeneratedProvider } from '../generators/server/use-provider.js';
import { expect, test } from 'vitest';
import { PROVIDER_SPEC } from '../generators/server/harness.js';
import type { TestHandler } from '../generators/server/provider-types.js';
import { verifyProvider } from '../../src/verify/index.js';

/**
 * The other half of the proof: concord's generated provider (server target) with handlers that honour the
 * contract passes every check, stateful included; the same provider with one handler that breaks it does not.
 */

const provider = useGeneratedProvider();

function honest(): Record<string, TestHandler> {
  const pets = new Map<number, { id: number; name: string; tag?: string; age?: number }>();
  let next = 1;
  const missing = { status: 404, body: { code: 404, message: 'no such pet' } };
  return {
    listPets: (input) => ({ status: 200, body: [...pets.values()].slice(0, input.query.limit ?? 100), headers: { 'X-Total-Count': pets.size } }),
    createPet: (input) => {
      const pet = { id: next++, name: String(input.body['name']), ...(typeof input.body['tag'] === 'string' ? { tag: input.body['tag'] } : {}) };
      pets.set(pet.id, pet);
      return { status: 201, body: pet };
    },
    showPetById: (input) => {
      const pet = pets.get(input.path.petId);
      return pet === undefined ? missing : { status: 200, body: pet };
    },
    updatePet: (input) => {
      const existing = pets.get(input.path.petId);
      if (!existing) return missing;
      const age = input.body['age'];
      const pet = { id: existing.id, name: String(input.body['name']), ...(typeof age === 'number' ? { age } : {}) };
      pets.set(pet.id, pet);
      return { status: 200, body: pet };
    },
    deletePet: (input) => (pets.delete(input.path.petId) ? { status: 204 } : missing),
    getPetPhoto: (input) => ({ status: 200, body: `photo of ${input.path.petId} as ${input.path.format ?? '?'}` }),
    getStats: () => ({ status: 200, body: { pets: pets.size } }),
  };
}

async function serve(handlers: Record<string, TestHandler>, exposeErrors = false): Promise<string> {
  const server = await provider.node.serveNode(provider.api.createRouter(handlers, { exposeErrors }));
  provider.servers.push(server);
  return server.url;
}

test('the generated provider with contract-honouring handlers: zero failures, every check exercised', async () => {
  const url = await serve(honest());
  const report = await verifyProvider({ spec: PROVIDER_SPEC, baseUrl: url, maxRequests: 10, stateful: true });
  expect(report.failures).toEqual([]);
  for (const id of ['status-declared', 'response-schema', 'content-type', 'no-server-error', 'negative-rejected', 'idempotency', 'stateful'] as const) {
    expect(report.totals[id].passed, id).toBeGreaterThan(0);
  }
});

test('the same provider with a handler that drops a required field: its response validation answers 500, which verify reports', async () => {
  const handlers = honest();
  // The router names the breach only when told to (exposeErrors); by default a 500 carries no internal detail.
  const url = await serve({ ...handlers, getStats: () => ({ status: 200, body: {} }) }, true);
  const report = await verifyProvider({ spec: PROVIDER_SPEC, baseUrl: url, maxRequests: 5, operations: ['getStats'] });
  expect(report.failures.map((f) => [f.check, f.operation])).toEqual([
    ['no-server-error', 'getStats'],
    ['status-declared', 'getStats'],
  ]);
  // The router hides the details from the caller (they are logged server-side); the problem type says what happened.
  expect(report.failures[0]?.response?.body).toContain('urn:concord:problem:response-invalid');
});
