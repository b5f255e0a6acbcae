/**
 * The generated provider enforces the contract's `security` before any handler: 401 with `WWW-Authenticate` when
 * no alternative's credentials are there or valid, 403 when a valid token lacks a scope, the verifier's principal on
 * the handler context, and a startup warning when a scheme has no verifier (presence checked only).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { generateProvider, importGenerated, ROOT, runTsc, writeTsconfig, type Generated } from './harness.js';
import type { HandlerContext } from '../../../templates/runtime/server-types.js';
import type { RouterOptions } from '../../../templates/runtime/server-router.js';

type Handler = (input: { body?: unknown; path?: unknown }, context: HandlerContext) => unknown;
interface SecureModule {
  createRouter(handlers: Record<string, Handler>, options?: RouterOptions): (request: Request) => Promise<Response>;
  routes: ReadonlyArray<{ name: string; security?: unknown }>;
  routeSecuritySchemes: ReadonlyArray<{ key: string; kind: string }>;
}

let generated: Generated;
let api: SecureModule;

beforeAll(async () => {
  generated = await generateProvider(path.join(ROOT, 'fixtures/provider-secure.yaml'), ['types', 'zod', 'server']);
  api = await importGenerated<SecureModule>(generated.dir, 'server.ts');
});
afterAll(() => generated?.remove());

const logs: string[] = [];
const logger = { warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };

function handlers(calls: Array<{ op: string; context: HandlerContext }>): Record<string, Handler> {
  return {
    createPayment: (input, context) => {
      calls.push({ op: 'createPayment', context });
      return { status: 201, body: { id: 'p1', amount: (input.body as { amount: number }).amount } };
    },
    getPayment: (_input, context) => {
      calls.push({ op: 'getPayment', context });
      return { status: 200, body: { id: 'p1', amount: 5 } };
    },
    health: () => ({ status: 204 }),
  };
}

const pay = (headers: Record<string, string>): Request =>
  new Request('http://x.test/payments', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), ...headers },
    body: '{"amount":5}',
  });
const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('security from the contract', () => {
  it('types verifiers by scheme: a basic verifier gets { username, password }, a token verifier a string (tsc strict)', async () => {
    await writeFile(
      path.join(generated.dir, 'use.ts'),
      [
        `import { createRouter, type Handlers } from './server.js';`,
        `declare const handlers: Handlers;`,
        `createRouter(handlers, { security: { oauth: (token) => (token.length > 0 ? { scope: 'payments:write' } : undefined), basic: ({ username, password }) => username === password, apiKey: async (key) => key.trim() } });`,
        `// @ts-expect-error a basic verifier does not get a string`,
        `createRouter(handlers, { security: { basic: (token: string) => token } });`,
        `// @ts-expect-error no such scheme in the contract`,
        `createRouter(handlers, { security: { cookieAuth: () => true } });`,
      ].join('\n'),
    );
    const result = await runTsc(await writeTsconfig(generated.dir));
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('emits each operation’s requirement and the schemes it names', () => {
    expect(api.routes.find((r) => r.name === 'createPayment')?.security).toEqual([[{ scheme: 'oauth', scopes: ['payments:write'] }]]);
    expect(api.routes.find((r) => r.name === 'health')?.security).toBeUndefined();
    expect(api.routeSecuritySchemes.map((s) => s.key).sort()).toEqual(['apiKey', 'basic', 'oauth']);
  });

  it('without verifiers: presence is checked, and the startup warning says so', async () => {
    logs.length = 0;
    const calls: Array<{ op: string; context: HandlerContext }> = [];
    const router = api.createRouter(handlers(calls), { logger });
    expect(logs.join('\n')).toMatch(/no verifier for security scheme\(s\) apiKey, basic, oauth/);
    // Before: a POST without Authorization on a bearer-secured operation got 201.
    const missing = await router(pay({}));
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="api"');
    expect(await missing.json()).toMatchObject({ type: 'urn:concord:problem:unauthorized' });
    expect((await router(pay({ authorization: 'Bearer' }))).status).toBe(401);
    expect((await router(pay({ authorization: 'Bearer a b' }))).status).toBe(401);
    expect((await router(pay({ authorization: 'Basic dTpw' }))).status).toBe(401);
    expect((await router(pay({ authorization: 'Bearer any.token' }))).status).toBe(201);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.context.principal).toBeUndefined();
    expect((await router(new Request('http://x.test/health'))).status).toBe(204);
  });

  it('verifiers decide validity, put the principal on the context, and scopes are checked (403)', async () => {
    logs.length = 0;
    const calls: Array<{ op: string; context: HandlerContext }> = [];
    const router = api.createRouter(handlers(calls), {
      logger,
      realm: 'payments',
      security: {
        oauth: (token: string) => (token === 'writer' ? { sub: 'alice', scope: 'payments:write payments:read' } : token === 'reader' ? { sub: 'bob', scopes: ['payments:read'] } : undefined),
        apiKey: async (key: string) => (key === 'k-123' ? { app: 'billing' } : undefined),
        basic: (credentials: { username: string; password: string }) => (credentials.username === 'ops' && credentials.password === 'pa:ss' ? { user: 'ops' } : undefined),
      },
    });
    expect(logs).toEqual([]);
    const invalid = await router(pay({ authorization: 'Bearer forged' }));
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toBe('Bearer realm="payments", error="invalid_token"');
    const reader = await router(pay({ authorization: 'Bearer reader' }));
    expect(reader.status).toBe(403);
    expect(reader.headers.get('www-authenticate')).toBe('Bearer realm="payments", error="insufficient_scope", scope="payments:write"');
    expect(await reader.json()).toMatchObject({ type: 'urn:concord:problem:forbidden' });
    expect((await router(pay({ authorization: 'Bearer writer' }))).status).toBe(201);
    expect(calls.map((c) => c.context.principal)).toEqual([{ sub: 'alice', scope: 'payments:write payments:read' }]);

    const get = (headers: Record<string, string>): Promise<Response> => router(new Request('http://x.test/payments/p1', { headers }));
    const none = await get({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('ApiKey realm="payments", in="header", name="X-API-Key", Basic realm="payments", charset="UTF-8"');
    expect((await get({ 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await get({ 'x-api-key': 'k-123' })).status).toBe(200);
    expect((await get({ authorization: basic('ops', 'pa:ss') })).status).toBe(200);
    expect((await get({ authorization: basic('ops', 'nope') })).status).toBe(401);
    expect(calls.slice(1).map((c) => c.context.principals)).toEqual([{ apiKey: { app: 'billing' } }, { basic: { user: 'ops' } }]);
  });

  it('a verifier that throws rejects the credential without leaking its error', async () => {
    const router = api.createRouter(handlers([]), {
      logger,
      security: {
        oauth: () => {
          throw new Error('jwks endpoint unreachable');
        },
      },
    });
    const response = await router(pay({ authorization: 'Bearer writer' }));
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('jwks');
  });

  it('authentication comes before validation and before the body is read', async () => {
    let pulls = 0;
    const router = api.createRouter(handlers([]), { logger });
    // One chunk per pull; a stream is pulled once up front to fill its queue, so more pulls mean the body was read.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode(pulls === 1 ? '{"amount":"not a number"' : ' '));
        if (pulls === 10) controller.enqueue(new TextEncoder().encode('}'));
        if (pulls === 10) controller.close();
      },
    });
    const request = new Request('http://x.test/payments', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k' }, body, duplex: 'half' } as RequestInit);
    const response = await router(request);
    expect(response.status).toBe(401);
    expect(pulls).toBeLessThanOrEqual(2);
  });
});
