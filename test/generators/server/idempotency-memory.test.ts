import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProvider, importGenerated, type Generated } from './harness.js';
import { CONCURRENT, expectOneEffect, sendConcurrently, sendMismatch } from './keyed-scenario.js';
import type { ClientModule, IdempotencyModule, NodeModule, ServerModule, TestHandler } from './provider-types.js';
import type { RunningServer } from '../../../templates/runtime/server-node.js';
import type { ServerEvent } from '../../../templates/runtime/server-types.js';

let generated: Generated;
let api: ServerModule;
let node: NodeModule;
let client: ClientModule;
let idempotency: IdempotencyModule;
const servers: RunningServer[] = [];

beforeAll(async () => {
  generated = await generateProvider();
  api = await importGenerated<ServerModule>(generated.dir, 'server.ts');
  node = await importGenerated<NodeModule>(generated.dir, 'runtime/server-node.ts');
  client = await importGenerated<ClientModule>(generated.dir, 'client.ts');
  idempotency = await importGenerated<IdempotencyModule>(generated.dir, 'runtime/idempotency.ts');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await generated?.remove();
});

const unused: TestHandler = () => ({ status: 500, body: { code: 500, message: 'not part of this test' } });

function provider(effects: string[], events: ServerEvent[]): Record<string, TestHandler> {
  return {
    listPets: unused, showPetById: unused, updatePet: unused, deletePet: unused, getPetPhoto: unused, getStats: unused,
    createPet: async (input) => {
      const name = String(input.body['name']);
      effects.push(name);
      // Long enough that the concurrent copies arrive while this one is still in flight.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { status: 201, body: { id: effects.length, name } };
    },
  };
}

describe('keyed operations on the in-memory store (one process)', () => {
  it(`runs ${CONCURRENT} concurrent copies of a keyed request once, and answers all of them alike`, async () => {
    const effects: string[] = [];
    const events: ServerEvent[] = [];
    const server = await node.serveNode(api.createRouter(provider(effects, events), { idempotency: { store: idempotency.createMemoryIdempotencyStore() }, onEvent: (e) => events.push(e) }));
    servers.push(server);

    const outcome = await sendConcurrently(client, [server.url], 'order-1', { name: 'Rex' });

    expect(effects).toEqual(['Rex']);
    expectOneEffect(outcome);
    // The copies really overlapped: some were told "in flight" (409) and retried with the same key.
    expect(events.filter((e) => e.type === 'idempotency-rejected' && e.status === 409).length).toBeGreaterThan(0);

    const mismatch = await sendMismatch(client, server.url, 'order-1');
    expect(mismatch.status).toBe(422);
    expect(mismatch.response.headers.get('content-type')).toBe('application/problem+json');
    expect(effects).toEqual(['Rex']);
  });

  it('uses an in-memory store by default and answers a missing required key with 400 before the handler', async () => {
    const effects: string[] = [];
    const router = api.createRouter(provider(effects, []));
    const send = (headers: Record<string, string>): Promise<Response> =>
      router(new Request('http://x.test/pets', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"name":"Tom"}' }));
    const first = await send({ 'Idempotency-Key': 'k' });
    const again = await send({ 'Idempotency-Key': 'k' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    const missing = await send({});
    expect(missing.status).toBe(400);
    expect(effects).toEqual(['Tom']);
  });

  it('does not store a request rejected by validation, so the corrected request can reuse the key', async () => {
    const effects: string[] = [];
    const router = api.createRouter(provider(effects, []));
    const send = (body: string): Promise<Response> =>
      router(new Request('http://x.test/pets', { method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': 'fix-me' }, body }));
    expect((await send('{"name":""}')).status).toBe(422);
    const corrected = await send('{"name":"Fixed"}');
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotency-replayed')).toBeNull();
    expect(effects).toEqual(['Fixed']);
  });
});
