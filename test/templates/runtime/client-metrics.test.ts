import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate.js';
import { ROOT, scratch } from '../../helpers/workspace.js';
import { Counter, Registry } from 'prom-client';
import { registerWithPromClient } from '../../../templates/runtime/prom-client-bridge.js';
import { parseMetricsText, renderMetrics } from '../../../templates/runtime/metrics-text.js';

/**
 * A scripted run of the generated client against a local server — one retry that succeeds, one call that is
 * dead-lettered, a response and a request the validators reject, an idempotent replay, a 409 and a key mismatch —
 * then a scrape of `metricsText()`: every counter has the value the script implies, and promtool accepts the text.
 */
type Call = (input?: unknown, options?: unknown) => Promise<{ ok: boolean; status: number }>;
interface Client {
  metricsText(labels?: Record<string, string>): string;
  createOrder: Call;
  getOrder: Call;
}

let server: Server;
let baseUrl = '';
const seen = new Map<string, number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = `${req.url} ${body}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      const json = (status: number, value: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      if (req.url === '/orders/bad') return json(200, { id: 'x', sku: 's', quantity: 0 });
      if (req.url?.startsWith('/orders/')) return json(200, { id: 'o1', sku: 's', quantity: 1 });
      const { sku } = JSON.parse(body) as { sku: string };
      if (sku === 'flaky' && count === 1) return json(503, { status: 503 }, { 'retry-after': '0' });
      if (sku === 'down') return json(503, { status: 503 }, { 'retry-after': '0' });
      if (sku === 'replayed') return json(201, { id: 'o2', sku, quantity: 1 }, { 'idempotency-replayed': 'true' });
      if (sku === 'busy' && count === 1) return json(409, { type: 'urn:concord:problem:idempotency-in-flight', status: 409 });
      if (sku === 'reused') return json(422, { type: 'urn:concord:problem:idempotency-key-reused', status: 422 });
      return json(201, { id: 'o3', sku, quantity: 1 });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** `name{labels} value` lines → map keyed by `name{labels}` (labels as printed, sorted by name). */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

describe('client metricsText()', () => {
  let text = '';
  let client: Client;

  beforeAll(async () => {
    const out = path.join(scratch('metrics'), 'api');
    await generate({ spec: path.join(ROOT, 'fixtures/ops.yaml'), out, targets: ['types', 'zod', 'client', 'node'], format: false });
    const api = (await import(path.join(out, 'index.ts'))) as {
      createClient(o: unknown): Client;
      createMemoryDeadLetterStore(): unknown;
    };
    const { createMemoryDeadLetterStore } = (await import(path.join(out, 'runtime/dead-letter.ts'))) as { createMemoryDeadLetterStore(): unknown };
    client = api.createClient({
      baseUrl,
      deadLetter: createMemoryDeadLetterStore(),
      retry: { maxAttempts: 2, baseMs: 1, capMs: 2 },
      metricLabels: { api: 'shop-orders' },
    });
    const order = (sku: string, quantity = 1): Promise<unknown> =>
      client.createOrder({ body: { sku, quantity } }, { idempotencyKey: `k-${sku}` }).catch((e: unknown) => e);
    await order('flaky'); // 503, retry, 201
    await order('down'); // 503, retry, 503, dead-lettered
    await order('replayed');
    await order('busy');
    await order('reused');
    await order('ok');
    await order('bad-quantity', 0); // rejected before sending
    await client.getOrder({ path: { orderId: 'bad' } }).catch((e: unknown) => e); // response rejected
    await client.getOrder({ path: { orderId: 'o1' } });
    text = client.metricsText();
  });

  it('counts each event of the script', () => {
    const m = parse(text);
    const c = (name: string, labels: string): number | undefined => m.get(`${name}{${labels}}`);
    const create = 'api="shop-orders",operation="createOrder"';
    const get = 'api="shop-orders",operation="getOrder"';
    // flaky 2 + down 2 + busy 2 (409, then 201) + replayed, reused, ok; bad-quantity never leaves.
    expect(c('concord_client_attempts_total', create)).toBe(9);
    expect(c('concord_client_attempts_total', get)).toBe(2);
    expect(c('concord_client_retries_total', create)).toBe(3);
    expect(c('concord_client_retries_total', get)).toBeUndefined();
    expect(c('concord_client_gave_up_total', create)).toBe(1);
    expect(c('concord_client_dead_lettered_total', create)).toBe(1);
    expect(c('concord_client_requests_total', `${create},status_class="2xx"`)).toBe(4);
    expect(c('concord_client_requests_total', `${create},status_class="4xx"`)).toBe(1);
    expect(c('concord_client_requests_total', `${create},status_class="error"`)).toBe(1);
    expect(c('concord_client_requests_total', `${get},status_class="2xx"`)).toBe(2);
    expect(c('concord_client_validation_rejections_total', `${create},side="request"`)).toBe(1);
    expect(c('concord_client_validation_rejections_total', `${get},side="response"`)).toBe(1);
    expect(c('concord_client_idempotency_replays_total', create)).toBe(1);
    expect(c('concord_client_idempotency_conflicts_total', create)).toBe(1);
    expect(c('concord_client_idempotency_mismatches_total', create)).toBe(1);
    expect(c('concord_client_auth_refreshes_total', create)).toBeUndefined();
    expect(m.get('concord_dlq_depth{api="shop-orders"}')).toBe(1);
    expect(m.get('concord_dlq_oldest_age_seconds{api="shop-orders"}')).toBeGreaterThanOrEqual(0);
    // Low cardinality: no URL, id or key ever becomes a label value.
    expect(text).not.toMatch(/orders\/|k-flaky|o1/);
  });

  it.skipIf(!hasPromtool)('passes promtool check metrics (skips visibly without promtool)', () => {
    const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });

  it('reaches prom-client through the bridge: the registry serves every concord sample beside the app\'s own', async () => {
    const registry = new Registry();
    const own = new Counter({ name: 'app_jobs_total', help: 'Jobs.', registers: [registry] });
    own.inc(3);
    const bridged = registerWithPromClient(registry, () => client.metricsText());
    expect(bridged.length).toBeGreaterThan(10);
    const served = await registry.metrics();
    expect(served).toContain('app_jobs_total 3');
    const ours = parse(client.metricsText());
    const theirs = parse(served);
    for (const [sample, value] of ours) {
      if (sample.startsWith('concord_dlq_oldest_age_seconds')) expect(theirs.get(sample)).toBeGreaterThanOrEqual(0); // an age: read at another moment
      else expect(theirs.get(sample), sample).toBe(value);
    }
    // A later scrape sees later counts (the bridge reads the client at scrape time, not at registration).
    await client.getOrder({ path: { orderId: 'o1' } });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const later = parse(await registry.metrics());
    const key = 'concord_client_requests_total{api="shop-orders",operation="getOrder",status_class="2xx"}';
    expect(later.get(key)).toBe((ours.get(key) ?? 0) + 1);
  });
});

describe('parseMetricsText', () => {
  it('reads back what renderMetrics writes, escapes included', () => {
    const families = [
      { name: 'x_total', help: 'Back\\slash and\nnew line.', type: 'counter' as const, samples: [{ labels: { op: 'a"b\\c\nd' }, value: 2 }] },
      { name: 'y_seconds', help: 'Age.', type: 'gauge' as const, samples: [{ labels: {}, value: Infinity }, { labels: { api: 'p' }, value: 0.5 }] },
      { name: 'z_total', help: 'Empty.', type: 'counter' as const, samples: [] },
    ];
    expect(parseMetricsText(renderMetrics(families))).toEqual(families);
  });
});
