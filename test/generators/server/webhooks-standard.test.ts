/**
 * Standard Webhooks interoperability, against the `standardwebhooks` npm package as the independent peer: what it
 * signs, concord's generated receiver accepts; what concord's generated sender puts on the wire, it verifies.
 * Plus deduplication by message id across two receivers that share a PostgreSQL store.
 */
import { useGeneratedProvider } from './use-provider.js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresIdempotencyStore } from '../../../templates/runtime/postgres.js';
import { postgresUrl } from './postgres.js';
import type { ServerModule } from './provider-types.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEXT_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const FAST = { maxAttempts: 3, baseMs: 1, capMs: 2, floorMs: 0 };
const adopted = { petId: 7, adopter: 'Ann', adoptedAt: '2030-01-01T00:00:00Z' };

const provider = useGeneratedProvider();

type Options = Parameters<ServerModule['createWebhookReceiver']>[1];

async function receiver(options: Partial<Options> = {}): Promise<{ url: string; received: string[] }> {
  const received: string[] = [];
  const handler = provider.api.createWebhookReceiver(
    { webhookPostPetAdopted: (_event, context) => void received.push(context.eventId) },
    { secret: SECRET, ...options },
  );
  const server = await provider.node.serveNode(handler);
  provider.servers.push(server);
  return { url: `${server.url}/hooks/pets`, received };
}

/** A delivery signed by the peer library, as Svix or any Standard Webhooks sender would send it. */
function peerDelivery(secret: string, id: string, body: string, at = new Date()): RequestInit {
  const signature = new Webhook(secret).sign(id, at, body);
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  };
}

describe('standardwebhooks signs, concord receives', () => {
  it('accepts a delivery signed by Webhook.sign and runs the handler', async () => {
    const hook = await receiver();
    const response = await fetch(hook.url, peerDelivery(SECRET, 'msg_peer_1', JSON.stringify(adopted)));
    expect(response.status).toBe(204);
    expect(hook.received).toEqual(['msg_peer_1']);
  });

  it('refuses a tampered body, a foreign secret and a timestamp outside five minutes; accepts inside', async () => {
    // The receiver's clock is pinned, so the five-minute edges are exact whatever the machine's load.
    const now = Date.now();
    const hook = await receiver({ now: () => now });
    const body = JSON.stringify(adopted);
    const tampered = { ...peerDelivery(SECRET, 'msg_t', body, new Date(now)), body: JSON.stringify({ ...adopted, petId: 8 }) };
    const foreign = peerDelivery('whsec_' + Buffer.from('another-secret-of-24-bytes').toString('base64'), 'msg_f', body, new Date(now));
    const old = peerDelivery(SECRET, 'msg_old', body, new Date(now - 301_000));
    const future = peerDelivery(SECRET, 'msg_future', body, new Date(now + 302_000));
    const reasons = [];
    for (const init of [tampered, foreign, old, future]) {
      const response = await fetch(hook.url, init);
      reasons.push([response.status, ((await response.json()) as { reason?: string }).reason]);
    }
    expect(reasons).toEqual([
      [401, 'mismatch'],
      [401, 'mismatch'],
      [401, 'stale'],
      [401, 'stale'],
    ]);
    const early = await fetch(hook.url, peerDelivery(SECRET, 'msg_early', body, new Date(now - 299_000)));
    const late = await fetch(hook.url, peerDelivery(SECRET, 'msg_late', body, new Date(now + 299_000)));
    expect([early.status, late.status]).toEqual([204, 204]);
    expect(hook.received).toEqual(['msg_early', 'msg_late']);
  });

  it('rotates keys: a receiver holding the old and the new secret accepts either; space-separated signatures verify', async () => {
    const hook = await receiver({ secret: [NEXT_SECRET, SECRET] });
    const body = JSON.stringify(adopted);
    expect((await fetch(hook.url, peerDelivery(SECRET, 'msg_old_key', body))).status).toBe(204);
    expect((await fetch(hook.url, peerDelivery(NEXT_SECRET, 'msg_new_key', body))).status).toBe(204);
    // Two signatures in one header, the first by a key the receiver does not hold.
    const at = new Date();
    const both = peerDelivery(SECRET, 'msg_both', body, at);
    const stranger = new Webhook('whsec_' + Buffer.from('a-key-nobody-here-holds!').toString('base64')).sign('msg_both', at, body);
    const headers = new Headers(both.headers);
    headers.set('webhook-signature', `${stranger} ${headers.get('webhook-signature') ?? ''}`);
    expect((await fetch(hook.url, { ...both, headers })).status).toBe(204);
    expect(hook.received).toEqual(['msg_old_key', 'msg_new_key', 'msg_both']);
  });

  it('answers a peer retry of a processed message id 2xx without running the handler again', async () => {
    const hook = await receiver();
    const body = JSON.stringify(adopted);
    expect((await fetch(hook.url, peerDelivery(SECRET, 'msg_retry', body))).status).toBe(204);
    // The sender's retry: same id and body, a later timestamp and so a different signature.
    const retry = await fetch(hook.url, peerDelivery(SECRET, 'msg_retry', body, new Date(Date.now() + 2000)));
    expect(retry.status).toBe(204);
    expect(retry.headers.get('idempotency-replayed')).toBe('true');
    expect(hook.received).toEqual(['msg_retry']);
  });

  it('routes a delivery without an event header by the payload type when a receiver serves several events', async () => {
    const seen: string[] = [];
    const handler = provider.api.createWebhookReceiver(
      {
        webhookPostPetAdopted: (_event, context) => void seen.push(`adopted ${context.eventId}`),
        createPetPetCreatedPostRequestBodyCallbackUrl: (_event, context) => void seen.push(`created ${context.eventId}`),
      },
      { secret: SECRET },
    );
    const server = await provider.node.serveNode(handler);
    provider.servers.push(server);
    const typed = await fetch(server.url, peerDelivery(SECRET, 'msg_typed', JSON.stringify({ ...adopted, type: 'petAdopted' })));
    expect(typed.status).toBe(204);
    const untyped = await fetch(server.url, peerDelivery(SECRET, 'msg_untyped', JSON.stringify(adopted)));
    expect(untyped.status).toBe(404);
    expect(seen).toEqual(['adopted msg_typed']);
  });

  it('refuses to start with a secret that is not whsec_ base64', () => {
    expect(() => provider.api.createWebhookReceiver({}, { secret: 'whsec_not base64!' })).toThrow(/whsec_/);
  });
});

describe('concord sends, standardwebhooks verifies', () => {
  async function wire(options: Record<string, unknown>): Promise<Request> {
    const captured: Request[] = [];
    const sender = provider.api.createWebhookSender({
      retry: FAST,
      secret: SECRET,
      ...options,
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        captured.push(new Request(input, init));
        return new Response(null, { status: 204 });
      },
    });
    await sender['webhookPostPetAdopted']?.('http://127.0.0.1:9/hooks', adopted, { eventId: 'msg_concord_1' });
    const request = captured[0];
    if (request === undefined) throw new Error('the sender sent nothing');
    return request;
  }
  const headersOf = (request: Request): Record<string, string> => Object.fromEntries(request.headers.entries());

  it('Webhook.verify accepts what concord signs and returns the payload', async () => {
    const request = await wire({});
    const headers = headersOf(request);
    expect(headers['webhook-id']).toBe('msg_concord_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(await request.text(), headers)).toEqual(adopted);
  });

  it('signs with every secret during a rotation, and each verifies alone', async () => {
    const request = await wire({ secret: [NEXT_SECRET, SECRET] });
    const headers = headersOf(request);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    const body = await request.text();
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(adopted);
    expect(new Webhook(NEXT_SECRET).verify(body, headers)).toEqual(adopted);
    expect(() => new Webhook('whsec_' + Buffer.from('unrelated-key-bytes-0123').toString('base64')).verify(body, headers)).toThrow();
  });

  it('Webhook.verify refuses a concord delivery whose timestamp is six minutes old', async () => {
    const request = await wire({ now: () => Date.now() - 360_000 });
    expect(() => new Webhook(SECRET).verify('', headersOf(request))).toThrow(/too old/);
  });
});

const url = postgresUrl();
describe.skipIf(url === null)('two receivers sharing a PostgreSQL store', () => {
  let poolA: pg.Pool;
  let poolB: pg.Pool;
  const table = `webhook_dedup_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  beforeAll(() => {
    poolA = new pg.Pool({ connectionString: url ?? '', max: 4 });
    poolB = new pg.Pool({ connectionString: url ?? '', max: 4 });
  });
  afterAll(async () => {
    await poolA?.query(`DROP TABLE IF EXISTS ${table}`);
    await Promise.all([poolA?.end(), poolB?.end()]);
  });

  it('runs the handler once for a message delivered to both, one after the other and at the same time', async () => {
    const storeA = createPostgresIdempotencyStore(poolA, { table });
    await storeA.migrate();
    const a = await receiver({ store: storeA });
    const b = await receiver({ store: createPostgresIdempotencyStore(poolB, { table }) });
    const body = JSON.stringify(adopted);
    expect((await fetch(a.url, peerDelivery(SECRET, 'msg_shared', body))).status).toBe(204);
    const second = await fetch(b.url, peerDelivery(SECRET, 'msg_shared', body, new Date(Date.now() + 1000)));
    expect(second.status).toBe(204);
    expect(second.headers.get('idempotency-replayed')).toBe('true');

    const statuses = await Promise.all([
      fetch(a.url, peerDelivery(SECRET, 'msg_race', body)).then((r) => r.status),
      fetch(b.url, peerDelivery(SECRET, 'msg_race', body)).then((r) => r.status),
    ]);
    // The loser of the race is told to retry (409) or, if the winner finished, gets the stored 204.
    expect(statuses.filter((s) => s === 204).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 204 || s === 409)).toBe(true);
    expect([...a.received, ...b.received].sort()).toEqual(['msg_race', 'msg_shared']);
  });
});
