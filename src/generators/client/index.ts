import type { Generator } from '../registry.js';
import { generateClient, generateClientModules, generateOperations } from './generate.js';
import { modulePlan } from '../split/plan.js';
import { usesPagination, usesStreams } from './extras.js';

export const clientGenerator: Generator = ({ ir, options }) => ({
  files: split(ir, options?.splitThreshold),
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

function split(ir: Parameters<Generator>[0]['ir'], threshold: number | undefined): Array<{ path: string; content: string }> {
  const plan = modulePlan(ir, threshold);
  if (plan) return generateClientModules(ir, plan);
  return [
    { path: 'client.ts', content: generateClient(ir) },
    { path: 'operations.ts', content: generateOperations(ir) },
  ];
}
