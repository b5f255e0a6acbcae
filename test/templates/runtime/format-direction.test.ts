import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as zh from '../../../templates/runtime/zod-helpers.js';
import { createCore, type OperationSpec } from '../../../templates/runtime/http.js';
import { RequestValidationError } from '../../../templates/runtime/errors.js';
import { createRouterCore } from '../../../templates/runtime/server-router.js';
import type { RouteSpec } from '../../../templates/runtime/server-types.js';

// `format` is an assertion on what concord sends and an annotation on what it receives (by default).

const Link = z.object({ href: z.string().superRefine(zh.format('uri')) });
const relative = { href: '/2010-04-01/Accounts/AC1.json' };

describe('zh.format under withDirection', () => {
  const cases: Array<[zh.FormatPolicy, zh.Direction, boolean]> = [
    ['outgoing', 'outgoing', false],
    ['outgoing', 'incoming', true],
    ['strict', 'incoming', false],
    ['strict', 'outgoing', false],
    ['off', 'outgoing', true],
    ['off', 'incoming', true],
  ];
  it.each(cases)('policy %s, %s: a relative URI for format uri is accepted: %s', (policy, direction, accepted) => {
    expect(zh.withDirection(direction, policy, () => Link.safeParse(relative)).success).toBe(accepted);
  });

  it('checks formats outside withDirection (a user parsing by hand) and restores the state after a throw', () => {
    expect(Link.safeParse(relative).success).toBe(false);
    expect(() => zh.withDirection('incoming', 'outgoing', () => Link.parse({ href: 5 }))).toThrow();
    expect(Link.safeParse(relative).success).toBe(false);
    expect(Link.safeParse({ href: 'https://api.twilio.com/x' }).success).toBe(true);
  });

  it('sized integer formats are formats too', () => {
    const Count = z.number().superRefine(zh.format('int32'));
    expect(zh.withDirection('incoming', 'outgoing', () => Count.safeParse(2 ** 31).success)).toBe(true);
    expect(zh.withDirection('outgoing', 'outgoing', () => Count.safeParse(2 ** 31).success)).toBe(false);
    expect(zh.withDirection('outgoing', 'outgoing', () => Count.safeParse(2 ** 31 - 1).success)).toBe(true);
  });

  it('formats without a check stay annotations', () => {
    expect(zh.CHECKED_FORMATS).toContain('date');
    const Any = z.string().superRefine(zh.format('x-made-up'));
    expect(Any.safeParse('anything').success).toBe(true);
  });
});

const linkOperation: OperationSpec = {
  id: 'getLink',
  method: 'POST',
  path: '/links',
  params: [],
  body: [{ mediaType: 'application/json', encoding: 'json' }],
  bodyRequired: true,
  responses: { '200': [{ mediaType: 'application/json', encoding: 'json' }] },
  idempotency: { mode: 'idempotent', header: 'Idempotency-Key', required: false },
  security: [],
  schemas: { body: { 'application/json': Link }, responses: { '200': { 'application/json': Link } } },
};

function clientAnswering(body: unknown, formats?: zh.FormatPolicy): ReturnType<typeof createCore> {
  const fetch = async (): Promise<Response> => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  return createCore({ baseUrl: 'http://127.0.0.1:1', fetch, ...(formats ? { formats } : {}) });
}

describe('client', () => {
  it('accepts a response whose format does not match (incoming), by default', async () => {
    const result = await clientAnswering(relative).call(linkOperation, { body: { href: 'https://example.com/a' } });
    expect(result).toMatchObject({ ok: true, status: 200, data: relative });
  });

  it('checks the request it sends (outgoing)', async () => {
    await expect(clientAnswering(relative).call(linkOperation, { body: relative })).rejects.toBeInstanceOf(RequestValidationError);
  });

  it("'strict' rejects the response too; 'off' lets the request through", async () => {
    await expect(clientAnswering(relative, 'strict').call(linkOperation, { body: { href: 'https://example.com/a' } })).rejects.toThrow();
    const result = await clientAnswering(relative, 'off').call(linkOperation, { body: relative });
    expect(result.ok).toBe(true);
  });
});

describe('provider router', () => {
  const { params: _params, ...rest } = linkOperation;
  const route: RouteSpec = { ...rest, params: [], name: 'getLink', body: [{ mediaType: 'application/json', encoding: 'json' }] };
  const post = (router: ReturnType<typeof createRouterCore>, body: unknown): Promise<Response> =>
    router(new Request('http://127.0.0.1/links', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));

  it('accepts a request whose format does not match (incoming) and checks the answer it sends (outgoing)', async () => {
    const echo = createRouterCore([route], { getLink: (input) => ({ status: 200, body: input.body }) }, { validateResponses: true });
    expect((await post(echo, { href: 'https://example.com/a' })).status).toBe(200);
    // The request passes; the echoed answer breaks the format, so the provider refuses to send it.
    expect((await post(echo, relative)).status).toBe(500);
    const fixed = createRouterCore([route], { getLink: () => ({ status: 200, body: { href: 'https://example.com/b' } }) }, { validateResponses: true });
    expect((await post(fixed, relative)).status).toBe(200);
  });

  it("'strict' refuses the request (422); 'off' sends the answer", async () => {
    const strict = createRouterCore([route], { getLink: () => ({ status: 200, body: { href: 'https://example.com/b' } }) }, { formats: 'strict' });
    expect((await post(strict, relative)).status).toBe(422);
    const off = createRouterCore([route], { getLink: (input) => ({ status: 200, body: input.body }) }, { validateResponses: true, formats: 'off' });
    expect((await post(off, relative)).status).toBe(200);
  });
});
