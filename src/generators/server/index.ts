import type { Generator } from '../registry.js';
import { generateServer } from './generate.js';
import { webhookOperations } from './print-webhooks.js';

/**
 * The `server` target: `server.ts` plus the provider runtime. `runtime/server-node.ts` (node:http adapter) and
 * `runtime/postgres.ts` (shared stores, no driver import) ship too, but index.ts does not re-export the node-only
 * adapter, so importing the package entry stays runnable on edge runtimes.
 */
export const serverGenerator: Generator = ({ ir }) => {
  const hasWebhooks = webhookOperations(ir).length > 0;
  return {
    files: [{ path: 'server.ts', content: generateServer(ir) }],
    runtime: ['server-router.ts', 'server-node.ts', 'postgres.ts', 'tracing.ts', ...(hasWebhooks ? ['webhooks.ts'] : [])],
    exports: [
      `export * from './server.js';`,
      `export { traceFetchHandler } from './runtime/tracing.js';`,
      `export { createMemoryIdempotencyStore } from './runtime/idempotency.js';`,
      `export type { IdempotencyStore, StoredResponse } from './runtime/idempotency.js';`,
      `export { createPostgresDeadLetterStore, createPostgresIdempotencyStore } from './runtime/postgres.js';`,
      `export type { PostgresPool, PostgresDeadLetterStore, PostgresIdempotencyStore } from './runtime/postgres.js';`,
      ...(hasWebhooks
        ? [`export { generateWebhookSecret, resolveCallbackUrl, signWebhook, verifyWebhook, WebhookPayloadError } from './runtime/webhooks.js';`]
        : []),
    ],
  };
};
