/**
 * Every auth scheme runs with a distinctive secret; calls fail in every way we know (exhausted retries into a
 * file dead-letter store, refused connections, a 401 refresh, a failing token endpoint, a rejected validation).
 * No secret, nor its URL-encoded or base64 form, may appear in any event, error or file of the store.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { SecuritySchemeDescription } from '../../../templates/runtime/auth.js';
import { createFileDeadLetterStore } from '../../../templates/runtime/dlq-file.js';
import { createResilientSend } from '../../../templates/runtime/resilience.js';
import { closedPort, header, reply, startServer } from './flaky-server.js';
import { allAuth, eventLog, fakeTime, operation } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'concord-redact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = {
  bearer: 'SECRET-bearer-7c1f',
  basic: 'SECRET-basic-9d2e',
  headerKey: 'SECRET-hdrkey-1a3b',
  queryKey: 'SECRET qrykey/5e6f',
  cookieKey: 'SECRET-cookie-8a8a',
  custom: 'SECRET-custom-3b3b',
  oidc: 'SECRET-oidc-4c4c',
  oauthClient: 'SECRET-oauth-client-6d6d',
  hmac: 'SECRET-hmac-2e2e',
  dynamicBearer: 'SECRET-dynamic-bearer-5a5a',
};
const ACCESS_TOKENS = ['SECRET-access-token-1', 'SECRET-access-token-2', 'SECRET-access-token-3'];

const schemes: SecuritySchemeDescription[] = [
  { kind: 'http-bearer', key: 'bearer' },
  { kind: 'http-bearer', key: 'dynamicBearer' },
  { kind: 'http-basic', key: 'basic' },
  { kind: 'api-key', key: 'headerKey', in: 'header', name: 'X-API-Key' },
  { kind: 'api-key', key: 'queryKey', in: 'query', name: 'api_key' },
  { kind: 'api-key', key: 'cookieKey', in: 'cookie', name: 'session' },
  { kind: 'http-other', key: 'custom', scheme: 'token' },
  { kind: 'openid-connect', key: 'oidc', url: 'https://id.example.test' },
  { kind: 'oauth2', key: 'oauth', flows: [{ flow: 'clientCredentials', tokenUrl: '/oauth/token', scopes: [] }] },
  { kind: 'oauth2', key: 'brokenOauth', flows: [{ flow: 'clientCredentials', tokenUrl: '/broken/token', scopes: [] }] },
  { kind: 'hmac', key: 'hmac', header: 'X-Signature', timestampHeader: 'X-Signature-Timestamp', algorithm: 'sha256' },
];

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')];
}

it('never leaks a secret into events, errors or dead-letter files', async () => {
  let issued = 0;
  const server = await startServer((req, res) => {
    if (req.url === '/oauth/token') return reply(res, 200, { access_token: ACCESS_TOKENS[issued++], expires_in: 3600 });
    if (req.url === '/broken/token') return reply(res, 401, { error: 'invalid_client', error_description: `secret ${SECRETS.oauthClient} rejected` });
    // The first access token is refused, to exercise the 401 refresh; everything else fails with 503.
    if (header(req, 'authorization') === `Bearer ${ACCESS_TOKENS[0]}`) return reply(res, 401);
    return reply(res, 503, { echo: req.headers });
  });
  const store = await createFileDeadLetterStore(dir);
  const time = fakeTime();
  const log = eventLog();
  const client = createResilientSend({
    now: time.now,
    sleep: time.sleep,
    onEvent: log.onEvent,
    deadLetter: store,
    plugins: allAuth(schemes),
    auth: {
      bearer: SECRETS.bearer,
      dynamicBearer: async () => SECRETS.dynamicBearer,
      basic: { username: 'ada', password: SECRETS.basic },
      headerKey: SECRETS.headerKey,
      queryKey: SECRETS.queryKey,
      cookieKey: SECRETS.cookieKey,
      custom: SECRETS.custom,
      oidc: SECRETS.oidc,
      oauth: { clientId: 'client-1', clientSecret: SECRETS.oauthClient },
      brokenOauth: { clientId: 'client-2', clientSecret: SECRETS.oauthClient, clientAuth: 'body' },
      hmac: { secret: SECRETS.hmac, keyId: 'k1' },
    },
  });
  const errors: unknown[] = [];
  const call = async (url: string, scheme: string, method = 'POST', deadLetter: 'never' | 'on-exhaustion' = 'on-exhaustion') => {
    const meta = operation(method, method === 'POST' ? 'keyed' : 'safe', { security: [[{ scheme, scopes: [] }]] });
    const init: RequestInit = method === 'POST' ? { method, body: JSON.stringify({ note: 'hello' }) } : { method };
    await client.send(new Request(url, init), meta, { deadLetter }).then(
      () => errors.push(new Error(`expected ${scheme} to fail`)),
      (error: unknown) => errors.push(error),
    );
  };

  const schemeKeys = schemes.map((s) => s.key);
  for (const scheme of schemeKeys) await call(`${server.url}/things?page=2`, scheme);
  const refused = await closedPort();
  for (const scheme of ['queryKey', 'basic', 'oauth']) await call(`http://127.0.0.1:${refused}/things?page=3`, scheme, 'GET', 'never');
  client.reportValidation({
    operationId: 'postThing',
    direction: 'request',
    ok: false,
    issues: [{ path: ['apiKey'], message: `Invalid value "${SECRETS.headerKey}"` }],
  });

  // The secrets were really sent, so their absence below means something.
  const sent = JSON.stringify(server.requests);
  for (const secret of [SECRETS.bearer, SECRETS.headerKey, SECRETS.cookieKey, SECRETS.custom, SECRETS.oidc, ACCESS_TOKENS[1]!, SECRETS.dynamicBearer]) expect(sent).toContain(secret);
  expect(sent).toContain(encodeURIComponent(SECRETS.queryKey).replace(/%20/g, '+'));
  expect(sent).toContain(Buffer.from(`ada:${SECRETS.basic}`).toString('base64'));
  expect(sent).toContain(SECRETS.oauthClient); // in the broken token request's form body
  const records = await store.list();
  expect(records).toHaveLength(schemeKeys.length - 1); // all but the broken token endpoint
  // The by-name layer on its own (the by-value layer would also catch these).
  const credentialHeaders = records.flatMap((r) => Object.entries(r.headers).filter(([name]) => ['authorization', 'cookie', 'x-api-key', 'x-signature'].includes(name)));
  expect(credentialHeaders.length).toBe(records.length - 1); // the query-key record carries its credential in the URL
  expect(credentialHeaders.every(([, value]) => value === '[REDACTED]')).toBe(true);
  expect(records.filter((r) => r.redacted.query.includes('api_key')).map((r) => r.url)).toEqual([`${server.url}/things?page=2&api_key=[REDACTED]`]);
  expect(errors.map((e) => (e instanceof Error ? e.name : 'not an error')).sort()).toEqual([
    'AuthError',
    ...Array<string>(3).fill('CallFailedError'),
    ...Array<string>(schemeKeys.length - 1).fill('DeadLetteredError'),
  ].sort());
  expect(log.ofType('validation-rejected')).toHaveLength(1);
  await store.close();
  await server.close();

  const haystacks: Array<[string, string]> = [
    ...log.events.map((e): [string, string] => [`event ${e.type}`, JSON.stringify(e)]),
    ...errors.map((e): [string, string] => [`error ${String(e)}`, `${String(e)}\n${JSON.stringify(e)}\n${e instanceof Error ? e.stack ?? '' : ''}`]),
    ...readdirSync(dir).map((name): [string, string] => [`file ${name}`, readFileSync(join(dir, name)).toString('latin1')]),
  ];
  const needles = [
    ...Object.values(SECRETS).flatMap(forms),
    ...ACCESS_TOKENS.flatMap(forms),
    Buffer.from(`ada:${SECRETS.basic}`).toString('base64'),
    Buffer.from(`client-1:${SECRETS.oauthClient}`).toString('base64'),
  ];
  const leaks = haystacks.flatMap(([where, text]) => needles.filter((n) => text.includes(n)).map((n) => `${where} contains ${n}`));
  expect(leaks).toEqual([]);
  expect(haystacks.filter(([where]) => where.startsWith('file ')).length).toBeGreaterThan(0);
  expect(haystacks.some(([, text]) => text.includes('[REDACTED]'))).toBe(true);
});
