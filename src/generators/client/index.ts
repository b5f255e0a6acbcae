import type { Generator } from '../registry.js';
import { generateClient, generateClientModules, generateOperations } from './generate.js';
import { modulePlan } from '../split/plan.js';
import { clientFeatures } from './extras.js';

/** The runtime follows client.ts's imports: only the plug-ins the contract needs are copied. */
export const clientGenerator: Generator = ({ ir, targets, options }) => {
  const features = clientFeatures(ir, targets);
  const runtime = [
    'http.ts',
    ...(features.auth ? ['auth.ts'] : []),
    ...(features.oauth2 ? ['oauth2.ts'] : []),
    ...(features.hmac ? ['auth-hmac.ts'] : []),
    ...(features.files ? ['body-stream.ts'] : []),
    ...(features.streams ? ['stream.ts'] : []),
    ...(features.pagination ? ['paginate.ts'] : []),
    ...(features.observability ? ['client-metrics.ts', 'client-tracing.ts'] : []),
  ];
  return {
    files: split(ir, targets, options?.splitThreshold),
    runtime,
    exports: [
    `export * from './client.js';`,
    `export { ApiError, RequestValidationError, ResponseValidationError } from './runtime/errors.js';`,
    `export { createMemoryDeadLetterStore } from './runtime/dead-letter.js';`,
    `export type { DeadLetterRecord, DeadLetterStore } from './runtime/dead-letter.js';`,
    `export { AuthError, CallFailedError, DeadLetteredError } from './runtime/resilience-errors.js';`,
    `export type { MetricsSnapshot, ResilienceEvent } from './runtime/resilience-events.js';`,
      ...(features.hmac ? [`export { signRequest, verifySignature } from './runtime/hmac.js';`] : []),
    ],
  };
};

function split(ir: Parameters<Generator>[0]['ir'], targets: ReadonlySet<string>, threshold: number | undefined): Array<{ path: string; content: string }> {
  const plan = modulePlan(ir, threshold);
  if (plan) return generateClientModules(ir, plan, targets);
  return [
    { path: 'client.ts', content: generateClient(ir, targets) },
    { path: 'operations.ts', content: generateOperations(ir) },
  ];
}
