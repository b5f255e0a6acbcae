import { afterEach, describe, expect, it } from 'vitest';
import type { AuthConfig, SecuritySchemeDescription } from '../../../templates/runtime/auth.js';
import { createReplayCache, verifySignature } from '../../../templates/runtime/hmac.js';
import { createResilientSend, type OperationMeta } from '../../../templates/runtime/resilience.js';
import { AuthError } from '../../../templates/runtime/resilience-errors.js';
import { header, reply, startServer, type TestServer } from './flaky-server.js';
import { allAuth, eventLog, fakeTime, operation } from './harness.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const server = await startServer(...args);
  servers.push(server);
  return server;
}

const schemes: SecuritySchemeDescription[] = [
  { kind: 'http-bearer', key: 'bearer' },
  { kind: 'http-basic', key: 'basic' },
  { kind: 'api-key', key: 'headerKey', in: 'header', name: 'X-API-Key' },
  { kind: 'api-key', key: 'queryKey', in: 'query', name: 'api_key' },
  { kind: 'api-key', key: 'cookieKey', in: 'cookie', name: 'session' },
  { kind: 'http-other', key: 'custom', scheme: 'token' },
  { kind: 'openid-connect', key: 'oidc', url: 'https://id.example.test/.well-known/openid-configuration' },
  { kind: 'oauth2', key: 'oauth', flows: [{ flow: 'clientCredentials', tokenUrl: '/oauth/token', scopes: ['read', 'write'] }] },
  { kind: 'hmac', key: 'hmac', header: 'X-Signature', timestampHeader: 'X-Signature-Timestamp', algorithm: 'sha256' },
];
const needs = (...alternatives: string[][]): Pick<OperationMeta, 'security'> => ({ security: alternatives.map((alt) => alt.map((scheme) => ({ scheme, scopes: [] }))) });

describe('static credentials', () => {
  const cases: Array<{ name: string; auth: AuthConfig; security: string[][]; check: (url: string, h: (n: string) => string | undefined) => void }> = [
    { name: 'bearer string', auth: { bearer: 'tok-1' }, security: [['bearer']], check: (_u, h) => expect(h('authorization')).toBe('Bearer tok-1') },
    { name: 'bearer from an async function', auth: { bearer: async () => 'tok-fn' }, security: [['bearer']], check: (_u, h) => expect(h('authorization')).toBe('Bearer tok-fn') },
    {
      name: 'basic',
      auth: { basic: { username: 'ada', password: 'pa ss:wörd' } },
      security: [['basic']],
      check: (_u, h) => expect(Buffer.from(h('authorization')?.replace('Basic ', '') ?? '', 'base64').toString('utf8')).toBe('ada:pa ss:wörd'),
    },
    { name: 'apiKey in a header', auth: { headerKey: 'hk-1' }, security: [['headerKey']], check: (_u, h) => expect(h('x-api-key')).toBe('hk-1') },
    { name: 'apiKey in the query', auth: { queryKey: 'qk 1' }, security: [['queryKey']], check: (u) => expect(new URL(u, 'http://x').searchParams.get('api_key')).toBe('qk 1') },
    { name: 'apiKey in a cookie', auth: { cookieKey: 'ck-1' }, security: [['cookieKey']], check: (_u, h) => expect(h('cookie')).toBe('theme=dark; session=ck-1') },
    { name: 'another http scheme', auth: { custom: 'abc' }, security: [['custom']], check: (_u, h) => expect(h('authorization')).toBe('Token abc') },
    { name: 'openid connect token', auth: { oidc: 'id-tok' }, security: [['oidc']], check: (_u, h) => expect(h('authorization')).toBe('Bearer id-tok') },
    { name: 'optional auth still sends configured credentials', auth: { bearer: 't' }, security: [[], ['bearer']], check: (_u, h) => expect(h('authorization')).toBe('Bearer t') },
    { name: 'the first alternative that has credentials', auth: { headerKey: 'hk' }, security: [['bearer'], ['headerKey']], check: (_u, h) => expect([h('authorization'), h('x-api-key')]).toEqual([undefined, 'hk']) },
    { name: 'all schemes of one alternative', auth: { bearer: 'b', headerKey: 'k' }, security: [['bearer', 'headerKey']], check: (_u, h) => expect([h('authorization'), h('x-api-key')]).toEqual(['Bearer b', 'k']) },
    { name: 'an operation without security gets none', auth: { bearer: 'b' }, security: [], check: (_u, h) => expect(h('authorization')).toBeUndefined() },
  ];
  it.each(cases)('$name', async ({ auth, security, check }) => {
    const server = await serve((_req, res) => reply(res, 200));
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth });
    await send(new Request(`${server.url}/things?x=1`, { headers: { cookie: 'theme=dark' } }), operation('GET', 'safe', needs(...security)), {});
    const [req] = server.requests;
    check(req!.url, (name) => header(req!, name));
  });

  it('rejects credentials that do not fit the contract, without echoing them', () => {
    expect(() => createResilientSend({ plugins: allAuth(schemes), auth: { nope: 'secret-value-1' } })).toThrow(AuthError);
    expect(() => createResilientSend({ plugins: allAuth(schemes), auth: { basic: 'secret-value-2' } })).toThrow(/http-basic scheme takes \{ username, password \}/);
    try {
      createResilientSend({ plugins: allAuth(schemes), auth: { hmac: 'secret-value-3' } });
    } catch (error) {
      expect(String(error)).not.toContain('secret-value-3');
    }
  });
});

describe('OAuth 2.0 client credentials', () => {
  async function oauthServer(options: { revoked?: Set<string>; tokenStatus?: number; expiresIn?: number } = {}) {
    const issued: string[] = [];
    const server = await serve((req, res) => {
      if (req.url === '/oauth/token') {
        if (options.tokenStatus !== undefined) return reply(res, options.tokenStatus, { error: 'invalid_client', error_description: 'bad secret' });
        const token = `at-${issued.length + 1}`;
        issued.push(token);
        return reply(res, 200, { access_token: token, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600 });
      }
      const token = header(req, 'authorization')?.replace('Bearer ', '') ?? '';
      return reply(res, issued.includes(token) && options.revoked?.has(token) !== true ? 200 : 401);
    });
    const tokenRequests = () => server.requests.filter((r) => r.url === '/oauth/token');
    return { server, issued, tokenRequests };
  }
  const meta = operation('GET', 'safe', { security: [[{ scheme: 'oauth', scopes: ['read', 'write'] }]] });
  const creds = { oauth: { clientId: 'client-1', clientSecret: 's3cr3t' } };

  it('fetches a token with a form POST, caches it, and sends it', async () => {
    const { server, tokenRequests } = await oauthServer();
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: creds });
    expect((await send(new Request(`${server.url}/a`), meta, {})).status).toBe(200);
    expect((await send(new Request(`${server.url}/b`), meta, {})).status).toBe(200);
    expect(tokenRequests()).toHaveLength(1);
    const [tokenRequest] = tokenRequests();
    expect(new URLSearchParams(tokenRequest!.body).toString()).toBe('grant_type=client_credentials&scope=read+write');
    expect(header(tokenRequest!, 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(Buffer.from(header(tokenRequest!, 'authorization')?.slice(6) ?? '', 'base64').toString()).toBe('client-1:s3cr3t');
    expect(server.requests.filter((r) => r.url !== '/oauth/token').map((r) => header(r, 'authorization'))).toEqual(['Bearer at-1', 'Bearer at-1']);
  });

  it('sends client id and secret in the body when asked', async () => {
    const { server, tokenRequests } = await oauthServer();
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: { oauth: { ...creds.oauth, clientAuth: 'body', scopes: ['admin'] } } });
    await send(new Request(`${server.url}/a`), meta, {});
    expect(Object.fromEntries(new URLSearchParams(tokenRequests()[0]!.body))).toEqual({ grant_type: 'client_credentials', scope: 'admin', client_id: 'client-1', client_secret: 's3cr3t' });
  });

  it('shares one token request between concurrent calls', async () => {
    const { server, tokenRequests } = await oauthServer();
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: creds });
    const statuses = await Promise.all([1, 2, 3, 4, 5].map(async (n) => (await send(new Request(`${server.url}/${n}`), meta, {})).status));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(tokenRequests()).toHaveLength(1);
  });

  it('reports the expiry and refreshes the token before it lapses', async () => {
    const { server, tokenRequests } = await oauthServer({ expiresIn: 600 });
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: creds, now: time.now, tokenRefreshSkewMs: 60_000, onEvent: log.onEvent });
    await send(new Request(`${server.url}/a`), meta, { correlationId: 'c1' });
    time.advance(500_000); // 100 s left: outside the 60 s skew
    await send(new Request(`${server.url}/b`), meta, {});
    expect(tokenRequests()).toHaveLength(1);
    time.advance(50_000); // 50 s left
    await send(new Request(`${server.url}/c`), meta, { correlationId: 'c3' });
    expect(tokenRequests()).toHaveLength(2);
    expect(log.ofType('token-expiring')).toEqual([{ type: 'token-expiring', at: time.now(), correlationId: 'c3', operationId: 'getThing', scheme: 'oauth', expiresInMs: 50_000 }]);
    expect(header(server.requests.at(-1)!, 'authorization')).toBe('Bearer at-2');
  });

  it('on a 401 refreshes the token once and re-sends', async () => {
    const revoked = new Set(['at-1']);
    const { server, tokenRequests } = await oauthServer({ revoked });
    const log = eventLog();
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: creds, onEvent: log.onEvent });
    const response = await send(new Request(`${server.url}/orders`, { method: 'POST', body: '{}' }), { ...meta, method: 'POST', idempotency: { mode: 'none', header: '', required: false } }, {});
    expect(response.status).toBe(200);
    expect(tokenRequests()).toHaveLength(2);
    expect(log.ofType('retry-scheduled')).toMatchObject([{ delaySource: 'auth-refresh', delayMs: 0, reason: 'status 401' }]);

    revoked.add('at-2').add('at-3');
    const still = await send(new Request(`${server.url}/orders`), meta, {});
    expect(still.status).toBe(401);
    expect(tokenRequests()).toHaveLength(3);
  });

  it('turns a failed token request into an AuthError that names the scheme and the call', async () => {
    const { server } = await oauthServer({ tokenStatus: 401 });
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: creds });
    const error: unknown = await send(new Request(`${server.url}/a`), meta, { correlationId: 'c-auth' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ scheme: 'oauth', status: 401, correlationId: 'c-auth' });
    expect(String(error)).toContain('invalid_client');
    expect(JSON.stringify(error)).not.toContain('s3cr3t');
  });
});

describe('HMAC signing', () => {
  it('signs every attempt afresh, so the server verifies each and never sees a replay', async () => {
    const time = fakeTime();
    const cache = createReplayCache();
    const verdicts: string[] = [];
    const server = await serve(async (req, res) => {
      const result = await verifySignature({
        method: req.method,
        url: req.url,
        body: req.body,
        signature: header(req, 'x-signature'),
        timestamp: header(req, 'x-signature-timestamp'),
        secret: (keyId) => (keyId === 'k1' ? 'hmac-secret' : undefined),
        nowMs: time.now(),
        replayCache: cache,
      });
      verdicts.push(result.ok ? 'ok' : result.reason);
      reply(res, req.index === 0 ? 503 : 200);
    });
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: { hmac: { secret: 'hmac-secret', keyId: 'k1' } }, now: time.now, sleep: async () => undefined });
    const response = await send(new Request(`${server.url}/pay?x=1`, { method: 'PUT', body: '{"amount":5}' }), operation('PUT', 'idempotent', needs(['hmac'])), {});
    expect(response.status).toBe(200);
    expect(verdicts).toEqual(['ok', 'ok']);
    expect(header(server.requests[0]!, 'x-signature')).not.toBe(header(server.requests[1]!, 'x-signature'));
  });

  it('signs the query an apiKey scheme added', async () => {
    const time = fakeTime();
    let verdict = '';
    const server = await serve(async (req, res) => {
      const result = await verifySignature({ method: req.method, url: req.url, body: req.body, signature: header(req, 'x-signature'), timestamp: header(req, 'x-signature-timestamp'), secret: 'hs', nowMs: time.now() });
      verdict = result.ok ? `ok ${req.url}` : result.reason;
      reply(res, 200);
    });
    const { send } = createResilientSend({ plugins: allAuth(schemes), auth: { hmac: { secret: 'hs' }, queryKey: 'qk' }, now: time.now });
    await send(new Request(`${server.url}/x`), operation('GET', 'safe', needs(['hmac', 'queryKey'])), {});
    expect(verdict).toBe('ok /x?api_key=qk');
  });
});
