import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate.js';
import { ROOT, scratch, typecheck } from '../../helpers/workspace.js';

// Contract retry policies at document and operation level, through the generated client.

interface Result {
  ok: boolean;
  status: number;
}
type Api = Record<string, (input?: unknown, options?: unknown) => Promise<Result>>;

let out = '';
let generated: Record<string, unknown> = {};
let server: Server;
let baseUrl = '';
let script: number[] = [];
let hits = 0;

beforeAll(async () => {
  out = path.join(scratch('client-retries'), 'api');
  await generate({ spec: path.join(ROOT, 'fixtures/retries.yaml'), out, format: false, targets: ['client'] });
  generated = (await import(path.join(out, 'index.ts'))) as Record<string, unknown>;
  server = createServer((req, res) => {
    req.resume();
    const status = script[hits++] ?? 500;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(status === 204 ? undefined : status === 200 ? '[]' : JSON.stringify({ amount: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function client(sleeps: number[]): Api {
  const createClient = generated['createClient'] as (options: unknown) => Api;
  // floorMs 0: concord's default floor (50 ms) would hide the contract's small intervals.
  return createClient({ baseUrl, retry: { floorMs: 0 }, random: () => 0.999, sleep: async (ms: number) => void sleeps.push(ms) });
}

async function run(operation: string, statuses: number[], input?: unknown): Promise<{ result: Result; requests: number; sleeps: number[] }> {
  script = statuses;
  hits = 0;
  const sleeps: number[] = [];
  const result = await (client(sleeps)[operation] as Api[string])(input);
  return { result, requests: hits, sleeps };
}

describe('contract retry policies', () => {
  it('the generated client type-checks under the strictest settings', async () => {
    expect(await typecheck(out)).toBe('');
  }, 120_000);

  it("an operation's policy: '429' is exactly 429, its exponent and attempts are used", async () => {
    const retried = await run('createPayment', [429, 503, 503, 201], { body: { amount: 1 } });
    expect(retried.result.status).toBe(201);
    expect(retried.requests).toBe(4);
    // Full jitter with exponent 1.5 from 10 ms, capped at 50 ms (random just below 1).
    expect(retried.sleeps).toEqual([9, 14, 22]);
    const notFound = await run('createPayment', [404, 201], { body: { amount: 1 } });
    expect(notFound.requests).toBe(1);
    const classless = await run('createPayment', [502, 201], { body: { amount: 1 } });
    expect(classless.requests).toBe(1);
  });

  it("the document's policy applies to operations without their own", async () => {
    const listed = await run('listPayments', [502, 500, 200]);
    expect(listed.result.status).toBe(200);
    expect(listed.requests).toBe(3);
    // exponent 3 from 100 ms: ceilings 100, 300.
    expect(listed.sleeps).toEqual([99, 299]);
    expect((await run('listPayments', [429, 200])).requests).toBe(1);
  });

  it("strategy none turns retries off for that operation", async () => {
    expect((await run('deletePayment', [503, 204], { path: { id: 'p1' } })).requests).toBe(1);
  });
});
