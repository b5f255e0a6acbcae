/**
 * The provider router the generated `server.ts` builds: the request pipeline (server-pipeline.ts: route, security,
 * parameters, body, idempotency, problem+json 400/401/403/413/415/422 naming the failing pointer) with the user's
 * handlers as its answer step, each answer checked against the contract (on by default outside production). Web
 * standards only: `(Request) => Promise<Response>` runs on Node (through `serveNode`), Bun, Deno, Hono and edge
 * runtimes.
 */
import { DEFAULT_CORRELATION_HEADER } from './correlation.js';
import { createMemoryIdempotencyStore, REPLAYED_HEADER, type IdempotencyStore } from './idempotency.js';
import { resolveLimits, type ParseLimits } from './parse-limits.js';
import { problem } from './problem.js';
import { createCorsPolicy, type CorsOptions } from './server-cors.js';
import { internalErrorProblem } from './server-failure.js';
import { invoke, type InvokeSettings } from './server-invoke.js';
import { createServerMetrics } from './server-metrics.js';
import { createPipeline, type PipelinePlug, type PipelineSettings } from './server-pipeline.js';
import { problemRaw, toWebResponse } from './server-response.js';
import { unverifiedSchemes, type SecurityVerifiers, type ServerSecurityScheme } from './server-security.js';
import type { AnyHandler, RawRequest, RawResponse, RouteSpec, ServerEvent } from './server-types.js';
import { rawFromWebRequest } from './server-web.js';
import type { FormatPolicy } from './zod-helpers.js';

export interface RouterLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface RouterOptions {
  /** Mount point, e.g. `/v1` when the contract's server URL has a path. Default: none. */
  basePath?: string;
  /** Check every answer against the contract. Default: on unless NODE_ENV is `production`. */
  validateResponses?: boolean;
  /** Default `X-Correlation-ID`. */
  correlationHeader?: string;
  /** Idempotency-Key handling for keyed operations; the default store is in memory (one process). */
  idempotency?: { store?: IdempotencyStore; ttlMs?: number; maxKeyLength?: number };
  /** Largest request body read (default 1 MiB); larger ones get 413. Same as `limits.maxBodyBytes`. */
  maxBodyBytes?: number;
  /** Parse limits checked before any handler: body bytes (413), JSON depth, string and array length, properties (422). */
  limits?: ParseLimits;
  /**
   * Verifiers for the contract's security schemes, by scheme name or kind (`bearer`, `basic`, `apiKey`): each
   * returns the principal for a valid credential, or undefined. Without one only presence is checked (and the
   * router warns at startup).
   */
  security?: SecurityVerifiers;
  /** `realm` in `WWW-Authenticate` challenges (default `api`). */
  realm?: string;
  /** CORS; off unless given. */
  cors?: CorsOptions;
  onEvent?: (event: ServerEvent) => void;
  /** Startup warnings, and failures when no `onEvent` observes them. Default: console. */
  logger?: RouterLogger;
  /** Runs each handler with the request's correlation id as ambient context (Node: `withCorrelationId`). */
  runWithCorrelationId?: <T>(id: string, fn: () => T) => T;
  /** Put internal error text (handler errors, contract breaches) into 500 problem details. Default false. */
  exposeErrors?: boolean;
  /** Per-operation counters behind `metricsText()` (server-metrics.ts). Default true. */
  metrics?: boolean;
  /**
   * Where `format` (date-time, uri, ...) is checked: `outgoing` (default) on answers sent, not on requests
   * received (a format mismatch in a request is not a reason to refuse it); `strict` both; `off` neither.
   */
  formats?: FormatPolicy;
}

export interface Router {
  (request: Request): Promise<Response>;
  /**
   * The same without web Request/Response objects, what the node:http adapter calls. Synchronous (no promise at
   * all) when the operation needs no body and its handler answers synchronously.
   */
  dispatch(raw: RawRequest): RawResponse | Promise<RawResponse>;
  readonly routes: readonly RouteSpec[];
  /** Prometheus text of the router's counters ('' with `metrics: false`); labels go on every sample. */
  metricsText(labels?: Readonly<Record<string, string>>): string;
}

const EXPOSED = [REPLAYED_HEADER, 'Retry-After', 'Location', 'WWW-Authenticate'];

function isDevelopment(): boolean {
  const proc: unknown = Reflect.get(globalThis, 'process');
  const env: unknown = typeof proc === 'object' && proc !== null ? Reflect.get(proc, 'env') : undefined;
  return typeof env !== 'object' || env === null || Reflect.get(env, 'NODE_ENV') !== 'production';
}

function consoleLogger(): RouterLogger {
  return { warn: (message) => console.warn(message), error: (message) => console.error(message) };
}

function warnUnverified(
  routes: readonly RouteSpec[],
  schemes: ReadonlyMap<string, ServerSecurityScheme>,
  verifiers: SecurityVerifiers | undefined,
  logger: RouterLogger,
): void {
  const used = routes.flatMap((r) => (r.security ?? []).flatMap((alt) => alt.map((e) => e.scheme)));
  const missing = unverifiedSchemes(used, schemes, verifiers);
  if (missing.length === 0) return;
  logger.warn(
    `concord router: no verifier for security scheme(s) ${missing.join(', ')}: only the presence of credentials is ` +
      `checked, any value is accepted. Pass createRouter(handlers, { security: { ${missing[0]}: (credential, ctx) => principal | undefined } }).`,
  );
}

/** What a failure nobody observes becomes: one log line with the correlation id, never silence. */
function defaultEmit(logger: RouterLogger): (event: ServerEvent) => void {
  return (event) => {
    if (event.type === 'handler-error' || event.type === 'idempotency-failure') {
      const error = 'error' in event && event.error instanceof Error ? (event.error.stack ?? event.error.message) : '';
      logger.error(
        `concord router: ${event.type} in ${event.operationId} (correlation id ${event.correlationId}) ${error}`,
      );
    } else if (event.type === 'response-invalid') {
      logger.error(
        `concord router: ${event.operationId} answered ${event.status} outside the contract (correlation id ${event.correlationId})`,
      );
    }
  };
}

/** Observers never break a request; metrics see every event. */
function emitter(
  options: RouterOptions,
  logger: RouterLogger,
  metrics: PipelineSettings['metrics'],
): (event: ServerEvent) => void {
  const observer = options.onEvent ?? defaultEmit(logger);
  return (event) => {
    metrics?.observe(event);
    try {
      observer(event);
    } catch {
      // Observers never break a request.
    }
  };
}

/** The pipeline's settings from the router's options. */
function pipelineSettings(
  options: RouterOptions,
  securitySchemes: readonly ServerSecurityScheme[],
  logger: RouterLogger,
): PipelineSettings & { exposeErrors: boolean } {
  const correlationHeader = options.correlationHeader ?? DEFAULT_CORRELATION_HEADER;
  const metrics = options.metrics === false ? undefined : createServerMetrics();
  const emit = emitter(options, logger, metrics);
  const exposeErrors = options.exposeErrors ?? false;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  let store = options.idempotency?.store;
  return {
    basePaths: [basePath],
    validateRequests: true,
    correlationHeader,
    limits: resolveLimits({
      ...options.limits,
      maxBodyBytes: options.limits?.maxBodyBytes ?? options.maxBodyBytes ?? 1024 * 1024,
    }),
    formats: options.formats ?? 'outgoing',
    cors: options.cors === undefined ? undefined : createCorsPolicy(options.cors, [correlationHeader, ...EXPOSED]),
    schemes: new Map(securitySchemes.map((scheme) => [scheme.key, scheme])),
    verifiers: options.security,
    realm: options.realm ?? 'api',
    emit,
    metrics,
    idempotency: {
      store: () => (store ??= createMemoryIdempotencyStore()),
      ttlMs: options.idempotency?.ttlMs,
      maxKeyLength: options.idempotency?.maxKeyLength,
    },
    exposeErrors,
    internalError: (error, operationId, correlationId, instance) => {
      emit({ type: 'handler-error', operationId, correlationId, error });
      return problemRaw(internalErrorProblem(error, exposeErrors, instance, correlationId));
    },
  };
}

/** The user's handlers as the pipeline's answer step; an operation without one answers 501 once checked. */
function handlerPlug(handlers: Readonly<Record<string, AnyHandler>>, settings: InvokeSettings): PipelinePlug {
  const handlerOf = (spec: RouteSpec): AnyHandler | undefined =>
    Object.prototype.hasOwnProperty.call(handlers, spec.name) ? handlers[spec.name] : undefined;
  const notImplemented = (spec: RouteSpec, instance: string): RawResponse =>
    problemRaw(problem(501, { title: 'Not Implemented', detail: `No handler for ${spec.id}`, instance }));
  return {
    intercept: (call) => (handlerOf(call.spec) === undefined ? notImplemented(call.spec, call.instance) : undefined),
    answer: (call) => {
      const handler = handlerOf(call.spec);
      if (handler === undefined) return { response: notImplemented(call.spec, call.instance), failed: true };
      return invoke(settings, handler, call);
    },
  };
}

export function createRouterCore(
  routes: readonly RouteSpec[],
  handlers: Readonly<Record<string, AnyHandler>>,
  options: RouterOptions = {},
  securitySchemes: readonly ServerSecurityScheme[] = [],
): Router {
  const logger = options.logger ?? consoleLogger();
  const settings = pipelineSettings(options, securitySchemes, logger);
  warnUnverified(routes, settings.schemes, options.security, logger);
  const invokeSettings: InvokeSettings = {
    validate: options.validateResponses ?? isDevelopment(),
    formats: settings.formats,
    exposeErrors: settings.exposeErrors,
    emit: settings.emit,
    runWithCorrelationId: options.runWithCorrelationId,
  };
  const dispatch = createPipeline(routes, settings, handlerPlug(handlers, invokeSettings));
  const router = async (request: Request): Promise<Response> =>
    toWebResponse(await dispatch(rawFromWebRequest(request)), request.method);
  const metricsText = (labels?: Readonly<Record<string, string>>): string => settings.metrics?.text(labels) ?? '';
  return Object.assign(router, { dispatch, routes, metricsText });
}
