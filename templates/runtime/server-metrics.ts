/**
 * The provider router's Prometheus metrics, per operation id (`(unmatched)` for requests no operation matches),
 * fed by the router's events and answers, rendered by `router.metricsText()`.
 */
import { createLabelledCounter, renderMetrics, type LabelledCounter, type MetricFamily } from './metrics-text.js';
import type { ServerEvent } from './server-types.js';

export interface ServerMetrics {
  observe(event: ServerEvent): void;
  /** A request matched an operation and reached the contract validators. */
  matched(operationId: string): void;
  responded(operationId: string, status: number): void;
  text(labels?: Readonly<Record<string, string>>): string;
}

export const UNMATCHED_OPERATION = '(unmatched)';

const COUNTERS = {
  requests_total: 'Requests answered, by operation and status class.',
  validations_total: 'Requests that reached the contract validators.',
  validation_rejections_total: 'Requests (side="request") or handler answers (side="response") the contract rejected.',
  handler_errors_total: 'Handlers that threw.',
  idempotency_replays_total: 'Stored answers replayed for a reused idempotency key.',
  idempotency_conflicts_total: 'Requests answered 409: their idempotency key was still in flight.',
  idempotency_mismatches_total: 'Requests answered 422: their idempotency key was used with a different request.',
} as const;
type CounterName = keyof typeof COUNTERS;

export function createServerMetrics(prefix = 'concord_server_'): ServerMetrics {
  const counters = new Map<CounterName, LabelledCounter>();
  for (const name of Object.keys(COUNTERS) as CounterName[]) counters.set(name, createLabelledCounter());
  const inc = (name: CounterName, operation: string, extra: Record<string, string> = {}): void =>
    counters.get(name)?.inc({ operation, ...extra });
  return {
    observe(event) {
      const operation = event.operationId ?? UNMATCHED_OPERATION;
      if (
        event.type === 'request-rejected' &&
        event.operationId !== null &&
        (event.status === 400 || event.status === 422)
      )
        inc('validation_rejections_total', operation, { side: 'request' });
      else if (event.type === 'response-invalid') inc('validation_rejections_total', operation, { side: 'response' });
      else if (event.type === 'handler-error') inc('handler_errors_total', operation);
      else if (event.type === 'idempotent-replay') inc('idempotency_replays_total', operation);
      else if (event.type === 'idempotency-rejected' && event.status === 409)
        inc('idempotency_conflicts_total', operation);
      else if (event.type === 'idempotency-rejected' && event.status === 422)
        inc('idempotency_mismatches_total', operation);
    },
    matched: (operation) => inc('validations_total', operation),
    responded(operation, status) {
      inc('requests_total', operation, {
        status_class: status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other',
      });
    },
    text(labels = {}) {
      const families: MetricFamily[] = [...counters].map(([name, counter]) => ({
        name: `${prefix}${name}`,
        help: COUNTERS[name],
        type: 'counter',
        samples: counter.samples(labels),
      }));
      return renderMetrics(families);
    },
  };
}
