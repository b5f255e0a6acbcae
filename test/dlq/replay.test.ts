import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayLeased } from '../../src/dlq/replay.js';
import { openOperatorStore } from '../../src/dlq/store.js';
import { deadLetterStats, statsToPrometheus } from '../../src/dlq/stats.js';
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import { createFileDeadLetterStore } from '../../templates/runtime/dlq-file.js';
import { scratch } from '../helpers/workspace.js';

/** The file store's lease (lease files, O_EXCL): two operators on one folder send each record once. */
let server: Server;
let url = '';
const deliveries = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
      setTimeout(() => res.writeHead(201).end(), 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function record(id: string, minutesAgo = 1): DeadLetterRecord {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    id, createdAt: at, operationId: 'createOrder', method: 'POST', url: `${url}/orders`,
    headers: { 'idempotency-key': `key-${id}` }, redacted: { headers: [], query: [] }, body: null,
    idempotencyKey: `key-${id}`, correlationId: id, attempts: 2, lastStatus: 503, lastError: null, reason: 'attempts',
    firstAttemptAt: at, lastAttemptAt: at,
  };
}

async function folderWith(ids: string[]): Promise<string> {
  const dir = path.join(scratch('dlq-lease'), 'store');
  const file = await createFileDeadLetterStore(dir);
  for (const id of ids) await file.put(record(id));
  await file.close();
  return dir;
}

describe('leased replay on a file store', () => {
  it('two operators replaying everything at once send each record once', async () => {
    const dir = await folderWith(['a', 'b', 'c']);
    const [one, two] = await Promise.all([openOperatorStore(dir), openOperatorStore(dir)]);
    const send = (request: Request): Promise<Response> => fetch(request);
    const results = await Promise.all([replayLeased(one, { send }), replayLeased(two, { send })]);
    expect(['a', 'b', 'c'].map((id) => deliveries.get(`key-${id}`))).toEqual([1, 1, 1]);
    expect(results.flatMap((r) => r.delivered).sort()).toEqual(['a', 'b', 'c']);
    expect(results.flatMap((r) => r.skipped).length).toBe(3);
    expect(await one.list()).toEqual([]);
    await Promise.all([one.close(), two.close()]);
  });

  it('a lease whose holder died is taken over once it runs out; a live one is not', async () => {
    const dir = await folderWith(['d']);
    const [one, two] = await Promise.all([openOperatorStore(dir), openOperatorStore(dir)]);
    expect((await one.claim('d', 50))?.id).toBe('d');
    expect(await two.claim('d', 50)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await two.claim('d', 50))?.id).toBe('d');
    await two.release('d');
    expect((await one.claim('d', 50))?.id).toBe('d');
    await Promise.all([one.close(), two.close()]);
  });
});

describe('dead-letter stats', () => {
  it('reports depth, oldest and per operation; an empty store reports zeros', () => {
    const now = Date.parse('2030-01-01T01:00:00Z');
    const at = (minutes: number): DeadLetterRecord => ({ ...record(`r${minutes}`), createdAt: new Date(now - minutes * 60_000).toISOString() });
    const stats = deadLetterStats([at(30), { ...at(90), operationId: 'refund' }], now);
    expect(stats).toMatchObject({ depth: 2, oldestAgeSeconds: 5400, oldestId: 'r90', byOperation: { createOrder: { depth: 1, oldestAgeSeconds: 1800 }, refund: { depth: 1 } } });
    expect(statsToPrometheus(deadLetterStats([], now))).toContain('concord_dlq_depth 0\n');
  });
});
