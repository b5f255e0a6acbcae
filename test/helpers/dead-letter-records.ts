import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';

/** A POST /orders parked after its retries, `minutesAgo` old, as the dlq CLI tests and the console test park them. */
export function parkedOrder(options: { id: string; target: string; operationId: string; minutesAgo: number; attempts: number; sku: string }): DeadLetterRecord {
  const { id, target, operationId, minutesAgo, attempts, sku } = options;
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  return {
    id,
    createdAt: at,
    operationId,
    method: 'POST',
    url: `${target}/orders`,
    headers: { 'content-type': 'application/json', 'idempotency-key': `key-${id}`, authorization: '[REDACTED]' },
    redacted: { headers: ['authorization'], query: [] },
    body: { encoding: 'utf8', data: JSON.stringify({ sku, quantity: 1 }) },
    idempotencyKey: `key-${id}`,
    correlationId: `corr-${id}`,
    attempts,
    lastStatus: 503,
    lastError: null,
    reason: 'attempts',
    firstAttemptAt: at,
    lastAttemptAt: at,
  };
}
