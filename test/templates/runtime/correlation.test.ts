import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { withCorrelationId, getAmbientCorrelationId } from '../../../templates/runtime/correlation-node.js';
import { parseTraceparent } from '../../../templates/runtime/correlation.js';
import { createResilientSend } from '../../../templates/runtime/resilience.js';
import { header, reply, startServer, type TestServer } from './flaky-server.js';
import { eventLog, fakeTime, operation, post } from './harness.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function flaky(failures: number): Promise<TestServer> {
  const server = await startServer((req, res) => reply(res, req.index < failures ? 503 : 200, {}, { 'x-correlation-id': header(req, 'x-correlation-id') ?? '' }));
  servers.push(server);
  return server;
}

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

describe('correlation id', () => {
  it("sends the caller's id on every attempt, with one trace id and a new parent id per attempt", async () => {
    const server = await flaky(2);
    const time = fakeTime();
    const { send, callInfo } = createResilientSend({ now: time.now, sleep: time.sleep });
    const response = await send(new Request(server.url), operation('GET', 'safe'), { correlationId: 'order-flow-1' });
    expect(server.requests.map((r) => header(r, 'x-correlation-id'))).toEqual(['order-flow-1', 'order-flow-1', 'order-flow-1']);
    const traces = server.requests.map((r) => header(r, 'traceparent') ?? '');
    expect(traces.every((t) => TRACEPARENT.test(t))).toBe(true);
    const parsed = traces.map((t) => parseTraceparent(t));
    expect(new Set(parsed.map((p) => p?.traceId)).size).toBe(1);
    expect(new Set(parsed.map((p) => p?.parentId)).size).toBe(3);
    expect(callInfo(response)).toEqual({ correlationId: 'order-flow-1', operationId: 'getThing', traceId: parsed[0]?.traceId, idempotencyKey: null, attempts: 3 });
  });

  it('inherits the ambient id from AsyncLocalStorage across awaits', async () => {
    const server = await flaky(0);
    const { send } = createResilientSend({ getAmbientCorrelationId });
    await withCorrelationId('ambient-7', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await send(new Request(server.url), operation('GET', 'safe'), {});
    });
    await withCorrelationId('ambient-8', () => send(new Request(server.url), operation('GET', 'safe'), { correlationId: 'explicit' }));
    expect(server.requests.map((r) => header(r, 'x-correlation-id'))).toEqual(['ambient-7', 'explicit']);
  });

  it('makes a new id and trace per call when there is none, and keeps ids already on the request', async () => {
    const server = await flaky(0);
    const { send } = createResilientSend({ correlationHeader: 'X-Request-ID' });
    await send(new Request(server.url), operation('GET', 'safe'), {});
    await send(new Request(server.url), operation('GET', 'safe'), {});
    const inbound = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';
    await send(new Request(server.url, { headers: { 'x-request-id': 'upstream-1', traceparent: inbound } }), operation('GET', 'safe'), {});
    const [a, b, c] = server.requests;
    expect(header(a!, 'x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(a!, 'x-request-id')).not.toBe(header(b!, 'x-request-id'));
    expect(parseTraceparent(header(a!, 'traceparent'))?.traceId).not.toBe(parseTraceparent(header(b!, 'traceparent'))?.traceId);
    expect(header(c!, 'x-request-id')).toBe('upstream-1');
    expect(header(c!, 'traceparent')).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-00$/);
    expect(header(c!, 'traceparent')).not.toBe(inbound);
    expect(header(a!, 'x-correlation-id')).toBeUndefined();
  });
});

describe('events and metrics', () => {
  it('every event is plain JSON and carries the correlation id and the operation', async () => {
    const server = await flaky(1);
    const time = fakeTime();
    const log = eventLog();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, random: () => 0.5, onEvent: log.onEvent });
    await send(post(server.url, {}), operation('POST', 'keyed'), { correlationId: 'c-ev' });
    expect(log.events.map((e) => e.type)).toEqual(['request', 'response', 'retry-scheduled', 'request', 'response']);
    for (const event of log.events) {
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
      expect(event).toMatchObject({ correlationId: 'c-ev', operationId: 'postThing' });
    }
    expect(log.ofType('retry-scheduled')[0]).toMatchObject({ delayMs: 100, delaySource: 'backoff', attempt: 1 });
    const keys = log.ofType('request').map((e) => e.idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
  });

  it('a throwing observer does not change the outcome', async () => {
    const server = await flaky(1);
    const time = fakeTime();
    const { send } = createResilientSend({ now: time.now, sleep: time.sleep, onEvent: () => { throw new Error('observer bug'); } });
    expect((await send(new Request(server.url), operation('GET', 'safe'), {})).status).toBe(200);
  });

  it('counts validations and reports rejections with JSON-pointer paths', () => {
    const time = fakeTime();
    const log = eventLog();
    const { metrics, reportValidation } = createResilientSend({ now: time.now, onEvent: log.onEvent });
    const schema = z.object({ items: z.array(z.object({ 'a/b': z.number() })) });
    const bad = schema.safeParse({ items: [{ 'a/b': 1 }, { 'a/b': 'x' }] });
    expect(bad.success).toBe(false);
    reportValidation({ operationId: 'listThings', correlationId: 'c-v', direction: 'response', ok: false, status: 200, issues: bad.error?.issues ?? [] });
    for (let i = 0; i < 3; i++) reportValidation({ operationId: 'listThings', direction: 'request', ok: true });
    expect(log.ofType('validation-rejected')).toEqual([
      { type: 'validation-rejected', at: time.now(), correlationId: 'c-v', operationId: 'listThings', direction: 'response', status: 200, issues: [{ path: '/items/1/a~1b', message: expect.any(String) }] },
    ]);
    expect(metrics()).toMatchObject({ validations: 4, validationRejections: 1, validationRejectionRate: 0.25, deadLetterDepth: 0, oldestParkedAgeMs: null });
  });
});
