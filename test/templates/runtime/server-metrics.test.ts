import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from '../../../src/mock/index.js';
import { generateProvider, importGenerated, ROOT, type Generated } from '../../generators/server/harness.js';

/**
 * The provider router's and the mock's `metricsText()` after a scripted run: accepted, rejected (request and
 * response side), replayed, mismatched and unmatched requests each land in their counter, per operation only.
 */
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
const SPEC = path.join(ROOT, 'fixtures/ops.yaml');

function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function promtool(text: string): string {
  return hasPromtool ? `${spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' }).stderr}` : '';
}

type Handler = (input: { body: Record<string, unknown>; path: Record<string, string> }) => unknown;
interface RouterModule {
  createRouter(handlers: Record<string, Handler>, options?: { validateResponses?: boolean }): ((request: Request) => Promise<Response>) & {
    metricsText(labels?: Record<string, string>): string;
  };
}

let generated: Generated;
beforeAll(async () => {
  generated = await generateProvider(SPEC, ['types', 'zod', 'server']);
});
afterAll(async () => generated?.remove());

describe('provider router metricsText()', () => {
  it('counts requests by status class, validation rejections by side, idempotency replays and mismatches', async () => {
    const api = await importGenerated<RouterModule>(generated.dir, 'server.ts');
    const router = api.createRouter(
      {
        createOrder: (input) => ({ status: 201, body: { id: 'o1', ...input.body } }),
        getOrder: (input) => ({ status: 200, body: input.path['orderId'] === 'bad' ? { id: 'x' } : { id: 'o1', sku: 's', quantity: 1 } }),
      },
      { validateResponses: true },
    );
    const post = (body: unknown, key: string): Promise<Response> =>
      router(new Request('http://x.test/orders', { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) }));
    expect((await post({ sku: 'a', quantity: 1 }, 'k1')).status).toBe(201);
    expect((await post({ sku: 'a', quantity: 1 }, 'k1')).headers.get('idempotency-replayed')).toBe('true');
    expect((await post({ sku: 'b', quantity: 1 }, 'k1')).status).toBe(422);
    expect((await post({ sku: 'a', quantity: 0 }, 'k2')).status).toBe(422);
    expect((await router(new Request('http://x.test/orders/o1'))).status).toBe(200);
    expect((await router(new Request('http://x.test/orders/bad'))).status).toBe(500);
    expect((await router(new Request('http://x.test/nowhere/42'))).status).toBe(404);

    const text = router.metricsText({ api: 'shop-orders' });
    const m = parse(text);
    const create = 'api="shop-orders",operation="createOrder"';
    const get = 'api="shop-orders",operation="getOrder"';
    expect(m.get(`concord_server_requests_total{${create},status_class="2xx"}`)).toBe(2);
    expect(m.get(`concord_server_requests_total{${create},status_class="4xx"}`)).toBe(2);
    expect(m.get(`concord_server_requests_total{${get},status_class="2xx"}`)).toBe(1);
    expect(m.get(`concord_server_requests_total{${get},status_class="5xx"}`)).toBe(1);
    expect(m.get(`concord_server_requests_total{api="shop-orders",operation="(unmatched)",status_class="4xx"}`)).toBe(1);
    expect(m.get(`concord_server_validations_total{${create}}`)).toBe(4);
    expect(m.get(`concord_server_validation_rejections_total{${create},side="request"}`)).toBe(1);
    expect(m.get(`concord_server_validation_rejections_total{${get},side="response"}`)).toBe(1);
    expect(m.get(`concord_server_idempotency_replays_total{${create}}`)).toBe(1);
    expect(m.get(`concord_server_idempotency_mismatches_total{${create}}`)).toBe(1);
    expect(text).not.toContain('nowhere');
    expect(promtool(text)).toBe('');
  });
});

describe('mock metricsText()', () => {
  let mock: MockServer;
  afterAll(async () => mock?.close());

  it('counts the mock answers per operation', async () => {
    mock = await startMockServer({ spec: SPEC });
    const post = (body: unknown, key: string): Promise<Response> =>
      fetch(`${mock.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
    expect((await post({ sku: 'a', quantity: 1 }, 'm1')).status).toBe(201);
    expect((await post({ sku: 'a', quantity: 1 }, 'm1')).status).toBe(201);
    expect((await post({ sku: 'a', quantity: 0 }, 'm2')).status).toBeGreaterThanOrEqual(400);
    const m = parse(mock.metricsText());
    expect(m.get('concord_mock_requests_total{operation="createOrder",status_class="2xx"}')).toBe(2);
    expect(m.get('concord_mock_requests_total{operation="createOrder",status_class="4xx"}')).toBe(1);
    expect(m.get('concord_mock_idempotency_replays_total{operation="createOrder"}')).toBe(1);
    expect(m.get('concord_mock_validation_rejections_total{operation="createOrder",side="request"}')).toBe(1);
    expect(promtool(mock.metricsText())).toBe('');
  });
});
