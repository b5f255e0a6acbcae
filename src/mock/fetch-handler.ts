import { engineOptions, type MockServerOptions } from './server.js';
import { MockEngine } from './engine.js';
import { resolveMockSpec } from './source.js';
import { rawFromWebRequest } from '../../templates/runtime/server-web.js';
import { toWebResponse } from '../../templates/runtime/server-response.js';

export type MockHandlerOptions = Omit<MockServerOptions, 'port' | 'host' | 'onRequest' | 'maxRecordedRequests'>;

/** Answers a web-standard Request the way `concord mock` would; what MSW handlers and other fetch mocks call. */
export type MockFetchHandler = (request: Request) => Promise<Response>;

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
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => Object.defineProperty(headers, name, { value, enumerable: true, writable: true, configurable: true }));
    const { response, reset } = await engine.handle(rawFromWebRequest(request), headers);
    return reset ? Response.error() : toWebResponse(response, request.method.toUpperCase());
  };
}
