/**
 * The keyed-request scenario both idempotency tests run: one request, one Idempotency-Key, sent concurrently many
 * times through the generated client (which retries 409 "still in flight" with the same key), spread over one or
 * more provider instances.
 */
import { expect } from 'vitest';
import type { ClientModule, ClientResult } from './provider-types.js';

export const CONCURRENT = 50;

export interface KeyedOutcome {
  results: ClientResult[];
  bodies: unknown[];
  replayed: number;
}

/** Sends the same keyed createPet `CONCURRENT` times at once, round-robin over `baseUrls`. */
export async function sendConcurrently(client: ClientModule, baseUrls: readonly string[], key: string, body: Record<string, unknown>): Promise<KeyedOutcome> {
  const clients = baseUrls.map((baseUrl) =>
    client.createClient({ baseUrl, retry: { maxAttempts: 200, baseMs: 5, capMs: 50, floorMs: 1, maxElapsedMs: 60_000 } }),
  );
  const results = await Promise.all(
    Array.from({ length: CONCURRENT }, (_, index) => {
      const target = clients[index % clients.length];
      if (target === undefined) throw new Error('no client');
      const createPet = target['createPet'];
      if (createPet === undefined) throw new Error('generated client lacks createPet');
      return createPet({ headers: { 'Idempotency-Key': key }, body });
    }),
  );
  return {
    results,
    bodies: results.map((r) => r.data),
    replayed: results.filter((r) => r.response.headers.get('idempotency-replayed') === 'true').length,
  };
}

/** Exactly one fresh answer, the rest replays of it, all identical. */
export function expectOneEffect(outcome: KeyedOutcome): void {
  expect(outcome.results.map((r) => r.status)).toEqual(Array.from({ length: CONCURRENT }, () => 201));
  const first = outcome.bodies[0];
  expect(first).toMatchObject({ name: expect.any(String), id: expect.any(Number) });
  for (const body of outcome.bodies) expect(body).toEqual(first);
  expect(outcome.replayed).toBe(CONCURRENT - 1);
}

/** The same key with another payload: 422, whatever instance it reaches. */
export async function sendMismatch(client: ClientModule, baseUrl: string, key: string): Promise<ClientResult> {
  // The 422 is the provider's problem+json, which the contract's `default` response does not describe, so the
  // client is told not to validate it.
  const createPet = client.createClient({ baseUrl, retry: { maxAttempts: 1 }, validate: { response: false } })['createPet'];
  if (createPet === undefined) throw new Error('generated client lacks createPet');
  return createPet({ headers: { 'Idempotency-Key': key }, body: { name: 'Somebody else' } });
}
