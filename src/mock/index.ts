/** concord's mock server: `import { startMockServer } from 'concord-openapi/mock'`. */
export { startMockServer, type MockServer, type MockServerOptions } from './server.js';
export { MockEngine, type EngineAnswer, type EngineOptions } from './engine.js';
export { createMockHandler, type MockFetchHandler, type MockHandlerOptions } from './fetch-handler.js';
export { parseChaos, type ChaosSpec } from './chaos.js';
export { resolveMockSpec, type MockSpecInput } from './source.js';
export type { MockLogEntry, MockResponse, RecordedRequest } from './types.js';
export { createMemoryIdempotencyStore, handleIdempotency, type IdempotencyStore } from '../../templates/runtime/idempotency.js';
