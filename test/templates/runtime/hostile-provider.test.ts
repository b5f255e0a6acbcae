/**
 * The provider router behind its node:http adapter, probed as a hostile client would (loopback only, bounded in
 * bytes and time): deep and huge bodies, slow and endless bodies, header abuse, path tricks, missing and malformed
 * credentials, prototype-pollution keys, and 200 concurrent requests with one Idempotency-Key over two instances
 * sharing PostgreSQL.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresIdempotencyStore } from '../../../templates/runtime/postgres.js';
import { serveNode, type RunningServer } from '../../../templates/runtime/server-node.js';
import { createRouterCore, type RouterOptions } from '../../../templates/runtime/server-router.js';
import type { ServerSecurityScheme } from '../../../templates/runtime/server-security.js';
import type { HandlerContext, ParsedInput, RouteSpec } from '../../../templates/runtime/server-types.js';
import { endlessUpload, sendRaw, silentConnections, slowUpload } from '../../helpers/hostile-client.js';
import { postgresUrl } from '../../generators/server/postgres.js';

const json = [{ mediaType: 'application/json', encoding: 'json' }] as const;
const form = [{ mediaType: 'application/x-www-form-urlencoded', encoding: 'form', hint: 'any' }] as const;
const payment = z.object({ amount: z.number().int() });
const schemes: ServerSecurityScheme[] = [{ kind: 'http-bearer', key: 'bearer' }];
const secured = [[{ scheme: 'bearer', scopes: [] }]];

function routes(): RouteSpec[] {
  return [
    {
      name: 'pay',
      id: 'pay',
      method: 'POST',
      path: '/payments',
      params: [],
      body: [...json, ...form],
      bodyRequired: true,
      responses: { '201': json },
      idempotency: { mode: 'keyed', header: 'Idempotency-Key', required: true },
      security: secured,
      schemas: { body: { 'application/json': payment.loose(), 'application/x-www-form-urlencoded': z.object({ amount: z.string() }).loose() }, responses: { '201': { 'application/json': z.object({ id: z.number() }) } } },
    },
    {
      name: 'getPayment',
      id: 'getPayment',
      method: 'GET',
      path: '/payments/{id}',
      params: [{ name: 'id', in: 'path', style: 'simple', explode: false, hint: 'string' }],
      body: [],
      bodyRequired: false,
      responses: { '200': json },
      idempotency: { mode: 'safe', header: 'Idempotency-Key', required: false },
      schemas: { path: z.object({ id: z.string() }), responses: { '200': { 'application/json': z.object({ id: z.string() }) } } },
    },
    {
      name: 'fail',
      id: 'fail',
      method: 'GET',
      path: '/fail',
      params: [],
      body: [],
      bodyRequired: false,
      responses: { '200': json },
      idempotency: { mode: 'safe', header: 'Idempotency-Key', required: false },
      schemas: { responses: {} },
    },
  ];
}

const seen: { bodies: unknown[]; ids: string[]; calls: number } = { bodies: [], ids: [], calls: 0 };
const handlers = {
  pay: (input: ParsedInput, _context: HandlerContext) => {
    seen.calls++;
    seen.bodies.push(input.body);
    return { status: 201, body: { id: seen.calls } };
  },
  getPayment: (input: ParsedInput) => {
    const id = (input.path as { id: string }).id;
    seen.ids.push(id);
    return { status: 200, body: { id } };
  },
  fail: () => {
    throw new Error('duplicate key value violates unique constraint "payments_pkey" at /srv/app/db.ts:42');
  },
};

const quiet: RouterOptions = { onEvent: () => undefined, logger: { warn: () => undefined, error: () => undefined } };
const limits = { headersTimeoutMs: 500, bodyTimeoutMs: 1_000, idleTimeoutMs: 1_500, maxConnections: 20 };

let server: RunningServer;
const host = (): string => new URL(server.url).host;
const auth = 'Authorization: Bearer t0ken';

function request(options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
const payHeaders = (extra: Record<string, string> = {}): Record<string, string> => ({ 'content-type': 'application/json', authorization: 'Bearer t0ken', 'idempotency-key': randomUUID(), ...extra });

beforeAll(async () => {
  server = await serveNode(createRouterCore(routes(), handlers, { ...quiet, limits: { maxBodyBytes: 64 * 1024 } }, schemes), { limits });
});
afterAll(() => server.close());

describe('hostile bodies', () => {
  it('5,000 levels of nesting inside a valid payment: 422 at the door, no handler, no key (before: 201, then RangeError)', async () => {
    const calls = seen.calls;
    const body = `{"amount":5,"extra":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`;
    const response = await request({ method: 'POST', path: '/payments', headers: payHeaders(), body });
    expect(response.status).toBe(422);
    expect(JSON.parse(response.body)).toMatchObject({ type: 'urn:concord:problem:limit-exceeded', limit: 'maxDepth', pointer: `/body/extra${'/a'.repeat(63)}` });
    expect(seen.calls).toBe(calls);
  });

  it('a declared huge body: 413 without reading it, connection closed', async () => {
    const answer = await sendRaw(server.url, `POST /payments HTTP/1.1\r\nHost: ${host()}\r\n${auth}\r\nIdempotency-Key: k\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{"amount":`);
    expect(answer.answer?.status).toBe(413);
    expect(answer.answer?.head).toContain('connection: close');
    expect(answer.closed).toBe(true);
  });

  it('an endless chunked body after 413: the server stops reading and closes (before: 8 GB in 8 s on one connection)', async () => {
    const upload = await endlessUpload(server.url, `POST /payments HTTP/1.1\r\nHost: ${host()}\r\n${auth}\r\nIdempotency-Key: k2\r\nContent-Type: application/json`);
    expect(upload.answer?.status).toBe(413);
    expect(upload.closed).toBe(true);
    expect(upload.ms).toBeLessThan(3_000);
    expect(upload.bytesAfterAnswer).toBeLessThan(32 * 1024 * 1024);
  });

  it('an endless body to a request refused before its body (401): not drained, the connection is closed', async () => {
    const upload = await endlessUpload(server.url, `POST /payments HTTP/1.1\r\nHost: ${host()}\r\nIdempotency-Key: k3\r\nContent-Type: application/json`);
    expect(upload.answer?.status).toBe(401);
    expect(upload.closed).toBe(true);
    expect(upload.ms).toBeLessThan(3_000);
  });

  it('slow bodies, slow headers and silent connections are cut off by the timeouts; the cap refuses the excess', async () => {
    const [body, headers, silent] = await Promise.all([
      slowUpload(server.url, `POST /payments HTTP/1.1\r\nHost: ${host()}\r\n${auth}\r\nIdempotency-Key: k4\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`, 100, 5_000),
      slowUpload(server.url, `GET /payments/1 HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: `, 100, 5_000),
      silentConnections(server.url, 5, 2_500),
    ]);
    expect(body.closed).toBe(true);
    expect(body.ms).toBeLessThan(3_000);
    expect(headers.closed).toBe(true);
    expect(headers.ms).toBeLessThan(2_500);
    expect(silent).toBe(5);
    expect(await silentConnections(server.url, 40, 300)).toBeGreaterThanOrEqual(20);
    await expect.poll(async () => (await request({ path: '/payments/ok' }).catch(() => ({ status: 0 }))).status).toBe(200);
  });

  it('header abuse: oversized, conflicting framing, smuggling, control characters', async () => {
    expect((await sendRaw(server.url, `GET /payments/1 HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).answer?.status).toBe(431);
    expect((await sendRaw(server.url, `POST /payments HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\n{}`)).answer?.status).toBe(400);
    expect((await sendRaw(server.url, `POST /payments HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`)).answer?.status).toBe(400);
    expect((await sendRaw(server.url, `POST /payments HTTP/1.1\r\nHost: ${host()}\r\nAuthorization: Bearer a\x01b\r\n\r\n`)).answer?.status).toBe(400);
    const badId = await request({ path: '/payments/1', headers: { 'x-correlation-id': 'x'.repeat(500) } });
    expect(badId.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await request({ path: '/payments/ok' })).status).toBe(200);
  });
});

describe('path tricks reach no handler undecoded, or are rejected', () => {
  const rejected = ['/payments/%00', '/payments/a%00b', '/payments/%2e%2e', '/payments/.', '/payments/%E0%A4%A', '/payments/../payments/1', '/%2e%2e/payments/1'];
  for (const path of rejected) {
    it(`${path} -> 400 before any handler`, async () => {
      const before = seen.ids.length;
      const response = await request({ path });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ pointer: '/path' });
      expect(seen.ids.length).toBe(before);
    });
  }
  it('encoded slashes and double encoding are decoded exactly once', async () => {
    for (const [path, id] of [
      ['/payments/..%2F..%2Fetc%2Fpasswd', '../../etc/passwd'],
      ['/payments/%252e%252e', '%2e%2e'],
      ['/payments/%2500', '%00'],
      ['/payments/caf%C3%A9', 'café'],
    ] as const) {
      const response = await request({ path });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ id });
    }
  });
});

describe('credentials', () => {
  const cases: Array<{ name: string; authorization?: string; challenge: string }> = [
    { name: 'missing', challenge: 'Bearer realm="api"' },
    { name: 'empty bearer', authorization: 'Bearer', challenge: 'Bearer realm="api", error="invalid_token"' },
    { name: 'bearer with spaces', authorization: 'Bearer a b', challenge: 'Bearer realm="api", error="invalid_token"' },
    { name: 'bearer with invalid characters', authorization: 'Bearer {"a":1}', challenge: 'Bearer realm="api", error="invalid_token"' },
    { name: 'another scheme', authorization: 'Basic dXNlcjpwYXNz', challenge: 'Bearer realm="api"' },
  ];
  for (const c of cases) {
    it(`${c.name} -> 401 with WWW-Authenticate, before the body is read`, async () => {
      const headers = payHeaders();
      if (c.authorization === undefined) delete headers['authorization'];
      else headers['authorization'] = c.authorization;
      const response = await request({ method: 'POST', path: '/payments', headers, body: '{"amount":"not even valid"}' });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(c.challenge);
    });
  }
});

describe('prototype pollution', () => {
  it('__proto__ and constructor keys in JSON and form bodies reach no prototype', async () => {
    const before = seen.bodies.length;
    const jsonBody = '{"amount":5,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    expect((await request({ method: 'POST', path: '/payments', headers: payHeaders(), body: jsonBody })).status).toBe(201);
    const formBody = '__proto__[polluted]=1&__proto__=x&amount=5&constructor[prototype][polluted]=1';
    expect((await request({ method: 'POST', path: '/payments', headers: payHeaders({ 'content-type': 'application/x-www-form-urlencoded' }), body: formBody })).status).toBe(201);
    const [fromJson, fromForm] = seen.bodies.slice(before) as Array<Record<string, unknown>>;
    expect(Object.getPrototypeOf(fromJson)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(fromForm)).toBe(Object.prototype);
    expect(Object.hasOwn(fromJson ?? {}, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Reflect.get(fromForm ?? {}, 'polluted')).toBeUndefined();
  });
});

describe('500 answers', () => {
  it('carry no internal text, only the correlation id (before: PostgreSQL messages in development)', async () => {
    const response = await request({ path: '/fail', headers: { 'x-correlation-id': 'find-me-42' } });
    expect(response.status).toBe(500);
    expect(response.body).not.toMatch(/duplicate key|payments_pkey|db\.ts/);
    expect(JSON.parse(response.body)).toMatchObject({ status: 500, correlationId: 'find-me-42' });
    expect(response.headers['x-correlation-id']).toBe('find-me-42');
  });
});

describe('CORS', () => {
  it('is off by default: no CORS headers for any Origin', async () => {
    const response = await request({ path: '/payments/1', headers: { origin: 'https://evil.test' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
  it('when enabled, answers listed origins only, and refuses credentials with a wildcard', async () => {
    const router = createRouterCore(routes(), handlers, { ...quiet, cors: { origins: ['https://app.test'], credentials: true } }, schemes);
    const ok = await router(new Request('http://x.test/payments/1', { headers: { origin: 'https://app.test' } }));
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.test');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-expose-headers')).toContain('X-Correlation-ID');
    const other = await router(new Request('http://x.test/payments/1', { headers: { origin: 'https://evil.test' } }));
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await router(new Request('http://x.test/payments', { method: 'OPTIONS', headers: { origin: 'https://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, idempotency-key' } }));
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization, idempotency-key');
    expect(() => createRouterCore(routes(), handlers, { ...quiet, cors: { origins: '*', credentials: true } }, schemes)).toThrow(/credentials cannot be allowed for every origin/);
    expect(() => createRouterCore(routes(), handlers, { ...quiet, cors: { origins: ['*.example.com'] } }, schemes)).toThrow(/not an origin/);
  });
});

const url = postgresUrl();
describe.skipIf(url === null)('200 concurrent requests with one Idempotency-Key over two instances sharing PostgreSQL', () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  const pools: pg.Pool[] = [];
  const servers: RunningServer[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) pools.push(new pg.Pool({ connectionString: url ?? '', max: 10 }));
    await pools[0]?.query(`CREATE TABLE hostile_effects_${suffix} (id serial PRIMARY KEY, amount int)`);
    for (const pool of pools) {
      const store = createPostgresIdempotencyStore(pool, { table: `hostile_idem_${suffix}` });
      await store.migrate();
      const pay = async (input: ParsedInput, context: HandlerContext) => {
        const row = await context.transaction?.(async (client) => {
          const inserted = await client.query(`INSERT INTO hostile_effects_${suffix} (amount) VALUES ($1) RETURNING id`, [(input.body as { amount: number }).amount]);
          await new Promise((resolve) => setTimeout(resolve, 50));
          return inserted.rows[0] as { id: number };
        });
        return { status: 201, body: { id: Number(row?.id) } };
      };
      servers.push(await serveNode(createRouterCore(routes(), { ...handlers, pay }, { ...quiet, idempotency: { store } }, schemes)));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await pools[0]?.query(`DROP TABLE IF EXISTS hostile_effects_${suffix}, hostile_idem_${suffix}`);
    await Promise.all(pools.map((p) => p.end()));
  });

  it('one side effect; every answer the stored one or 409 while in flight', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
    const send = (i: number): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const target = new URL(servers[i % 2]?.url ?? '');
        const req = http.request({ host: target.hostname, port: target.port, method: 'POST', path: '/payments', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer t', 'idempotency-key': 'hostile-200' } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end('{"amount":5}');
      });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => send(i)));
    agent.destroy();
    const ok = answers.filter((a) => a.status === 201);
    expect(ok.length + answers.filter((a) => a.status === 409).length).toBe(200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((a) => a.body)).size).toBe(1);
    const rows = await pools[0]?.query(`SELECT count(*)::int AS n FROM hostile_effects_${suffix}`);
    expect(rows?.rows[0]).toEqual({ n: 1 });
  });
});
