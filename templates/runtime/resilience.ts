/**
 * The resilient fetch wrapper the generated client core calls: idempotency keys, retries with full-jitter
 * backoff, dead-lettering, correlation and trace headers, auth from the contract, events and metrics.
 * Browser-safe: web standards only. Node users add `dlq-file.ts` and `correlation-node.ts`.
 *
 * Retry rules, in order:
 * - a 401 after an OAuth token was used: drop the token, fetch a new one, re-send once (any mode);
 * - a response: retried when its status is retryable (409 only for keyed calls) or `x-should-retry: true`, and
 *   never when `x-should-retry: false`; for mode `none` only `x-should-retry: true` permits it, since the
 *   request evidently reached the server;
 * - an error: retried when `retryConnectionErrors`; for mode `none` only when the error proves the request was
 *   never sent (connection refused, DNS failure: see `requestNeverSent`). A timeout or a reset may have reached
 *   the server, so it is not retried. `retryUnsafe: true` on a call lifts the mode-`none` restriction.
 *
 * Time limits: `timeoutMs` (config or call) bounds each attempt until response headers arrive, clipped to what
 * is left of `maxElapsedMs`; without it no timer is armed (it costs a measurable share of a local round trip).
 * `maxElapsedMs` always bounds the retry schedule: no retry is scheduled that would start after it.
 */
import { createAuthLayer, type AuthConfig, type SecuritySchemeDescription } from './auth.js';
import {
  readCallInfo,
  runCall,
  type CallInfo,
  type Counters,
  type DeadLetterPolicy,
  type FetchLike,
  type LoopDeps,
  type PreparedRequest,
} from './call-loop.js';
import { DEFAULT_CORRELATION_HEADER, parseTraceparent, type AmbientCorrelationSource } from './correlation.js';
import type { DeadLetterStore } from './dead-letter.js';
import { createRedactor, SecretRegistry } from './redact.js';
import { createClientMetrics, mismatchProblemType, type ClientMetrics } from './client-metrics.js';
import { resolveTracing, startClientSpan, type OtelApi, type TracingOption } from './tracing.js';
import { issuePath, type MetricsSnapshot, type ResilienceEvent, type ValidationIssue } from './resilience-events.js';
import {
  DEFAULT_RETRY_POLICY,
  requestNeverSent,
  resolveRetryPolicy,
  type IdempotencyMode,
  type RetryPolicy,
} from './retry-policy.js';

export type { IdempotencyMode, RetryPolicy, StatusMatcher } from './retry-policy.js';
export type { CallInfo, DeadLetterPolicy, FetchLike, PreparedRequest } from './call-loop.js';
export type { MetricsSnapshot, ResilienceEvent } from './resilience-events.js';

export interface OperationMeta {
  operationId: string;
  method: string;
  path: string;
  idempotency: { mode: IdempotencyMode; header: string; required: boolean };
  security: Array<Array<{ scheme: string; scopes: string[] }>>;
  retry?: Partial<RetryPolicy>;
}

export interface CallOptions {
  /** Stops the call, its retries and waits. A signal set on the Request itself is not followed: pass it here. */
  signal?: AbortSignal;
  /** Per attempt, until response headers arrive. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy> | false;
  /** For keyed operations: a business key; otherwise a UUID v4 is made. Reused on every attempt. */
  idempotencyKey?: string;
  correlationId?: string;
  deadLetter?: DeadLetterPolicy;
  /** Allow retrying a mode-`none` call even when the request may have reached the server. */
  retryUnsafe?: boolean;
}

export type Send = (request: Request | PreparedRequest, meta: OperationMeta, options: CallOptions) => Promise<Response>;

export interface ResilienceConfig {
  /** Defaults to globalThis.fetch, looked up at call time. */
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
  /** Default per-attempt timeout. */
  timeoutMs?: number;
  /** Used when an operation names no header (default `Idempotency-Key`). */
  idempotencyHeader?: string;
  /** Default `X-Correlation-ID`. */
  correlationHeader?: string;
  /** Send W3C `traceparent` (default true). */
  traceparent?: boolean;
  /** Node: `getAmbientCorrelationId` from `correlation-node.ts`. */
  getAmbientCorrelationId?: AmbientCorrelationSource;
  onEvent?: (event: ResilienceEvent) => void;
  deadLetter?: DeadLetterStore;
  /** Default `on-exhaustion`; a call's `deadLetter` option overrides it. */
  deadLetterPolicy?: DeadLetterPolicy;
  auth?: AuthConfig;
  securitySchemes?: readonly SecuritySchemeDescription[];
  /** Refresh OAuth tokens this long before they expire (default 30 s). */
  tokenRefreshSkewMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1), for jitter. */
  random?: () => number;
  /** Extra header and query parameter names to redact. */
  redact?: readonly string[];
  /**
   * OpenTelemetry: a CLIENT span per call (tracing.ts). Default: used when `@opentelemetry/api` is installed; false
   * turns it off; or pass the API object.
   */
  tracing?: TracingOption;
  /** Per-operation Prometheus counters behind `metricsText()` (default true; false saves an event per attempt). */
  metrics?: boolean;
  /** Labels on every sample of `metricsText()`, e.g. `{ api: 'orders' }` as the generated alert rules expect. */
  metricLabels?: Readonly<Record<string, string>>;
  /** Overrides the "request provably never sent" test used for mode-`none` calls. */
  requestNeverSent?: (error: unknown) => boolean;
}

export interface ValidationReport {
  operationId: string;
  /** From `callInfo(response)` for response validation. */
  correlationId?: string;
  direction: 'request' | 'response';
  ok: boolean;
  status?: number;
  /** A zod error's `issues` fit as they are. */
  issues?: ReadonlyArray<{ path: ReadonlyArray<PropertyKey> | string; message: string }>;
}

export interface ResilientSend {
  send: Send;
  metrics(): MetricsSnapshot;
  /** Prometheus / OpenMetrics text: per-operation counters and the dead-letter gauges (client-metrics.ts). */
  metricsText(labels?: Readonly<Record<string, string>>): string;
  /** The client core reports each validation; rejections become `validation-rejected` events and count in metrics. */
  reportValidation(report: ValidationReport): void;
  /** Correlation id, trace id, key and attempts of the call that produced `response`. */
  callInfo(response: Response): CallInfo | undefined;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const MAX_REPORTED_ISSUES = 50;

/** Counts a call's outcome: its final status class, or `error` when it threw. */
async function measureCall(
  collector: ClientMetrics,
  call: () => Promise<Response>,
  meta: OperationMeta,
): Promise<Response> {
  const keyed = meta.idempotency.mode === 'keyed';
  if (keyed) collector.keyed(meta.operationId);
  let response: Response;
  try {
    response = await call();
  } catch (error) {
    collector.callEnded(meta.operationId, null, keyed);
    throw error;
  }
  collector.callEnded(meta.operationId, response, keyed, await mismatchProblemType(response, keyed));
  return response;
}

export function createResilientSend(config: ResilienceConfig = {}): ResilientSend {
  const fetchImpl: FetchLike = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = config.now ?? (() => Date.now());
  const secrets = new SecretRegistry();
  const counters: Counters = {
    requests: 0,
    attempts: 0,
    retries: 0,
    gaveUp: 0,
    deadLettered: 0,
    validations: 0,
    validationRejections: 0,
  };
  const collector = config.metrics === false ? undefined : createClientMetrics(config.deadLetter, now);
  const onEvent: ((event: ResilienceEvent) => void) | undefined =
    collector === undefined
      ? config.onEvent
      : (event) => {
          collector.observe(event);
          config.onEvent?.(event);
        };
  const auth =
    config.auth === undefined && config.securitySchemes === undefined
      ? undefined
      : createAuthLayer({
          schemes: config.securitySchemes ?? [],
          auth: config.auth ?? {},
          fetch: fetchImpl,
          now,
          skewMs: config.tokenRefreshSkewMs ?? 30_000,
          secrets,
          onTokenExpiring: (scheme, expiresInMs, context) => {
            try {
              onEvent?.({
                type: 'token-expiring',
                at: now(),
                correlationId: context.correlationId,
                operationId: context.operationId,
                scheme,
                expiresInMs,
              });
            } catch {
              // Observers never break the caller.
            }
          },
        });
  const redactor = createRedactor({
    headerNames: [...(auth?.headerNames ?? []), ...(config.redact ?? [])],
    queryNames: [...(auth?.queryNames ?? []), ...(config.redact ?? [])],
    secrets,
  });
  const deps: LoopDeps = {
    fetch: fetchImpl,
    now,
    sleep: config.sleep ?? defaultSleep,
    random: config.random ?? Math.random,
    policy: resolveRetryPolicy(DEFAULT_RETRY_POLICY, config.retry),
    timeoutMs: config.timeoutMs,
    correlationHeader: config.correlationHeader ?? DEFAULT_CORRELATION_HEADER,
    idempotencyHeader: config.idempotencyHeader ?? 'Idempotency-Key',
    traceparent: config.traceparent ?? true,
    ambient: config.getAmbientCorrelationId,
    emit: onEvent,
    requestEvents: config.onEvent !== undefined,
    auth,
    redactor,
    store: config.deadLetter,
    deadLetterPolicy: config.deadLetterPolicy ?? 'on-exhaustion',
    neverSent: config.requestNeverSent ?? requestNeverSent,
    counters,
  };

  const measured = (
    callDeps: LoopDeps,
    request: Request | PreparedRequest,
    meta: OperationMeta,
    options: CallOptions,
  ): Promise<Response> =>
    collector === undefined
      ? runCall(callDeps, request, meta, options)
      : measureCall(collector, () => runCall(callDeps, request, meta, options), meta);
  const tracing = config.tracing === false ? undefined : resolveTracing(config.tracing);

  // One span per call: the call gets its own deps, whose emit also feeds the span and whose attempts name the span
  // as their traceparent parent, so the server's span is its child.
  async function traced(
    api: OtelApi,
    request: Request | PreparedRequest,
    meta: OperationMeta,
    options: CallOptions,
  ): Promise<Response> {
    // A traceparent the caller set (forwarding an incoming request) is the span's parent; then the span's own.
    const span = startClientSpan(api, meta.operationId, meta.method, request.url, request.headers.get('traceparent'));
    // No SDK registered, or sampled out: nothing records, so the call runs as without tracing (only a sampled-out
    // span's valid context still travels as traceparent).
    const parsed = parseTraceparent(span.traceparent);
    if (parsed !== undefined) request.headers.set('traceparent', span.traceparent);
    const callDeps: LoopDeps = !span.recording
      ? parsed === undefined
        ? deps
        : { ...deps, parentSpanId: parsed.parentId }
      : {
          ...deps,
          requestEvents: true,
          emit: (event) => {
            span.observe(event);
            deps.emit?.(event);
          },
          ...(parsed === undefined ? {} : { parentSpanId: parsed.parentId }),
        };
    try {
      const response = await measured(callDeps, request, meta, options);
      span.end(response);
      return response;
    } catch (error) {
      span.end(undefined, error);
      throw error;
    }
  }

  return {
    send: async (request, meta, options) => {
      const api = tracing === undefined ? undefined : await tracing;
      return api === undefined ? measured(deps, request, meta, options) : traced(api, request, meta, options);
    },
    metrics() {
      const at = now();
      const oldest = config.deadLetter?.oldest();
      return {
        at,
        ...counters,
        deadLetterDepth: config.deadLetter?.depth() ?? 0,
        oldestParkedAgeMs: oldest === undefined ? null : Math.max(0, at - Date.parse(oldest.createdAt)),
        validationRejectionRate: counters.validations === 0 ? 0 : counters.validationRejections / counters.validations,
      };
    },
    metricsText: (labels) => (collector === undefined ? '' : collector.text({ ...config.metricLabels, ...labels })),
    reportValidation(report) {
      collector?.validation(report.operationId, report.direction, report.ok);
      counters.validations++;
      if (report.ok) return;
      counters.validationRejections++;
      if (onEvent === undefined) return;
      const issues: ValidationIssue[] = (report.issues ?? [])
        .slice(0, MAX_REPORTED_ISSUES)
        .map((issue) => ({ path: redactor.text(issuePath(issue.path)), message: redactor.text(issue.message) }));
      try {
        onEvent({
          type: 'validation-rejected',
          at: now(),
          correlationId: report.correlationId ?? 'unknown',
          operationId: report.operationId,
          direction: report.direction,
          status: report.status ?? null,
          issues,
        });
      } catch {
        // Observers never break the caller.
      }
    },
    callInfo: readCallInfo,
  };
}
