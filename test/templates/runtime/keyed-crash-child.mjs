// One provider process for the crash test: a keyed `charge` whose handler writes its side effect, says so on stdout,
// then never finishes — until the test kills the process. Usage:
//   node keyed-crash-child.mjs <runtime-js-dir> <postgres-url> <suffix> <pool|tx> <lock-timeout-ms>
// Prints {"url": ...} once listening; exits when stdin closes.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { z } from 'zod';

const [dir = '', url = '', suffix = '', mode = 'pool', lockMs = '1000'] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(dir, file)).href);
const { createRouterCore } = await load('server-router.js');
const { serveNode } = await load('server-node.js');
const { createPostgresIdempotencyStore } = await load('postgres.js');

const pool = new pg.Pool({ connectionString: url, max: 5 });
const store = createPostgresIdempotencyStore(pool, { table: `idem_${suffix}`, lockTimeoutMs: Number(lockMs) });
const spec = {
  name: 'charge',
  id: 'charge',
  method: 'POST',
  path: '/charges',
  params: [],
  body: [{ mediaType: 'application/json', encoding: 'json' }],
  bodyRequired: true,
  responses: { 201: [{ mediaType: 'application/json', encoding: 'json' }] },
  idempotency: { mode: 'keyed', header: 'Idempotency-Key', required: true },
  schemas: { body: { 'application/json': z.object({ amount: z.number() }) }, responses: { 201: { 'application/json': z.object({ id: z.number() }) } } },
};
const effect = (client, amount) => client.query(`INSERT INTO effects_${suffix} (amount, pid) VALUES ($1, $2)`, [amount, process.pid]);
const hang = () => {
  process.stdout.write('effect\n');
  return new Promise(() => undefined);
};
const charge = async (input, context) => {
  if (mode === 'tx') await context.transaction(async (client) => (await effect(client, input.body.amount), hang()));
  else await effect(pool, input.body.amount);
  return hang();
};
const router = createRouterCore([spec], { charge }, { idempotency: { store }, onEvent: () => undefined });
const server = await serveNode(router);
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
