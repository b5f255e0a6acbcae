/**
 * The provider router the generated `server.ts` builds: match the path template, enforce the operation's security,
 * parse and validate parameters and body against the contract's zod validators within the parse limits
 * (problem+json 400/401/403/413/415/422 naming the failing pointer), run the typed handler, check its answer
 * against the contract (on by default outside production), echo the correlation id, and apply Idempotency-Key
 * semantics to keyed operations exactly once. Web standards only: `(Request) => Promise<Response>` runs on Node
 * (through `serveNode`), Bun, Deno, Hono and edge runtimes.
 */
import { newCorrelationId, DEFAULT_CORRELATION_HEADER } from './correlation.js';
import { createMemoryIdempotencyStore, REPLAYED_HEADER, type IdempotencyStore } from './idempotency.js';
import { resolveLimits, type ParseLimits } from './parse-limits.js';
import { issuesToProblemIssues, problem, PROBLEM_TYPES, validationProblem, type ProblemIssue } from './problem.js';
import { readRequestBody } from './server-request-body.js';
import { createCorsPolicy, type CorsOptions, type CorsPolicy } from './server-cors.js';
import { internalErrorProblem } from './server-failure.js';
import { invoke, NO_PRINCIPALS, type InvokeSettings } from './server-invoke.js';
import { runKeyed } from './server-keyed.js';
import { PathMatcher, unsafePathReason } from './server-match.js';
import {
  parseCookieHeader,
  parseCookieParam,
  parseHeaderParam,
  parsePathParam,
  parseQueryParam,
  parseQueryString,
  type ServerParamSpec,
} from './server-params.js';
import { problemRaw, toWebResponse } from './server-response.js';
import {
  checkSecurity,
  unverifiedSchemes,
  type SecurityCheck,
  type SecurityDecision,
  type SecurityVerifiers,
  type ServerSecurityScheme,
} from './server-security.js';
import type { AnyHandler, ParsedInput, RawRequest, RawResponse, RouteSpec, ServerEvent } from './server-types.js';
import { createServerMetrics, UNMATCHED_OPERATION } from './server-metrics.js';
import { rawFromWebRequest } from './server-web.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

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

const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;
const NO_COOKIES: ReadonlyMap<string, string> = new Map();
const EXPOSED = [REPLAYED_HEADER, 'Retry-After', 'Location', 'WWW-Authenticate'];

type Location = 'path' | 'query' | 'header' | 'cookie';
const LOCATIONS: readonly Location[] = ['path', 'query', 'header', 'cookie'];

interface CompiledRoute {
  spec: RouteSpec;
  handler: AnyHandler | undefined;
  /** Only the locations that have both parameters and a validator. */
  locations: Array<{ location: Location; params: ServerParamSpec[] }>;
  hasQuery: boolean;
  hasCookies: boolean;
  needsBody: boolean;
  claimedQuery: ReadonlySet<string>;
  security: SecurityCheck | undefined;
}

function isDevelopment(): boolean {
  const proc: unknown = Reflect.get(globalThis, 'process');
  const env: unknown = typeof proc === 'object' && proc !== null ? Reflect.get(proc, 'env') : undefined;
  return typeof env !== 'object' || env === null || Reflect.get(env, 'NODE_ENV') !== 'production';
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

function compile(
  spec: RouteSpec,
  handler: AnyHandler | undefined,
  security: Omit<SecurityCheck, 'operationId' | 'alternatives'>,
): CompiledRoute {
  const locations = LOCATIONS.map((location) => ({
    location,
    params: spec.params.filter((p) => p.in === location),
  })).filter((entry) => entry.params.length > 0 && spec.schemas[entry.location] !== undefined);
  const query = spec.params.filter((p) => p.in === 'query');
  // An exploded form object's properties are top-level keys: the other query parameters' names are not its own.
  const claimedQuery = new Set(
    query
      .filter((p) => !(p.style === 'form' && p.explode && typeof p.hint === 'object' && 'object' in p.hint))
      .map((p) => p.name),
  );
  const alternatives = spec.security ?? [];
  return {
    spec,
    handler,
    locations,
    hasQuery: query.length > 0,
    hasCookies: spec.params.some((p) => p.in === 'cookie'),
    needsBody: spec.body.length > 0 || spec.idempotency.mode === 'keyed',
    claimedQuery,
    security: alternatives.length === 0 ? undefined : { ...security, operationId: spec.id, alternatives },
  };
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

export function createRouterCore(
  routes: readonly RouteSpec[],
  handlers: Readonly<Record<string, AnyHandler>>,
  options: RouterOptions = {},
  securitySchemes: readonly ServerSecurityScheme[] = [],
): Router {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const validate = options.validateResponses ?? isDevelopment();
  const correlationHeader = options.correlationHeader ?? DEFAULT_CORRELATION_HEADER;
  const correlationKey = correlationHeader.toLowerCase();
  const limits = resolveLimits({
    ...options.limits,
    maxBodyBytes: options.limits?.maxBodyBytes ?? options.maxBodyBytes ?? 1024 * 1024,
  });
  const logger = options.logger ?? consoleLogger();
  const schemes = new Map(securitySchemes.map((scheme) => [scheme.key, scheme]));
  const cors: CorsPolicy | undefined =
    options.cors === undefined ? undefined : createCorsPolicy(options.cors, [correlationHeader, ...EXPOSED]);
  let store = options.idempotency?.store;
  const metrics = options.metrics === false ? undefined : createServerMetrics();
  const observer = options.onEvent ?? defaultEmit(logger);
  const emit = (event: ServerEvent): void => {
    metrics?.observe(event);
    try {
      observer(event);
    } catch {
      // Observers never break a request.
    }
  };
  const formats = options.formats ?? 'outgoing';
  const settings: InvokeSettings = {
    validate,
    formats,
    exposeErrors: options.exposeErrors ?? false,
    emit,
    runWithCorrelationId: options.runWithCorrelationId,
  };
  const securityBase = { schemes, verifiers: options.security, realm: options.realm ?? 'api' };
  warnUnverified(routes, schemes, options.security, logger);

  const matcher = new PathMatcher<CompiledRoute>();
  for (const spec of routes) {
    const handler = Object.prototype.hasOwnProperty.call(handlers, spec.name) ? handlers[spec.name] : undefined;
    matcher.add(spec.method, spec.path, compile(spec, handler, securityBase));
  }

  const internalError = (error: unknown, operationId: string, correlationId: string, instance: string): RawResponse => {
    emit({ type: 'handler-error', operationId, correlationId, error });
    return problemRaw(internalErrorProblem(error, settings.exposeErrors, instance, correlationId));
  };

  function dispatch(raw: RawRequest): RawResponse | Promise<RawResponse> {
    const received = raw.header(correlationKey);
    const correlationId = received !== undefined && CORRELATION_ID.test(received) ? received : newCorrelationId();
    let operation = UNMATCHED_OPERATION;
    const origin = cors === undefined ? undefined : raw.header('origin');
    const echo = (response: RawResponse): RawResponse => {
      metrics?.responded(operation, response.status);
      response.headers.push([correlationHeader, correlationId]);
      if (cors !== undefined) response.headers.push(...cors.responseHeaders(origin));
      return response;
    };
    const q = raw.url.indexOf('?');
    const pathname = q === -1 ? raw.url : raw.url.slice(0, q);
    const unsafe = unsafePathReason(pathname);
    if (unsafe !== undefined) return echo(rejectPath(unsafe, correlationId));
    let path = pathname;
    if (basePath !== '') {
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return echo(notFound(pathname, correlationId));
      path = pathname.slice(basePath.length) || '/';
    }
    const preflight = cors !== undefined && raw.method === 'OPTIONS' && raw.header('access-control-request-method');
    const found = matcher.match(preflight ? (raw.header('access-control-request-method') ?? '') : raw.method, path);
    if (found.kind === 'none') return echo(notFound(pathname, correlationId));
    if (preflight) {
      const allowed = found.kind === 'method' ? found.allowed : [raw.header('access-control-request-method') ?? ''];
      const headers = cors.preflightHeaders(origin, raw.header('access-control-request-headers'), allowed);
      return { status: 204, headers: [[correlationHeader, correlationId], ...headers], body: null };
    }
    if (found.kind === 'method') {
      return echo(
        problemRaw(
          problem(405, {
            type: PROBLEM_TYPES.methodNotAllowed,
            detail: `${raw.method} is not declared for this path`,
            instance: pathname,
          }),
          [['allow', found.allowed.join(', ')]],
        ),
      );
    }
    const compiled = found.match.route;
    operation = compiled.spec.id;
    metrics?.matched(operation);
    let response: RawResponse | Promise<RawResponse>;
    try {
      response = authenticate(
        compiled,
        found.match.params,
        raw,
        q === -1 ? '' : raw.url.slice(q + 1),
        pathname,
        correlationId,
      );
    } catch (error) {
      response = internalError(error, compiled.spec.id, correlationId, pathname);
    }
    return isPromise(response)
      ? response.then(echo, (error: unknown) => echo(internalError(error, compiled.spec.id, correlationId, pathname)))
      : echo(response);
  }

  function rejectPath(reason: string, correlationId: string): RawResponse {
    emit({
      type: 'request-rejected',
      operationId: null,
      correlationId,
      status: 400,
      issues: [{ pointer: '/path', message: reason }],
    });
    return problemRaw(problem(400, { type: PROBLEM_TYPES.validation, detail: reason, pointer: '/path' }));
  }

  function notFound(pathname: string, correlationId: string): RawResponse {
    emit({ type: 'request-rejected', operationId: null, correlationId, status: 404, issues: [] });
    return problemRaw(
      problem(404, {
        type: PROBLEM_TYPES.notFound,
        detail: 'No operation of the contract matches this path',
        instance: pathname,
      }),
    );
  }

  function reject(
    spec: RouteSpec,
    correlationId: string,
    status: 400 | 422,
    issues: ProblemIssue[],
    instance: string,
  ): RawResponse {
    emit({ type: 'request-rejected', operationId: spec.id, correlationId, status, issues });
    const details = validationProblem(issues, instance);
    return problemRaw(
      status === 400 ? details : { ...details, status, title: 'Request body does not match the contract' },
    );
  }

  /** Security first: an unauthenticated client learns nothing about validation and gets no body read. */
  function authenticate(
    compiled: CompiledRoute,
    pathValues: Record<string, string>,
    raw: RawRequest,
    search: string,
    instance: string,
    correlationId: string,
  ): RawResponse | Promise<RawResponse> {
    if (compiled.security === undefined)
      return handle(compiled, pathValues, raw, search, instance, correlationId, undefined);
    let pairs: Array<[string, string]> | undefined;
    let cookies: ReadonlyMap<string, string> | undefined;
    const decision = checkSecurity(compiled.security, {
      header: (name) => raw.header(name),
      query: (name) => (pairs ??= parseQueryString(search)).find(([k]) => k === name)?.[1],
      cookie: (name) => (cookies ??= parseCookieHeader(raw.header('cookie'))).get(name),
    });
    const next = (d: SecurityDecision): RawResponse | Promise<RawResponse> => {
      if (d.ok) return handle(compiled, pathValues, raw, search, instance, correlationId, d);
      emit({ type: 'unauthorized', operationId: compiled.spec.id, correlationId, status: d.status });
      const details = problem(d.status, {
        type: d.status === 401 ? PROBLEM_TYPES.unauthorized : PROBLEM_TYPES.forbidden,
        detail: d.detail,
        instance,
      });
      return problemRaw(details, d.challenge === '' ? [] : [['www-authenticate', d.challenge]]);
    };
    return isPromise(decision) ? decision.then(next) : next(decision);
  }

  function handle(
    compiled: CompiledRoute,
    pathValues: Record<string, string>,
    raw: RawRequest,
    search: string,
    instance: string,
    correlationId: string,
    auth: Extract<SecurityDecision, { ok: true }> | undefined,
  ): RawResponse | Promise<RawResponse> {
    const { spec } = compiled;
    const input: ParsedInput = {};
    let issues: ProblemIssue[] | undefined;
    const pairs = compiled.hasQuery ? parseQueryString(search) : [];
    const cookies = compiled.hasCookies ? parseCookieHeader(raw.header('cookie')) : NO_COOKIES;
    for (const { location, params } of compiled.locations) {
      const values: Record<string, unknown> = {};
      for (const param of params) {
        const value =
          location === 'path'
            ? parsePathParam(param, pathValues[param.name] ?? '')
            : location === 'query'
              ? parseQueryParam(param, pairs, compiled.claimedQuery)
              : location === 'header'
                ? parseHeaderParam(param, raw.header(param.name.toLowerCase()))
                : parseCookieParam(param, cookies);
        if (value !== undefined) values[param.name] = value;
      }
      const schema = spec.schemas[location];
      const parsed = schema && withDirection('incoming', formats, () => schema.safeParse(values));
      if (parsed === undefined || parsed.success) input[location] = parsed?.data ?? values;
      else (issues ??= []).push(...issuesToProblemIssues(parsed.error.issues, `/${location}`));
    }
    if (issues !== undefined) return reject(spec, correlationId, 400, issues, instance);
    const principal = auth?.principal;
    const principals = auth?.principals ?? NO_PRINCIPALS;
    if (compiled.needsBody) return handleWithBody(compiled, input, raw, instance, correlationId, principal, principals);
    if (compiled.handler === undefined) return notImplemented(spec, instance);
    const call = {
      spec,
      handler: compiled.handler,
      input,
      raw,
      instance,
      correlationId,
      idempotencyKey: undefined,
      tx: undefined,
      principal,
      principals,
    };
    const outcome = invoke(settings, call);
    return isPromise(outcome) ? outcome.then((o) => o.response) : outcome.response;
  }

  function notImplemented(spec: RouteSpec, instance: string): RawResponse {
    return problemRaw(problem(501, { title: 'Not Implemented', detail: `No handler for ${spec.id}`, instance }));
  }

  async function handleWithBody(
    compiled: CompiledRoute,
    input: ParsedInput,
    raw: RawRequest,
    instance: string,
    correlationId: string,
    principal: unknown,
    principals: Readonly<Record<string, unknown>>,
  ): Promise<RawResponse> {
    const { spec } = compiled;
    const read = await readRequestBody(spec, raw, limits, instance, formats);
    if (read.kind === 'refused') {
      emit({
        type: 'request-rejected',
        operationId: spec.id,
        correlationId,
        status: read.response.status,
        issues: read.issues,
      });
      return read.response;
    }
    if (read.kind === 'invalid') return reject(spec, correlationId, 422, read.issues, instance);
    if (read.kind === 'body') {
      input.body = read.value;
      input.contentType = read.mediaType;
    }
    const handler = compiled.handler;
    if (handler === undefined) return notImplemented(spec, instance);
    const call = { spec, handler, input, raw, instance, correlationId, principal, principals };
    if (spec.idempotency.mode !== 'keyed')
      return (await invoke(settings, { ...call, idempotencyKey: undefined, tx: undefined })).response;
    store ??= createMemoryIdempotencyStore();
    const keyed = { store, ttlMs: options.idempotency?.ttlMs, maxKeyLength: options.idempotency?.maxKeyLength };
    return runKeyed(settings, keyed, call, read.bytes);
  }

  const router = async (request: Request): Promise<Response> =>
    toWebResponse(await dispatch(rawFromWebRequest(request)), request.method);
  const metricsText = (labels?: Readonly<Record<string, string>>): string => metrics?.text(labels) ?? '';
  return Object.assign(router, { dispatch, routes, metricsText });
}
