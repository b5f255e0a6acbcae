import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProvider, importGenerated, type Generated } from './harness.js';
import type { NodeModule, ServerModule } from './provider-types.js';
import type { RunningServer } from '../../../templates/runtime/server-node.js';
import type { WebhookReceiverEvent } from '../../../templates/runtime/webhooks.js';
import type { DeadLetterStore } from '../../../templates/runtime/dead-letter.js';

interface DeadLetterModule {
  createMemoryDeadLetterStore(): DeadLetterStore;
  replayDeadLetter(record: unknown, fetch: (request: Request) => Promise<Response>, options?: { authorize?: (request: Request) => Promise<Request> }): Promise<Response>;
}
interface WebhookRuntime {
  resignWebhookRequest(request: Request, options: { secret: string }): Promise<Request>;
  resolveCallbackUrl(template: string, source: { body?: unknown }): string | undefined;
}

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const FAST = { maxAttempts: 4, baseMs: 1, capMs: 2, floorMs: 0 };

let generated: Generated;
let api: ServerModule;
let node: NodeModule;
let dlq: DeadLetterModule;
let runtime: WebhookRuntime;
const servers: RunningServer[] = [];

beforeAll(async () => {
  generated = await generateProvider();
  api = await importGenerated<ServerModule>(generated.dir, 'server.ts');
  node = await importGenerated<NodeModule>(generated.dir, 'runtime/server-node.ts');
  dlq = { ...(await importGenerated<DeadLetterModule>(generated.dir, 'runtime/dead-letter.ts')), ...(await importGenerated<DeadLetterModule>(generated.dir, 'runtime/dead-letter-replay.ts')) };
  runtime = await importGenerated<WebhookRuntime>(generated.dir, 'runtime/webhooks.ts');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await generated?.remove();
});

interface Receiver {
  url: string;
  received: Array<{ body: Record<string, unknown>; eventId: string }>;
  events: WebhookReceiverEvent[];
}

/** A consumer's endpoint for petAdopted, on node:http through the plain-fetch-handler adapter. */
async function receiver(behaviour: (call: number) => void = () => undefined): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const events: WebhookReceiverEvent[] = [];
  let calls = 0;
  const handler = api.createWebhookReceiver(
    {
      webhookPostPetAdopted: (event, context) => {
        behaviour(++calls);
        received.push({ body: event.body, eventId: context.eventId });
      },
    },
    { secret: SECRET, onEvent: (e) => events.push(e) },
  );
  const server = await node.serveNode(handler);
  servers.push(server);
  return { url: `${server.url}/hooks/pets`, received, events };
}

function sender(options: Record<string, unknown> = {}): ReturnType<ServerModule['createWebhookSender']> {
  return api.createWebhookSender({ secret: SECRET, retry: FAST, ...options });
}

/** Keeps a copy of every request the sender puts on the wire. */
function capturing(into: Request[]): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = new Request(input, init);
    into.push(request.clone());
    return fetch(request);
  };
}

const adopted = { petId: 7, adopter: 'Ann', adoptedAt: '2030-01-01T00:00:00Z' };

describe('webhook receiver', () => {
  it('runs the handler for a valid delivery and answers 2xx after it', async () => {
    const hook = await receiver();
    const delivery = await sender()['webhookPostPetAdopted']?.(hook.url, adopted);
    expect(delivery?.ok).toBe(true);
    expect(delivery?.status).toBe(204);
    expect(hook.received).toEqual([{ body: adopted, eventId: delivery?.eventId }]);
  });

  it('refuses a forged signature', async () => {
    const hook = await receiver();
    const forged = api.createWebhookSender({ secret: 'whsec_bm90LXRoZS1zZWNyZXQtYXQtYWxs', retry: FAST });
    const delivery = await forged['webhookPostPetAdopted']?.(hook.url, adopted);
    expect(delivery?.status).toBe(401);
    expect(await delivery?.response.json()).toMatchObject({ reason: 'mismatch' });
    expect(hook.received).toEqual([]);
  });

  it('refuses a stale timestamp', async () => {
    const hook = await receiver();
    const late = sender({ now: () => Date.now() - 10 * 60 * 1000 });
    const delivery = await late['webhookPostPetAdopted']?.(hook.url, adopted);
    expect(delivery?.status).toBe(401);
    expect(await delivery?.response.json()).toMatchObject({ reason: 'stale' });
    expect(hook.received).toEqual([]);
  });

  it('answers a replayed delivery (the same signed request sent again) 2xx without running the handler again', async () => {
    const hook = await receiver();
    const wire: Request[] = [];
    const delivery = await sender({ fetch: capturing(wire) })['webhookPostPetAdopted']?.(hook.url, adopted);
    expect(delivery?.status).toBe(204);
    const captured = wire[0];
    if (captured === undefined) throw new Error('nothing captured');
    const body = await captured.arrayBuffer();
    const replay = await fetch(captured.url, { method: captured.method, headers: captured.headers, body });
    expect(replay.status).toBe(204);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(hook.received).toHaveLength(1);
  });

  it('runs the handler once when the same event is delivered three times', async () => {
    const hook = await receiver();
    const send = sender()['webhookPostPetAdopted'];
    const deliveries = [];
    for (let i = 0; i < 3; i++) deliveries.push(await send?.(hook.url, adopted, { eventId: 'evt-1' }));
    expect(deliveries.map((d) => d?.status)).toEqual([204, 204, 204]);
    expect(deliveries.map((d) => d?.response.headers.get('idempotency-replayed'))).toEqual([null, 'true', 'true']);
    expect(hook.received).toEqual([{ body: adopted, eventId: 'evt-1' }]);
    expect(hook.events.filter((e) => e.type === 'delivery-duplicate')).toHaveLength(2);
  });

  it('survives a lost answer: the sender retries with a fresh signature and the receiver does not run twice', async () => {
    const hook = await receiver();
    let attempt = 0;
    const losing = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const response = await fetch(input, init);
      if (++attempt === 1) {
        await response.body?.cancel();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return response;
    };
    const delivery = await sender({ fetch: losing })['webhookPostPetAdopted']?.(hook.url, adopted);
    expect(delivery?.status).toBe(204);
    expect(attempt).toBe(2);
    expect(hook.received).toHaveLength(1);
  });

  it('answers 2xx only after the handler succeeded: a failing handler gets a 5xx, and the retry runs it again', async () => {
    const hook = await receiver((call) => {
      if (call === 1) throw new Error('database busy');
    });
    const delivery = await sender()['webhookPostPetAdopted']?.(hook.url, adopted);
    expect(delivery?.status).toBe(204);
    expect(hook.received).toHaveLength(1);
    expect(hook.events.map((e) => e.type)).toEqual(['handler-error']);
  });

  it('validates the payload against the contract', async () => {
    const hook = await receiver();
    const unchecked = sender({ validate: false });
    const delivery = await unchecked['webhookPostPetAdopted']?.(hook.url, { petId: 'seven', adopter: '' });
    expect(delivery?.status).toBe(422);
    const problem: unknown = await delivery?.response.json();
    expect(problem).toMatchObject({ status: 422, pointer: '/body/petId' });
    await expect(sender()['webhookPostPetAdopted']?.(hook.url, { petId: 'seven', adopter: '' })).rejects.toThrow(/payload does not match the contract/);
    expect(hook.received).toEqual([]);
  });
});

describe('webhook sender', () => {
  it('dead-letters an event it could not deliver, without its per-attempt signature, and a re-signed replay delivers it', async () => {
    const hook = await receiver();
    const store = dlq.createMemoryDeadLetterStore();
    const down = async (): Promise<Response> => new Response('busy', { status: 503 });
    const delivery = sender({ fetch: down, deadLetter: store });
    await expect(delivery['webhookPostPetAdopted']?.(hook.url, adopted, { eventId: 'evt-parked' })).rejects.toThrow(/parked as dead letter/);
    const [record] = await store.list();
    expect(record?.idempotencyKey).toBe('evt-parked');
    // Signatures are made per attempt below the resilient layer, so none is parked (a replay signs anew).
    expect(record?.headers['webhook-signature']).toBeUndefined();
    expect(record?.headers['webhook-id']).toBe('evt-parked');

    const replayed = await dlq.replayDeadLetter(record, fetch, { authorize: (request) => runtime.resignWebhookRequest(request, { secret: SECRET }) });
    expect(replayed.status).toBe(204);
    expect(hook.received).toEqual([{ body: adopted, eventId: 'evt-parked' }]);
  });

  it('delivers a 3.0 callback to the URL its registering request named', async () => {
    const received: unknown[] = [];
    const handler = api.createWebhookReceiver({ createPetPetCreatedPostRequestBodyCallbackUrl: (event) => void received.push(event.body) }, { secret: SECRET });
    const server = await node.serveNode(handler);
    servers.push(server);
    const registered = { name: 'Rex', callbackUrl: `${server.url}/callbacks/pets` };
    const target = runtime.resolveCallbackUrl('{$request.body#/callbackUrl}', { body: registered });
    expect(target).toBe(registered.callbackUrl);
    const delivery = await sender()['createPetPetCreatedPostRequestBodyCallbackUrl']?.(target ?? '', { petId: 1, name: 'Rex' });
    expect(delivery?.status).toBe(204);
    expect(received).toEqual([{ petId: 1, name: 'Rex' }]);
  });
});
