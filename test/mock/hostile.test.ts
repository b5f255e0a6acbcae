import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startMockServer, type MockServer } from '../../src/mock/index.js';
import { createMemoryIdempotencyStore } from '../../templates/runtime/idempotency.js';
import { endlessUpload, sendRaw, silentConnections, slowUpload } from '../helpers/hostile-client.js';

/** Requests meant to hurt: each gets a clear problem+json answer and the server keeps serving. */

const SPEC = path.resolve('fixtures/mock-pets.yaml');

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: fetch normalises paths (`/../`) and sets its own framing. */
function raw(mock: MockServer, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[] }): Promise<RawResponse> {
  const url = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may answer 413 and close before the upload ends; the answer is what matters.
    req.on('error', reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

function problemOf(response: RawResponse): { status: number; detail?: string; pointer?: string } {
  expect(response.headers['content-type']).toBe('application/problem+json');
  return JSON.parse(response.body) as { status: number; detail?: string; pointer?: string };
}

const json = { 'content-type': 'application/json' };

describe('hostile requests', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMockServer({ spec: SPEC, stateful: true, maxBodyBytes: 64 * 1024, limits: { maxStringLength: 10_000 } });
  });
  afterAll(() => mock.close());

  async function stillServing(): Promise<void> {
    const ok = await raw(mock, { path: '/pets' });
    expect(ok.status).toBe(200);
  }

  test('an oversized body with Content-Length is refused with 413', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(200 * 1024), kind: 'cat' });
    const response = await raw(mock, { method: 'POST', path: '/pets', headers: json, body });
    expect(response.status).toBe(413);
    expect(problemOf(response).detail).toContain('65536');
    await stillServing();
  });

  test('an oversized chunked body is cut off with 413', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const response = await raw(mock, { method: 'POST', path: '/pets', headers: json, chunks: Array.from({ length: 8 }, () => chunk) });
    expect(response.status).toBe(413);
    await stillServing();
  });

  const malformed: Array<{ name: string; body: string; detail: string }> = [
    { name: 'truncated JSON', body: '{"name": "Tom", ', detail: 'not valid JSON' },
    { name: 'not JSON at all', body: '<xml/>', detail: 'not valid JSON' },
  ];
  for (const c of malformed) {
    test(`malformed body: ${c.name} -> 400`, async () => {
      const response = await raw(mock, { method: 'POST', path: '/pets', headers: json, body: c.body });
      expect(response.status).toBe(400);
      const problem = problemOf(response);
      expect(problem.detail).toContain(c.detail);
      expect(problem.pointer).toBe('/body');
      await stillServing();
    });
  }

  const limits: Array<{ name: string; body: string; limit: string; pointer: string }> = [
    { name: '10,000 nested arrays', body: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, limit: 'maxDepth', pointer: `/body${'/0'.repeat(64)}` },
    { name: '10,000 nested objects', body: `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, limit: 'maxDepth', pointer: `/body${'/a'.repeat(64)}` },
    { name: '65 levels inside a valid pet', body: `{"name":"Rex","kind":"cat","extra":${'['.repeat(65)}${']'.repeat(65)}}`, limit: 'maxDepth', pointer: `/body/extra${'/0'.repeat(63)}` },
    { name: 'a 20,000-character string (limit configured to 10,000)', body: `{"name":"${'x'.repeat(20_000)}","kind":"cat"}`, limit: 'maxStringLength', pointer: '/body/name' },
    { name: 'an array of 10,001 items', body: `{"name":"Rex","kind":"cat","tags":[${Array.from({ length: 10_001 }, () => '1').join(',')}]}`, limit: 'maxArrayLength', pointer: '/body/tags/10000' },
    { name: 'an object of 1,001 properties', body: `{${Array.from({ length: 1_001 }, (_, i) => `"p${i}":1`).join(',')}}`, limit: 'maxProperties', pointer: '/body' },
  ];
  for (const c of limits) {
    test(`parse limit: ${c.name} -> 422 at the door`, async () => {
      const response = await raw(mock, { method: 'POST', path: '/pets', headers: json, body: c.body });
      expect(response.status).toBe(422);
      const problem = problemOf(response) as { type?: string; limit?: string; pointer?: string };
      expect(problem).toMatchObject({ type: 'urn:concord:problem:limit-exceeded', limit: c.limit, pointer: c.pointer });
      await stillServing();
    });
  }

  test('invalid UTF-8 in a JSON body is a 400', async () => {
    const response = await raw(mock, { method: 'POST', path: '/pets', headers: json, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) });
    expect(response.status).toBe(400);
    expect(problemOf(response).detail).toContain('UTF-8');
  });

  const traversal = ['/pets/../../etc/passwd', '/pets/%2e%2e/%2e%2e/etc/passwd', '/./pets', '/pets/%E0%A4%A'];
  for (const target of traversal) {
    test(`path traversal or bad encoding: ${target} -> 400`, async () => {
      const response = await raw(mock, { path: target });
      expect(response.status).toBe(400);
      expect(problemOf(response).pointer).toBe('/path');
    });
  }

  test('an encoded slash inside a segment is a parameter value, not a path', async () => {
    const response = await raw(mock, { path: '/pets/..%2F..%2Fetc%2Fpasswd' });
    expect(response.status).toBe(400);
    expect(problemOf(response).pointer).toBe('/path/petId');
  });

  test('prototype-pollution payloads reach no prototype', async () => {
    const payload = '{"name":"Proto","kind":"cat","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    const created = await raw(mock, { method: 'POST', path: '/pets', headers: json, body: payload });
    expect(created.status).toBe(201);
    const patched = await raw(mock, { method: 'PATCH', path: `/pets/${(JSON.parse(created.body) as { id: number }).id}`, headers: { 'content-type': 'application/merge-patch+json' }, body: '{"__proto__":{"polluted":true},"tag":"x"}' });
    expect(patched.status).toBe(200);
    const query = await raw(mock, { path: '/pets?__proto__[polluted]=1&constructor[prototype][polluted]=1' });
    expect(query.status).toBe(200);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(JSON.parse(patched.body)).not.toHaveProperty('polluted');
  });

  test('unknown methods, Prefer and Accept garbage get clear answers', async () => {
    expect((await raw(mock, { method: 'PROPFIND', path: '/pets' })).status).toBe(405);
    const badCode = await raw(mock, { path: '/pets', headers: { prefer: 'code=abc' } });
    expect(badCode.status).toBe(400);
    expect(problemOf(badCode).pointer).toBe('/header/prefer');
    const badChaos = await raw(mock, { path: '/pets', headers: { prefer: 'chaos="503=7"' } });
    expect(badChaos.status).toBe(400);
    expect((await raw(mock, { path: '/pets', headers: { accept: ';;;,,,' } })).status).toBe(200);
    const badCorrelation = await raw(mock, { path: '/pets', headers: { 'x-correlation-id': 'x'.repeat(500) } });
    expect(badCorrelation.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('four times more distinct idempotency keys than the cap', () => {
  test('memory stays bounded by the key cap; expiry frees the rest', async () => {
    let clock = 1_000_000;
    const store = createMemoryIdempotencyStore({ maxKeys: 300, now: () => clock });
    const mock = await startMockServer({ spec: SPEC, idempotencyStore: store, idempotencyTtlMs: 60_000, maxRecordedRequests: 10 });
    try {
      let created = 0;
      const send = async (i: number): Promise<void> => {
        const response = await fetch(`${mock.url}/pets`, { method: 'POST', headers: { ...json, 'idempotency-key': `k-${i}` }, body: JSON.stringify({ name: `n${i}`, kind: 'cat' }) });
        await response.arrayBuffer();
        if (response.status === 201) created++;
      };
      for (let batch = 0; batch < 1200; batch += 50) await Promise.all(Array.from({ length: 50 }, (_, i) => send(batch + i)));
      expect(created).toBe(1200);
      expect(store.size).toBe(300);
      expect(mock.requests.length).toBe(10);
      clock += 61_000;
      expect(await store.sweep()).toBe(300);
      expect(store.size).toBe(0);
      expect(store.bytes).toBe(0);
    } finally {
      await mock.close();
    }
  });
});

describe('hostile connections, headers, paths and credentials', () => {
  let mock: MockServer;
  const host = (): string => new URL(mock.url).host;
  beforeAll(async () => {
    mock = await startMockServer({
      spec: SPEC,
      stateful: true,
      maxBodyBytes: 64 * 1024,
      connectionLimits: { headersTimeoutMs: 500, bodyTimeoutMs: 1_000, idleTimeoutMs: 1_500, maxConnections: 20 },
      onLog: () => undefined,
    });
  });
  afterAll(() => mock.close());

  test('an endless chunked body: 413, then the connection is closed (before: 8 GB read in 8 s)', async () => {
    const upload = await endlessUpload(mock.url, `POST /pets HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json`);
    expect(upload.answer?.status).toBe(413);
    expect(upload.answer?.head).toContain('connection: close');
    expect(upload.closed).toBe(true);
    // What loopback socket buffers hold, not what the server read: bounded, where it used to be unbounded.
    expect(upload.bytesAfterAnswer).toBeLessThan(32 * 1024 * 1024);
    expect((await raw(mock, { path: '/pets' })).status).toBe(200);
  });

  test('a body that trickles in is cut off by the body timeout', async () => {
    const slow = await slowUpload(mock.url, `POST /pets HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`, 100, 5_000);
    expect(slow.closed).toBe(true);
    expect(slow.ms).toBeLessThan(3_000);
  });

  test('headers that never end are cut off by the headers timeout; silent connections are closed', async () => {
    const slow = await slowUpload(mock.url, `GET /pets HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: `, 100, 5_000);
    expect(slow.closed).toBe(true);
    expect(slow.ms).toBeLessThan(2_500);
    expect(await silentConnections(mock.url, 5, 3_000)).toBe(5);
  });

  test('connections over the cap are refused at once', async () => {
    expect(await silentConnections(mock.url, 40, 300)).toBeGreaterThanOrEqual(20);
    await expect.poll(async () => (await raw(mock, { path: '/pets' }).catch(() => ({ status: 0 }))).status).toBe(200);
  });

  test('header abuse: oversized, conflicting framing, control characters, thousands of headers', async () => {
    const big = await sendRaw(mock.url, `GET /pets HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big.answer?.status).toBe(431);
    const framing = await sendRaw(mock.url, `POST /pets HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\n{}`);
    expect(framing.answer?.status).toBe(400);
    const smuggle = await sendRaw(mock.url, `POST /pets HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`);
    expect(smuggle.answer?.status).toBe(400);
    const control = await sendRaw(mock.url, `GET /me HTTP/1.1\r\nHost: ${host()}\r\nX-API-Key: a\x01b\r\n\r\n`);
    expect([400, 401]).toContain(control.answer?.status);
    const many = Array.from({ length: 1_000 }, (_, i) => `X-H${i}: ${i}`).join('\r\n');
    const lots = await sendRaw(mock.url, `GET /pets HTTP/1.1\r\nHost: ${host()}\r\n${many}\r\n\r\n`);
    expect([200, 431]).toContain(lots.answer?.status);
    expect((await raw(mock, { path: '/pets' })).status).toBe(200);
  });

  const tricks: Array<{ path: string; status: number; pointer: string }> = [
    { path: '/pets/%00', status: 400, pointer: '/path' },
    { path: '/pets/1%00', status: 400, pointer: '/path' },
    { path: '/%2e%2e/pets', status: 400, pointer: '/path' },
    { path: '/pets/%2e%2e%2f%2e%2e%2fetc', status: 400, pointer: '/path/petId' },
    // Double encoding is decoded once: the parameter is the text "%2e%2e", which is not an integer.
    { path: '/pets/%252e%252e', status: 400, pointer: '/path/petId' },
    { path: '/pets/%2500', status: 400, pointer: '/path/petId' },
  ];
  for (const trick of tricks) {
    test(`path trick ${trick.path} is rejected (${trick.pointer})`, async () => {
      const response = await raw(mock, { path: trick.path });
      expect(response.status).toBe(trick.status);
      expect(problemOf(response).pointer).toBe(trick.pointer);
    });
  }

  const credentials: Array<{ name: string; headers: Record<string, string> }> = [
    { name: 'none', headers: {} },
    { name: 'an empty bearer', headers: { authorization: 'Bearer' } },
    { name: 'a bearer with spaces', headers: { authorization: 'Bearer a b c' } },
    { name: 'basic where bearer is required', headers: { authorization: 'Basic dXNlcjpwYXNz' } },
    { name: 'an empty API key', headers: { 'x-api-key': '' } },
  ];
  for (const c of credentials) {
    test(`credentials: ${c.name} -> 401 with WWW-Authenticate`, async () => {
      const response = await raw(mock, { path: '/me', headers: c.headers });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toContain('Bearer realm="concord-mock"');
    });
  }

  test('chaos and Prefer delays come after authentication and validation (before: an anonymous client could pin a delay)', async () => {
    const started = Date.now();
    const delayed = await raw(mock, { path: '/me', headers: { prefer: 'chaos="latency=3000ms"' } });
    expect(delayed.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((await raw(mock, { path: '/me', headers: { prefer: 'chaos="503=1"' } })).status).toBe(401);
    const invalid = await raw(mock, { method: 'POST', path: '/pets', headers: { ...json, prefer: 'chaos="503=1"' }, body: '{"name":""}' });
    expect(invalid.status).toBe(400);
    expect((await raw(mock, { path: '/me', headers: { authorization: 'Bearer t', prefer: 'chaos="503=1"' } })).status).toBe(503);
  });

  test('200 concurrent requests with one Idempotency-Key: one pet created, every answer alike', async () => {
    const key = 'hostile-once';
    const open = await startMockServer({ spec: SPEC, stateful: true, onLog: () => undefined });
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => raw(open, { method: 'POST', path: '/pets', headers: { ...json, 'idempotency-key': key }, body: '{"name":"Once","kind":"cat"}' })),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created.length + answers.filter((a) => a.status === 409).length).toBe(200);
    expect(new Set(created.map((a) => a.body)).size).toBe(1);
    const list = JSON.parse((await raw(open, { path: '/pets' })).body) as Array<{ name: string }>;
    expect(list.filter((p) => p.name === 'Once')).toHaveLength(1);
    await open.close();
  });
});
