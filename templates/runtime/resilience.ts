/**
 * The resilient fetch wrapper the generated client core calls: idempotency keys, retries with full-jitter
 * backoff, dead-lettering, correlation and trace headers, auth from the contract, events and metrics.
 * Browser-safe: web standards only. The `node` target adds a file dead-letter store and an ambient correlation id.
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
import {
  readCallInfo,
  runCall,
  type CallInfo,
  type CallOptions,
  type Counters,
  type DeadLetterPolicy,
  type FetchLike,
  type LoopDeps,
  type PreparedRequest,
} from './call-loop.js';
import { DEFAULT_CORRELATION_HEADER, type AmbientCorrelationSource } from './correlation.js';
import type { DeadLetterStore } from './dead-letter.js';
import type { AuthLayer, ClientPlugins, MetricsPlugin, SecurityRequirement, TracingPlugin } from './plugins.js';
import { createRedactor, SecretRegistry } from './redact.js';
import { AuthError } from './resilience-errors.js';
import { issuePath, type MetricsSnapshot, type ResilienceEvent, type ValidationIssue } from './resilience-events.js';
import {
  DEFAULT_RETRY_POLICY,
  requestNeverSent,
  resolveRetryPolicy,
  type IdempotencyMode,
  type RetryPolicy,
} from './retry-policy.js';

export type { IdempotencyMode, RetryPolicy, StatusMatcher } from './retry-policy.js';
export type { CallInfo, CallOptions, DeadLetterPolicy, FetchLike, PreparedRequest } from './call-loop.js';
export type { MetricsSnapshot, ResilienceEvent } from './resilience-events.js';

export interface OperationMeta {
  operationId: string;
  method: string;
  path: string;
  idempotency: { mode: IdempotencyMode; header: string; required: boolean };
  security: readonly SecurityRequirement[];
  retry?: Partial<RetryPolicy>;
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
  /** Node: `getAmbientCorrelationId` from the `node` target. */
  getAmbientCorrelationId?: AmbientCorrelationSource;
  onEvent?: (event: ResilienceEvent) => void;
  deadLetter?: DeadLetterStore;
  /** Default `on-exhaustion`; a call's `deadLetter` option overrides it. */
  deadLetterPolicy?: DeadLetterPolicy;
  /** Credentials keyed by the contract's security scheme names; applied by the `auth` plug-in. */
  auth?: Readonly<Record<string, unknown>>;
  /** The features the contract uses (the generated client passes them). */
  plugins?: ClientPlugins;
  /** Refresh OAuth tokens this long before they expire (default 30 s). */
  tokenRefreshSkewMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1), for jitter. */
  random?: () => number;
  /** Extra header and query parameter names to redact. */
  redact?: readonly string[];
  /**
   * OpenTelemetry, when the client carries the tracing plug-in: a CLIENT span per call. Default: used when
   * `@opentelemetry/api` is installed; false turns it off; or pass the API object.
   */
  tracing?: boolean | object;
  /** Per-operation Prometheus counters behind `metricsText()`, when the client carries the metrics plug-in (default true). */
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
  issues?: ReadonlyArray<{
    path: ReadonlyArray<PropertyKey> | string;
    message: string;
  }>;
}

export interface ResilientSend {
  send: Send;
  metrics(): MetricsSnapshot;
  /** Prometheus / OpenMetrics text: per-operation counters and the dead-letter gauges (metrics plug-in; else empty). */
  metricsText(labels?: Readonly<Record<string, string>>): string;
  /** The client core reports each validation; rejections become `validation-rejected` events and count in metrics. */
  reportValidation(report: ValidationReport): void;
  /** Correlation id, trace id, key and attempts of the call that produced `response`. */
  callInfo(response: Response): CallInfo | undefined;
  /** True when the credentials for `security` sign the body (HMAC), which must then be buffered. */
  signsBody(security: readonly SecurityRequirement[]): boolean;
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

/** An event sink that never lets an observer's exception change the outcome of a call. */
function safeEmit(
  sink: ((event: ResilienceEvent) => void) | undefined,
): ((event: ResilienceEvent) => void) | undefined {
  if (sink === undefined) return undefined;
  return (event) => {
    try {
      sink(event);
    } catch {
      // Observers never break the caller.
    }
  };
}

function createAuth(
  config: ResilienceConfig,
  fetchImpl: FetchLike,
  now: () => number,
  secrets: SecretRegistry,
  emit: ((event: ResilienceEvent) => void) | undefined,
): AuthLayer | undefined {
  const plugin = config.plugins?.auth;
  if (plugin === undefined) {
    const [key] = Object.keys(config.auth ?? {});
    if (key !== undefined)
      throw new AuthError(
        key,
        'credentials were given for a scheme the contract does not declare; its schemes are (none)',
      );
    return undefined;
  }
  return plugin(config.auth ?? {}, {
    fetch: fetchImpl,
    now,
    skewMs: config.tokenRefreshSkewMs ?? 30_000,
    secrets,
    onTokenExpiring: (scheme, expiresInMs, context) =>
      emit?.({
        type: 'token-expiring',
        at: now(),
        correlationId: context.correlationId,
        operationId: context.operationId,
        scheme,
        expiresInMs,
      }),
  });
}

function newCounters(): Counters {
  return {
    requests: 0,
    attempts: 0,
    retries: 0,
    gaveUp: 0,
    deadLettered: 0,
    validations: 0,
    validationRejections: 0,
  };
}

export function createResilientSend(config: ResilienceConfig = {}): ResilientSend {
  const fetchImpl: FetchLike = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = config.now ?? (() => Date.now());
  const secrets = new SecretRegistry();
  const counters = newCounters();
  const plugins = config.plugins ?? {};
  const metrics = config.metrics === false ? undefined : plugins.metrics?.(config.deadLetter, now);
  const tracing = plugins.tracing?.(config.tracing);
  const onEvent = safeEmit(
    metrics === undefined
      ? config.onEvent
      : (event) => {
          metrics.observe(event);
          config.onEvent?.(event);
        },
  );
  const auth = createAuth(config, fetchImpl, now, secrets, onEvent);
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
    files: plugins.files,
    redactor,
    store: config.deadLetter,
    deadLetterPolicy: config.deadLetterPolicy ?? 'on-exhaustion',
    neverSent: config.requestNeverSent ?? requestNeverSent,
    counters,
  };
  const send: Send =
    metrics === undefined && tracing === undefined
      ? (request, meta, options) => runCall(deps, request, meta, options)
      : (request, meta, options) => observedCall(deps, { metrics, tracing }, request, meta, options);

  return {
    send,
    metrics: () => snapshot(counters, config.deadLetter, now()),
    metricsText: (labels) => metrics?.text({ ...config.metricLabels, ...labels }) ?? '',
    reportValidation(report) {
      metrics?.validation(report.operationId, report.direction, report.ok);
      counters.validations++;
      if (report.ok) return;
      counters.validationRejections++;
      if (onEvent === undefined) return;
      const issues: ValidationIssue[] = (report.issues ?? []).slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
        path: redactor.text(issuePath(issue.path)),
        message: redactor.text(issue.message),
      }));
      onEvent({
        type: 'validation-rejected',
        at: now(),
        correlationId: report.correlationId ?? 'unknown',
        operationId: report.operationId,
        direction: report.direction,
        status: report.status ?? null,
        issues,
      });
    },
    callInfo: readCallInfo,
    signsBody: (security) => auth?.signsBody(security) === true,
  };
}

/**
 * A call seen by the metrics and tracing plug-ins: metrics count its outcome; a recording span gets its own deps,
 * whose events also feed the span and whose attempts name the span as their traceparent parent.
 */
async function observedCall(
  deps: LoopDeps,
  observers: {
    metrics: MetricsPlugin | undefined;
    tracing: TracingPlugin | undefined;
  },
  request: Request | PreparedRequest,
  meta: OperationMeta,
  options: CallOptions,
): Promise<Response> {
  const { metrics, tracing } = observers;
  const keyed = meta.idempotency.mode === 'keyed';
  metrics?.callStarted(meta.operationId, keyed);
  const scope = await tracing?.start({
    operationId: meta.operationId,
    method: meta.method,
    url: request.url,
    headers: request.headers,
  });
  const callDeps: LoopDeps =
    scope === undefined
      ? deps
      : {
          ...deps,
          requestEvents: true,
          emit: (event) => {
            scope.observe(event);
            deps.emit?.(event);
          },
          ...(scope.parentSpanId === undefined ? {} : { parentSpanId: scope.parentSpanId }),
        };
  let response: Response;
  try {
    response = await runCall(callDeps, request, meta, options);
  } catch (error) {
    await metrics?.callEnded(meta.operationId, keyed, null);
    scope?.end(undefined, error);
    throw error;
  }
  await metrics?.callEnded(meta.operationId, keyed, response);
  scope?.end(response);
  return response;
}

function snapshot(counters: Counters, store: DeadLetterStore | undefined, at: number): MetricsSnapshot {
  const oldest = store?.oldest();
  return {
    at,
    ...counters,
    deadLetterDepth: store?.depth() ?? 0,
    oldestParkedAgeMs: oldest === undefined ? null : Math.max(0, at - Date.parse(oldest.createdAt)),
    validationRejectionRate: counters.validations === 0 ? 0 : counters.validationRejections / counters.validations,
  };
}
