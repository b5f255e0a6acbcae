import path from 'node:path';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../templates/runtime/server-node.js';
import { generateProvider, importGenerated, ROOT, type Generated } from '../../generators/server/harness.js';

/**
 * OpenTelemetry through `@opentelemetry/api` (found at run time, an optional peer) with the SDK's in-memory
 * exporter: the generated client makes one CLIENT span per call with an event per attempt, and sends its context
 * as `traceparent`; the generated router wrapped in traceFetchHandler makes a SERVER span per request that is the
 * client span's child. Attributes follow the HTTP semantic conventions.
 */
const exporter = new InMemorySpanExporter();
let generated: Generated;
let server: RunningServer;
let baseUrl = '';

type Call = (input?: unknown, options?: unknown) => Promise<{ ok: boolean; status: number }>;
interface Modules {
  client: { createClient(options: unknown): { createOrder: Call } };
  server: {
    createRouter(handlers: Record<string, (input: { body: Record<string, unknown> }) => unknown>, options?: { validateResponses?: boolean }): (request: Request) => Promise<Response>;
  };
  tracing: {
    traceFetchHandler(handler: (request: Request) => Promise<Response>, options?: { route?: (request: Request) => string | undefined }): (request: Request) => Promise<Response>;
  };
  node: { serveNode(handler: (request: Request) => Promise<Response>): Promise<RunningServer> };
}
let modules: Modules;

beforeAll(async () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  generated = await generateProvider(path.join(ROOT, 'fixtures/ops.yaml'), ['types', 'zod', 'client', 'node', 'server']);
  modules = {
    client: await importGenerated(generated.dir, 'client.ts'),
    server: await importGenerated(generated.dir, 'server.ts'),
    tracing: await importGenerated(generated.dir, 'runtime/tracing.ts'),
    node: await importGenerated(generated.dir, 'runtime/server-node.ts'),
  };
  const router = modules.server.createRouter({ createOrder: (input) => ({ status: 201, body: { id: 'o1', ...input.body } }) });
  // The first request of the test is refused in front of the router (a busy gateway), so the client retries.
  let calls = 0;
  const gateway = async (request: Request): Promise<Response> => (++calls === 1 ? new Response(null, { status: 503 }) : router(request));
  server = await modules.node.serveNode(modules.tracing.traceFetchHandler(gateway, { route: (r) => (new URL(r.url).pathname === '/orders' ? '/orders' : undefined) }));
  baseUrl = server.url;
});
afterAll(async () => {
  await server?.close();
  await generated?.remove();
  trace.disable();
});

const kindOf = (span: ReadableSpan): number => span.kind;

describe('OpenTelemetry', () => {
  it('client span per call with an event per attempt; server spans are its children', async () => {
    exporter.reset();
    const client = modules.client.createClient({ baseUrl, retry: { maxAttempts: 3, baseMs: 1, capMs: 2 } });
    const result = await client.createOrder({ body: { sku: 'a', quantity: 1 } }, { idempotencyKey: 'trace-1' });
    expect(result.status).toBe(201);
    const spans = exporter.getFinishedSpans();
    const clientSpans = spans.filter((s) => kindOf(s) === 2);
    const serverSpans = spans.filter((s) => kindOf(s) === 1);
    expect(clientSpans).toHaveLength(1);
    expect(serverSpans).toHaveLength(2);
    const call = clientSpans[0];
    if (call === undefined) throw new Error('no client span');
    expect(call.name).toBe('POST');
    expect(call.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': '127.0.0.1',
      'url.full': `${baseUrl}/orders`,
      'http.response.status_code': 201,
      'concord.operation_id': 'createOrder',
    });
    expect(call.events.filter((e) => e.name === 'attempt').map((e) => e.attributes?.['http.request.resend_count'])).toEqual([0, 1]);
    expect(call.events.filter((e) => e.name === 'attempt.response').map((e) => e.attributes?.['http.response.status_code'])).toEqual([503, 201]);
    for (const span of serverSpans) {
      expect(span.spanContext().traceId).toBe(call.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
      expect(span.name).toBe('POST /orders');
      expect(span.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/orders', 'url.path': '/orders' });
    }
    expect(serverSpans.map((s) => s.attributes['http.response.status_code'])).toEqual([503, 201]);
  });

  it('tracing: false makes no client span', async () => {
    exporter.reset();
    const quiet = modules.client.createClient({ baseUrl, tracing: false });
    expect((await quiet.createOrder({ body: { sku: 'c', quantity: 1 } }, { idempotencyKey: 'trace-3' })).status).toBe(201);
    const spans = exporter.getFinishedSpans();
    expect(spans.filter((s) => kindOf(s) === 2)).toHaveLength(0);
    // The server still traces, as a root (the client sent its own traceparent, not a span's).
    expect(spans.filter((s) => kindOf(s) === 1)).toHaveLength(1);
  });
});
