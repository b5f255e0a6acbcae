import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosProxy, type ChaosProxy } from './chaos-proxy.js';
import { generateProvider, importGenerated, type Generated } from './harness.js';
import type { ClientModule, ClientResult, NodeModule, ServerModule, TestHandler } from './provider-types.js';
import type { RunningServer } from '../../../templates/runtime/server-node.js';
import type { DeadLetterStore } from '../../../templates/runtime/dead-letter.js';

interface DeadLetterModule {
  createMemoryDeadLetterStore(): DeadLetterStore;
  replayDeadLetters(store: DeadLetterStore, fetch: (request: Request) => Promise<Response>): Promise<{ delivered: string[]; failed: unknown[] }>;
}

const CALLS = 60;
const CHAOS = '503=0.15,429=0.1,reset=0.15,latency=0-15ms,retry-after=0';

let generated: Generated;
let api: ServerModule;
let node: NodeModule;
let client: ClientModule;
let dlq: DeadLetterModule;
let server: RunningServer | undefined;
let proxy: ChaosProxy | undefined;

beforeAll(async () => {
  generated = await generateProvider();
  api = await importGenerated<ServerModule>(generated.dir, 'server.ts');
  node = await importGenerated<NodeModule>(generated.dir, 'runtime/server-node.ts');
  client = await importGenerated<ClientModule>(generated.dir, 'client.ts');
  dlq = { ...(await importGenerated<DeadLetterModule>(generated.dir, 'runtime/dead-letter.ts')), ...(await importGenerated<DeadLetterModule>(generated.dir, 'runtime/dead-letter-replay.ts')) };
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
  await generated?.remove();
});

describe('generated client ↔ generated server through chaos', () => {
  it('loses no request and applies none twice', async () => {
    const pets = new Map<string, { id: number; name: string }>();
    const applied = new Map<string, number>();
    const unused: TestHandler = () => ({ status: 500, body: { code: 500, message: 'unused' } });
    const handlers: Record<string, TestHandler> = {
      updatePet: unused, deletePet: unused, getPetPhoto: unused, getStats: unused,
      createPet: (input, context) => {
        const key = context.idempotencyKey ?? '';
        applied.set(key, (applied.get(key) ?? 0) + 1);
        const pet = { id: pets.size + 1, name: String(input.body['name']) };
        pets.set(key, pet);
        return { status: 201, body: pet };
      },
      listPets: () => ({ status: 200, body: [...pets.values()], headers: { 'X-Total-Count': pets.size } }),
      showPetById: (input) => {
        const pet = [...pets.values()].find((p) => p.id === input.path.petId);
        return pet === undefined ? { status: 404, body: { code: 404, message: 'none' } } : { status: 200, body: pet };
      },
    };
    server = await node.serveNode(api.createRouter(handlers));
    proxy = await startChaosProxy(server.url, CHAOS, 20240611);
    const parked = dlq.createMemoryDeadLetterStore();
    const api1 = client.createClient({ baseUrl: proxy.url, deadLetter: parked, retry: { maxAttempts: 4, baseMs: 2, capMs: 10, floorMs: 1 } });
    const createPet = api1['createPet'];
    const showPetById = api1['showPetById'];
    const listPets = api1['listPets'];
    if (createPet === undefined || showPetById === undefined || listPets === undefined) throw new Error('client incomplete');

    const keys = Array.from({ length: CALLS }, (_, i) => `order-${i}`);
    const outcomes = await Promise.all(
      keys.map(async (key) => {
        try {
          return { key, result: await createPet({ headers: { 'Idempotency-Key': key }, body: { name: `pet ${key}` } }) };
        } catch (error) {
          return { key, error };
        }
      }),
    );
    const succeeded = outcomes.filter((o): o is { key: string; result: ClientResult } => 'result' in o);
    const failed = outcomes.filter((o) => 'error' in o);
    // Whatever did not get through was parked with its key; nothing else went wrong.
    for (const f of failed) expect(String(f.error)).toMatch(/parked as dead letter/);
    expect((await parked.list()).map((r) => r.idempotencyKey).sort()).toEqual(failed.map((f) => f.key).sort());
    for (const s of succeeded) {
      expect(s.result.status).toBe(201);
      expect(s.result.data).toEqual(pets.get(s.key));
    }

    // Replaying the parked requests (same keys) through the same chaos finishes the job.
    for (let round = 0; round < 20 && parked.depth() > 0; round++) await dlq.replayDeadLetters(parked, (request) => fetch(request));
    expect(parked.depth()).toBe(0);

    expect([...applied.keys()].sort()).toEqual([...keys].sort());
    expect([...applied.values()].every((count) => count === 1)).toBe(true);
    console.log(`[e2e] ${CALLS} keyed calls: ${succeeded.length} succeeded, ${failed.length} parked and replayed; proxy forwarded ${proxy.stats.forwarded}, injected ${proxy.stats.injected}, reset ${proxy.stats.resets}`);
    expect(proxy.stats.injected).toBeGreaterThan(0);
    expect(proxy.stats.resets).toBeGreaterThan(0);

    // Safe reads through the same chaos see every pet once.
    const list = await listPets({});
    expect(list.status).toBe(200);
    expect(list.data).toHaveLength(CALLS);
    const one = await showPetById({ path: { petId: 1 } });
    expect(one.data).toEqual([...pets.values()].find((p) => p.id === 1));
  });
});
