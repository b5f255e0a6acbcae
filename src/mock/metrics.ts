/**
 * The mock's Prometheus counters: the provider router's families under `concord_mock_`, read from each answer
 * (the mock engine does not emit events), so a consumer's test run can be scraped like a provider.
 */
import { PROBLEM_TYPES } from '../../templates/runtime/problem.js';
import { createServerMetrics, UNMATCHED_OPERATION, type ServerMetrics } from '../../templates/runtime/server-metrics.js';
import type { MockResponse, RecordedRequest } from './types.js';

export function createMockMetrics(): ServerMetrics {
  return createServerMetrics('concord_mock_');
}

const problemType = (response: MockResponse): string | undefined => {
  if (!(response.headers['content-type'] ?? '').includes('problem+json')) return undefined;
  const body = typeof response.body === 'string' ? response.body : new TextDecoder().decode(response.body);
  return /"type"\s*:\s*"([^"]+)"/.exec(body)?.[1];
};

export function countMockAnswer(metrics: ServerMetrics, record: RecordedRequest | undefined, response: MockResponse): void {
  const operationId = record?.operationId;
  if (operationId === undefined) {
    metrics.responded(UNMATCHED_OPERATION, response.status);
    return;
  }
  metrics.matched(operationId);
  metrics.responded(operationId, response.status);
  const correlationId = record?.correlationId ?? '';
  if (record?.replayed === true) return metrics.observe({ type: 'idempotent-replay', operationId, correlationId, key: '' });
  const type = problemType(response);
  if (type === PROBLEM_TYPES.validation || type === PROBLEM_TYPES.malformed)
    metrics.observe({ type: 'request-rejected', operationId, correlationId, status: 422, issues: [] });
  else if (type === PROBLEM_TYPES.idempotencyInFlight || type === PROBLEM_TYPES.idempotencyKeyReused)
    metrics.observe({ type: 'idempotency-rejected', operationId, correlationId, key: null, status: type === PROBLEM_TYPES.idempotencyInFlight ? 409 : 422 });
}
