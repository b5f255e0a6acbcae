import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProvider, importGenerated, ROOT, transpileTree, type Generated } from './harness.js';
import { CONCURRENT, expectOneEffect, sendConcurrently, sendMismatch } from './keyed-scenario.js';
import { postgresUrl } from './postgres.js';
import type { ClientModule } from './provider-types.js';

const url = postgresUrl();
const suffix = randomUUID().replace(/-/g, '').slice(0, 12);

interface Instance {
  child: ChildProcess;
  url: string;
  pid: number;
}

function startInstance(jsDir: string, databaseUrl: string): Promise<Instance> {
  const child = spawn(process.execPath, [path.join(ROOT, 'test/generators/server/provider-process.mjs'), jsDir, databaseUrl, suffix], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line !== undefined) {
        const parsed: unknown = JSON.parse(line);
        const info = parsed as { url: string; pid: number };
        resolve({ child, url: info.url, pid: info.pid });
      }
    });
    child.on('exit', (code) => reject(new Error(`provider process exited with ${code}: ${err}`)));
  });
}

describe.skipIf(url === null)('keyed operations on the PostgreSQL store (two provider processes)', () => {
  let generated: Generated;
  let client: ClientModule;
  let pool: pg.Pool;
  const instances: Instance[] = [];

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: url ?? '' });
    await pool.query(`CREATE TABLE pets_${suffix} (id bigserial PRIMARY KEY, name text NOT NULL, instance integer NOT NULL)`);
    generated = await generateProvider();
    client = await importGenerated<ClientModule>(generated.dir, 'client.ts');
    const jsDir = `${generated.dir}-js`;
    await transpileTree(generated.dir, jsDir);
    instances.push(...(await Promise.all([startInstance(jsDir, url ?? ''), startInstance(jsDir, url ?? '')])));
  });

  afterAll(async () => {
    for (const instance of instances) instance.child.stdin?.end();
    await Promise.all(instances.map((i) => new Promise((resolve) => (i.child.exitCode !== null ? resolve(null) : i.child.on('exit', resolve)))));
    await pool?.query(`DROP TABLE IF EXISTS pets_${suffix}, idem_${suffix}`);
    await pool?.end();
    await generated?.remove();
    const { rm } = await import('node:fs/promises');
    await rm(`${generated.dir}-js`, { recursive: true, force: true });
  });

  it(`runs ${CONCURRENT} concurrent copies spread over two processes once, and answers all of them alike`, async () => {
    expect(new Set(instances.map((i) => i.pid)).size).toBe(2);
    const outcome = await sendConcurrently(client, instances.map((i) => i.url), 'order-pg-1', { name: 'Rex' });

    const rows = await pool.query(`SELECT id, name, instance FROM pets_${suffix}`);
    expect(rows.rows).toHaveLength(1);
    expectOneEffect(outcome);
    expect(outcome.bodies[0]).toEqual({ id: Number(rows.rows[0].id), name: 'Rex' });
    // Both instances answered some of the copies (round-robin), and one of them ran the handler.
    expect(instances.map((i) => i.pid)).toContain(rows.rows[0].instance);

    for (const instance of instances) {
      const mismatch = await sendMismatch(client, instance.url, 'order-pg-1');
      expect(mismatch.status).toBe(422);
    }
    const stored = await pool.query(`SELECT status FROM idem_${suffix} WHERE key = $1`, ['order-pg-1']);
    expect(stored.rows).toEqual([{ status: 201 }]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM pets_${suffix}`)).rows[0].n).toBe(1);
  });
});
