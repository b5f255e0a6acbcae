import type { Generator } from '../registry.js';

/**
 * The `node` target: Node-only additions to the client (they import node:fs / node:async_hooks, so they need
 * @types/node to type-check): the durable file dead-letter store, the AsyncLocalStorage correlation context, a
 * node:http fetch for large streamed uploads, and the optional prom-client bridge.
 * The default client stays browser- and edge-safe without them.
 */
export const nodeGenerator: Generator = () => ({
  files: [
    {
      path: 'node.ts',
      content: [
        `export { createFileDeadLetterStore } from './runtime/dlq-file.js';`,
        `export type { FileDeadLetterStore, FileStoreOptions } from './runtime/dlq-file.js';`,
        `export { getAmbientCorrelationId, withCorrelationId } from './runtime/correlation-node.js';`,
        `export { createNodeFetch } from './runtime/node-fetch.js';`,
        `export { registerWithPromClient } from './runtime/prom-client-bridge.js';`,
        `export type { PromClientRegistry } from './runtime/prom-client-bridge.js';`,
        '',
      ].join('\n'),
    },
  ],
  runtime: ['dlq-file.ts', 'correlation-node.ts', 'node-fetch.ts', 'prom-client-bridge.ts'],
  exports: [],
});
