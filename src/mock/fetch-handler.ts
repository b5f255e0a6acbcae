import { engineOptions, type MockServerOptions } from './server.js';
import { MockEngine } from './engine.js';
import { resolveMockSpec } from './source.js';
import type { MockResponse } from './types.js';

export type MockHandlerOptions = Omit<MockServerOptions, 'port' | 'host' | 'onRequest' | 'maxRecordedRequests'>;

/** Answers a web-standard Request the way `concord mock` would; what MSW handlers and other fetch mocks call. */
export type MockFetchHandler = (request: Request) => Promise<Response>;

const NO_BODY = new Set([204, 205, 304]);

/**
 * The mock's request pipeline (routing, validation, security, idempotency, stateful collections, contract errors)
 * behind a `(Request) => Promise<Response>`, without a server: `http.all('*', ({ request }) => handle(request))`.
 * Each handler has its own state, so a test that creates one per test starts from the contract's examples.
 */
export async function createMockHandler(options: MockHandlerOptions): Promise<MockFetchHandler> {
  const settings = engineOptions(options);
  const resolved = await resolveMockSpec(options.spec, {
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.buildOptions ? { buildOptions: options.buildOptions } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const engine = new MockEngine(resolved.ir, settings);
  return async (request) => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true }));
    const bytes = new Uint8Array(await request.arrayBuffer());
    const body = bytes.byteLength > settings.maxBodyBytes ? 'too-large' : bytes;
    const { response } = await engine.handle({ method: request.method, url: `${url.pathname}${url.search}`, headers, body });
    return toResponse(response, request.method);
  };
}

function toResponse(out: MockResponse, method: string): Response {
  if (out.reset === true) return Response.error();
  const empty = NO_BODY.has(out.status) || method.toUpperCase() === 'HEAD' || out.body === undefined;
  return new Response(empty ? null : out.body, { status: out.status, headers: out.headers });
}
