/**
 * The client's Prometheus metrics, per operation id (never URLs or ids, so cardinality stays at the contract's
 * size): fed by the resilient send's events, call outcomes and validation reports, rendered by `metricsText()`.
 */
import type { DeadLetterStore } from './dead-letter.js';
import { createLabelledCounter, renderMetrics, type LabelledCounter, type MetricFamily } from './metrics-text.js';
import type { MetricsPlugin } from './plugins.js';
import type { ResilienceEvent } from './resilience-events.js';

export type ValidationSide = 'request' | 'response';

export interface ClientMetrics {
  observe(event: ResilienceEvent): void;
  /** The operation sends idempotency keys: its 409 answers are key conflicts. */
  keyed(operationId: string): void;
  /** A logical call ended with this response (after retries), or threw (`null`); `problemType` of a 422 problem. */
  callEnded(operationId: string, response: Response | null, keyed: boolean, problemType?: string): void;
  validation(operationId: string, side: ValidationSide, ok: boolean): void;
  /** Prometheus text; `labels` (e.g. `{ api: 'orders' }`, matching the generated alert rules) go on every sample. */
  text(labels?: Readonly<Record<string, string>>): string;
  counter(name: ClientCounterName): LabelledCounter;
}

const COUNTERS = {
  concord_client_requests_total: 'Calls by operation and final status class (2xx..5xx, or error when none came).',
  concord_client_attempts_total: 'HTTP attempts sent, including retries and auth re-sends.',
  concord_client_retries_total: 'Retries scheduled after a failed attempt.',
  concord_client_gave_up_total:
    'Calls that gave up after exhausting attempts, the deadline, or on a non-retryable failure.',
  concord_client_dead_lettered_total: 'Calls parked in the dead-letter store.',
  concord_client_validations_total: 'Request and response validations, by side.',
  concord_client_validation_rejections_total: 'Requests or responses rejected by the contract validators, by side.',
  concord_client_idempotency_replays_total: 'Responses the server replayed for a reused idempotency key.',
  concord_client_idempotency_conflicts_total: 'Attempts answered 409: the same idempotency key was still in flight.',
  concord_client_idempotency_mismatches_total: 'Answers 422: the idempotency key was reused with a different request.',
  concord_client_auth_refreshes_total: 'Credential refreshes: tokens renewed before expiry or after a 401.',
} as const;
export type ClientCounterName = keyof typeof COUNTERS;

const IDEMPOTENCY_REUSED = 'urn:concord:problem:idempotency-key-reused';

/** The `type` of a 422 problem answer to a keyed call (the only place an idempotency mismatch shows). */
export async function mismatchProblemType(response: Response, keyed: boolean): Promise<string | undefined> {
  if (!keyed || response.status !== 422 || !(response.headers.get('content-type') ?? '').includes('problem+json'))
    return undefined;
  try {
    const body: unknown = await response.clone().json();
    const type: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'type') : undefined;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

export function createClientMetrics(store?: DeadLetterStore, now: () => number = Date.now): ClientMetrics {
  const counters = new Map<ClientCounterName, LabelledCounter>();
  for (const name of Object.keys(COUNTERS) as ClientCounterName[]) counters.set(name, createLabelledCounter());
  const counter = (name: ClientCounterName): LabelledCounter => counters.get(name) ?? createLabelledCounter();
  const inc = (name: ClientCounterName, operation: string, extra: Record<string, string> = {}): void =>
    counter(name).inc({ operation, ...extra });

  // Operations whose attempts carried an idempotency key: their 409s are key conflicts, counted per attempt
  // (the client retries them, so the call's final answer is usually not the 409).
  const keyedOperations = new Set<string>();

  return {
    counter,
    observe(event) {
      const operation = event.operationId;
      // Every attempt ends in a response or a failure; `request` events are not needed (nor built) for metrics.
      if (event.type === 'response') {
        inc('concord_client_attempts_total', operation);
        if (event.status === 409 && keyedOperations.has(operation))
          inc('concord_client_idempotency_conflicts_total', operation);
      } else if (event.type === 'attempt-failed') inc('concord_client_attempts_total', operation);
      else if (event.type === 'retry-scheduled') {
        inc('concord_client_retries_total', operation);
        if (event.delaySource === 'auth-refresh') inc('concord_client_auth_refreshes_total', operation);
      } else if (event.type === 'gave-up') inc('concord_client_gave_up_total', operation);
      else if (event.type === 'dead-lettered') inc('concord_client_dead_lettered_total', operation);
      else if (event.type === 'token-expiring') inc('concord_client_auth_refreshes_total', operation);
    },
    keyed(operation) {
      keyedOperations.add(operation);
    },
    callEnded(operation, response, keyed, problemType) {
      inc('concord_client_requests_total', operation, {
        status_class: response === null ? 'error' : statusClass(response.status),
      });
      if (response === null || !keyed) return;
      if (response.headers.get('idempotency-replayed') === 'true')
        inc('concord_client_idempotency_replays_total', operation);
      else if (response.status === 422 && problemType === IDEMPOTENCY_REUSED)
        inc('concord_client_idempotency_mismatches_total', operation);
    },
    validation(operation, side, ok) {
      inc('concord_client_validations_total', operation, { side });
      if (!ok) inc('concord_client_validation_rejections_total', operation, { side });
    },
    text(labels = {}) {
      const families: MetricFamily[] = [...counters].map(([name, c]) => ({
        name,
        help: COUNTERS[name],
        type: 'counter',
        samples: c.samples(labels),
      }));
      if (store !== undefined) families.push(...deadLetterGauges(store, now(), labels));
      return renderMetrics(families);
    },
  };
}

/** Depth and oldest age of a store, as the client's process sees it (a shared store: its refreshed snapshot). */
export function deadLetterGauges(
  store: Pick<DeadLetterStore, 'depth' | 'oldest'>,
  nowMs: number,
  labels: Readonly<Record<string, string>> = {},
): MetricFamily[] {
  const oldest = store.oldest();
  const age = oldest === undefined ? 0 : Math.max(0, (nowMs - Date.parse(oldest.createdAt)) / 1000);
  return [
    {
      name: 'concord_dlq_depth',
      help: 'Requests parked in the dead-letter store.',
      type: 'gauge',
      samples: [{ labels, value: store.depth() }],
    },
    {
      name: 'concord_dlq_oldest_age_seconds',
      help: 'Age of the oldest parked request, in seconds (0 when none is parked).',
      type: 'gauge',
      samples: [{ labels, value: age }],
    },
  ];
}

/** The metrics plug-in behind a client's `metricsText()`. */
export function prometheusMetrics(store: DeadLetterStore | undefined, now: () => number): MetricsPlugin {
  const metrics = createClientMetrics(store, now);
  return {
    observe: (event) => metrics.observe(event),
    validation: (operationId, side, ok) => metrics.validation(operationId, side, ok),
    text: (labels) => metrics.text(labels),
    callStarted: (operationId, keyed) => {
      if (keyed) metrics.keyed(operationId);
    },
    async callEnded(operationId, keyed, response) {
      const problemType = response === null ? undefined : await mismatchProblemType(response, keyed);
      metrics.callEnded(operationId, response, keyed, problemType);
    },
  };
}
