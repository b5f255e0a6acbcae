import type { Generator } from '../registry.js';
import { generateClient, generateOperations } from './generate.js';
import { usesPagination, usesStreams } from './extras.js';

export const clientGenerator: Generator = ({ ir }) => ({
  files: [
    { path: 'client.ts', content: generateClient(ir) },
    { path: 'operations.ts', content: generateOperations(ir) },
  ],
  runtime: ['http.ts', ...(usesStreams(ir) ? ['stream.ts'] : []), ...(usesPagination(ir) ? ['paginate.ts'] : [])],
  exports: [
    `export * from './client.js';`,
    `export { ApiError, RequestValidationError, ResponseValidationError } from './runtime/errors.js';`,
    `export { createMemoryDeadLetterStore } from './runtime/dead-letter.js';`,
    `export type { DeadLetterRecord, DeadLetterStore } from './runtime/dead-letter.js';`,
    `export { AuthError, CallFailedError, DeadLetteredError } from './runtime/resilience-errors.js';`,
    `export type { MetricsSnapshot, ResilienceEvent } from './runtime/resilience-events.js';`,
    `export { signRequest, verifySignature } from './runtime/hmac.js';`,
  ],
});
