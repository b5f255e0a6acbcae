// One provider instance in its own process, for the shared-store test: the generated server (transpiled to JS)
// with the PostgreSQL idempotency store, whose createPet writes a row inside the request's transaction.
// Usage: node provider-process.mjs <generated-js-dir> <postgres-url> <table-suffix>
// Prints {"url": ...} once listening; exits when stdin closes (the parent test ended or died).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

const [dir = '', url = '', suffix = ''] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(dir, file)).href);
const { createRouter } = await load('server.js');
const { serveNode } = await load('runtime/server-node.js');
const { createPostgresIdempotencyStore } = await load('runtime/postgres.js');

const pool = new pg.Pool({ connectionString: url, max: 20 });
const store = createPostgresIdempotencyStore(pool, { table: `idem_${suffix}` });
const unused = () => ({ status: 500, body: { code: 500, message: 'not part of this test' } });
const router = createRouter(
  {
    listPets: unused,
    showPetById: unused,
    updatePet: unused,
    deletePet: unused,
    getPetPhoto: unused,
    getStats: unused,
    createPet: async (input, context) => {
      const row = await context.transaction(async (tx) => {
        const inserted = await tx.query(`INSERT INTO pets_${suffix} (name, instance) VALUES ($1, $2) RETURNING id`, [input.body.name, process.pid]);
        // Keep the transaction open a while, so copies arriving at either instance find the key in flight.
        await new Promise((resolve) => setTimeout(resolve, 100));
        return inserted.rows[0];
      });
      return { status: 201, body: { id: Number(row.id), name: input.body.name } };
    },
  },
  { idempotency: { store } },
);
const server = await serveNode(router);
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);

const stop = async () => {
  await server.close();
  await pool.end();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
