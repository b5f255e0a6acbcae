import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/generate.js';
import { cli, ROOT, scratch, typecheck } from '../helpers/workspace.js';

/**
 * The whole dead-letter path from the user's side: the generated client (with the `node` target's durable file
 * store) exhausts its retries against a failing server and parks the requests; `concord dlq` lists them, refuses
 * a purge without --yes, and once the server recovers replays each exactly once and empties the queue.
 */
const TOKEN = 'secret-token-3f9a1c';
let server: Server;
let url = '';
let healthy = false;
const effects = new Map<string, number>();
const seenAuth: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (!healthy) {
        res.writeHead(503, { 'retry-after': '0' });
        res.end();
        return;
      }
      seenAuth.push(req.headers.authorization ?? '');
      const key = String(req.headers['idempotency-key']);
      effects.set(key, (effects.get(key) ?? 0) + 1);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...JSON.parse(body), id: key }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('dead letters end to end', () => {
  it('parks exhausted calls durably, lists, refuses an unconfirmed purge, replays each once', async () => {
    const dir = scratch('dlq');
    const out = path.join(dir, 'api');
    await generate({ spec: path.join(ROOT, 'fixtures/orders.yaml'), out, targets: ['types', 'zod', 'client', 'node'], format: false });
    expect(await typecheck(out, 'nodenext', ['node'])).toBe('');
    const api = (await import(path.join(out, 'index.ts'))) as { createClient: (o: unknown) => Record<string, (i: unknown, o?: unknown) => Promise<unknown>> };
    const node = (await import(path.join(out, 'node.ts'))) as { createFileDeadLetterStore: (d: string) => Promise<{ close(): Promise<void>; depth(): number }> };
    const storeDir = path.join(dir, 'store');
    const store = await node.createFileDeadLetterStore(storeDir);
    const client = api.createClient({ baseUrl: url, auth: { bearer: TOKEN }, deadLetter: store, retry: { maxAttempts: 2, baseMs: 1, capMs: 5 } });
    const errors: unknown[] = [];
    for (const sku of ['a', 'b']) {
      await client['createOrder']?.({ body: { sku, quantity: 1 } }).catch((e: unknown) => errors.push(e));
    }
    expect(errors).toHaveLength(2);
    expect(errors.map((e) => (e as Error).name)).toEqual(['DeadLetteredError', 'DeadLetteredError']);
    expect(errors.every((e) => typeof (e as { recordId?: unknown }).recordId === 'string')).toBe(true);
    expect(store.depth()).toBe(2);
    await store.close();

    // No secret on disk.
    for (const file of readdirSync(storeDir)) expect(readFileSync(path.join(storeDir, file), 'latin1')).not.toContain(TOKEN);

    const listed = await cli(['dlq', 'list', '--store', storeDir, '--format', 'json']);
    expect(listed.code).toBe(0);
    const records = JSON.parse(listed.stdout) as Array<{ id: string; operationId: string; lastStatus: number; idempotencyKey: string }>;
    expect(records.map((r) => [r.operationId, r.lastStatus])).toEqual([
      ['createOrder', 503],
      ['createOrder', 503],
    ]);

    const shown = await cli(['dlq', 'show', records[0]?.id ?? '', '--store', storeDir]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ method: 'POST', idempotencyKey: records[0]?.idempotencyKey });

    const unconfirmed = await cli(['dlq', 'purge', '--all', '--store', storeDir]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');

    healthy = true;
    const replay = await cli(['dlq', 'replay', '--all', '--store', storeDir, '--header', `Authorization: Bearer ${TOKEN}`]);
    expect(replay.stdout).toContain('2 delivered, 0 kept, 0 parked');
    expect(replay.code).toBe(0);
    // Each record delivered exactly once, with its original idempotency key, and with the fresh credentials.
    expect(records.map((r) => effects.get(r.idempotencyKey))).toEqual([1, 1]);
    expect(seenAuth).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    const after = await cli(['dlq', 'list', '--store', storeDir, '--format', 'json']);
    expect(JSON.parse(after.stdout)).toEqual([]);
  });
});
