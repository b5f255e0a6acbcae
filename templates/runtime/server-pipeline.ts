/**
 * The one request pipeline every server concord runs: route -> authenticate -> parse and validate parameters ->
 * read and validate the body -> intercept -> idempotency -> answer, with problem+json on every refusal. The
 * provider router (`createRouter`) plugs in the user's handlers and checks their answers against the contract;
 * the mock plugs in handlers that answer from examples, seeded or stateful data, and chaos. A contract therefore
 * routes, parses and refuses identically in both. Synchronous until something needs a promise: a request with no
 * body and a synchronous answer is served without one.
 */
import { newCorrelationId } from './correlation.js';
import type { IdempotencyStore } from './idempotency.js';
import type { ParseLimits } from './parse-limits.js';
import { problem, PROBLEM_TYPES, validationProblem, type ProblemDetails, type ProblemIssue } from './problem.js';
import type { CorsPolicy } from './server-cors.js';
import type { RequestTransaction } from './server-idempotency.js';
import { authenticate, parseParameters, pathFits, prepareRoute, type PreparedRoute } from './server-checks.js';
import { runKeyed } from './server-keyed.js';
import { PathMatcher, unsafePathReason, type Match } from './server-match.js';
import { UNMATCHED_OPERATION, type ServerMetrics } from './server-metrics.js';
import { readRequestBody } from './server-request-body.js';
import { problemRaw } from './server-response.js';
import type { SecurityDecision, SecurityVerifiers, ServerSecurityScheme } from './server-security.js';
import type { ParsedInput, RawRequest, RawResponse, RouteSpec, ServerEvent } from './server-types.js';
import type { FormatPolicy } from './zod-helpers.js';

/** One request that passed every check, as the answer step gets it. */
export interface Call {
  readonly spec: RouteSpec;
  readonly input: ParsedInput;
  readonly raw: RawRequest;
  /** The path as received (problem `instance`). */
  readonly instance: string;
  /** The path without the base path it arrived under (`/pets/7` for `/v1/pets/7`). */
  readonly path: string;
  readonly basePath: string;
  readonly correlationId: string;
  readonly idempotencyKey: string | undefined;
  readonly tx: RequestTransaction | undefined;
  readonly principal: unknown;
  readonly principals: Readonly<Record<string, unknown>>;
}

export interface Outcome {
  response: RawResponse;
  /** The answer is a failure (handler error, answer outside the contract): a keyed request's transaction rolls back. */
  failed: boolean;
}

/** What a server plugs into the pipeline. */
export interface PipelinePlug {
  /** The handler step. */
  answer(call: Call): Outcome | Promise<Outcome>;
  /** After every check, before an idempotency key is claimed: an answer here ends the request (501, chaos). */
  intercept?(call: Call): RawResponse | undefined | Promise<RawResponse | undefined>;
  /** How a refusal of a matched request is answered; default problem+json. */
  refuse?(details: ProblemDetails, headers: Array<[string, string]>, spec: RouteSpec, raw: RawRequest): RawResponse;
}

export interface PipelineSettings {
  /** Mount points tried longest first; `''` accepts requests without one. */
  basePaths: readonly string[];
  /** Check security, parameters, content type and body (false: parse only, accept anything). */
  validateRequests: boolean;
  correlationHeader: string;
  limits: Readonly<Required<ParseLimits>>;
  formats: FormatPolicy;
  cors: CorsPolicy | undefined;
  schemes: ReadonlyMap<string, ServerSecurityScheme>;
  verifiers: SecurityVerifiers | undefined;
  realm: string;
  emit: (event: ServerEvent) => void;
  metrics: ServerMetrics | undefined;
  /** Store for keyed operations, created on first use. */
  idempotency: { store: () => IdempotencyStore; ttlMs: number | undefined; maxKeyLength: number | undefined };
  /** `/pets/` finds `/pets`. */
  ignoreTrailingSlash?: boolean;
  /** The answer to an exception out of the pipeline itself. */
  internalError: (error: unknown, operationId: string, correlationId: string, instance: string) => RawResponse;
}

export type Dispatch = (raw: RawRequest) => RawResponse | Promise<RawResponse>;

const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** What routing found for a request. */
type Routed =
  | { kind: 'found'; route: PreparedRoute; params: Record<string, string>; path: string; basePath: string }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

/** A request on its way through the pipeline. */
interface Flight {
  raw: RawRequest;
  correlationId: string;
  pathname: string;
  search: string;
}

type Slot = { spec: RouteSpec; prepared?: PreparedRoute };
type Found = Extract<Routed, { kind: 'found' }>;
type Answer = RawResponse | Promise<RawResponse>;

/** The steps, in order; each returns the answer or hands the request to the next. */
class Pipeline {
  readonly #settings: PipelineSettings;
  readonly #plug: PipelinePlug;
  readonly #matcher: PathMatcher<Slot>;
  readonly #correlationKey: string;

  constructor(routes: readonly RouteSpec[], settings: PipelineSettings, plug: PipelinePlug) {
    this.#settings = settings;
    this.#plug = plug;
    this.#matcher = new PathMatcher<Slot>({ ignoreTrailingSlash: settings.ignoreTrailingSlash === true });
    for (const spec of routes) this.#matcher.add(spec.method, spec.path, { spec });
    this.#correlationKey = settings.correlationHeader.toLowerCase();
  }

  dispatch(raw: RawRequest): Answer {
    const settings = this.#settings;
    const received = raw.header(this.#correlationKey);
    const correlationId = received !== undefined && CORRELATION_ID.test(received) ? received : newCorrelationId();
    const q = raw.url.indexOf('?');
    const pathname = q === -1 ? raw.url : raw.url.slice(0, q);
    const flight: Flight = { raw, correlationId, pathname, search: q === -1 ? '' : raw.url.slice(q + 1) };
    const origin = settings.cors === undefined ? undefined : raw.header('origin');
    let operation = UNMATCHED_OPERATION;
    const echo = (response: RawResponse): RawResponse => {
      settings.metrics?.responded(operation, response.status);
      response.headers.push([settings.correlationHeader, correlationId]);
      if (settings.cors !== undefined) response.headers.push(...settings.cors.responseHeaders(origin));
      return response;
    };
    const unsafe = unsafePathReason(pathname);
    if (unsafe !== undefined) return echo(this.#rejectPath(unsafe, flight));
    const preflight =
      settings.cors !== undefined && raw.method === 'OPTIONS' ? raw.header('access-control-request-method') : undefined;
    const routed = this.#route(preflight ?? raw.method, pathname, flight.search);
    if (preflight !== undefined && settings.cors !== undefined) {
      const allowed = routed.kind === 'method' ? routed.allowed : [preflight];
      const headers = settings.cors.preflightHeaders(origin, raw.header('access-control-request-headers'), allowed);
      return { status: 204, headers: [[settings.correlationHeader, correlationId], ...headers], body: null };
    }
    if (routed.kind !== 'found') return echo(this.#unrouted(routed, flight));
    const { id } = routed.route.spec;
    operation = id;
    settings.metrics?.matched(id);
    const failed = (error: unknown): RawResponse => echo(settings.internalError(error, id, correlationId, pathname));
    try {
      const response = this.#checkSecurity(routed, flight);
      return isPromise(response) ? response.then(echo, failed) : echo(response);
    } catch (error) {
      return failed(error);
    }
  }

  /** Prepared on first use, so a server over a thousand operations starts without compiling what no request touches. */
  #prepared(slot: Slot): PreparedRoute {
    return (slot.prepared ??= prepareRoute(slot.spec, this.#settings));
  }

  /** Tries each base path; templates differing only in parameter names go to the first whose path parameters fit. */
  #route(method: string, pathname: string, search: string): Routed {
    let allowed: Set<string> | undefined;
    for (const basePath of this.#settings.basePaths) {
      if (basePath !== '' && pathname !== basePath && !pathname.startsWith(`${basePath}/`)) continue;
      const path = pathname.slice(basePath.length) || '/';
      const found = this.#matcher.match(method, path, search);
      if (found.kind === 'found') return { kind: 'found', ...this.#choose(found.match), path, basePath };
      if (found.kind === 'method') for (const m of found.allowed) (allowed ??= new Set()).add(m);
    }
    return allowed === undefined ? { kind: 'none' } : { kind: 'method', allowed: [...allowed].sort() };
  }

  #choose(match: Match<Slot>): { route: PreparedRoute; params: Record<string, string> } {
    const first = this.#prepared(match.route);
    if (match.alternatives === undefined || !this.#settings.validateRequests)
      return { route: first, params: match.params };
    const fitting = [match.route, ...match.alternatives]
      .map((slot) => this.#prepared(slot))
      .find((route) => pathFits(route, match.params, this.#settings));
    return { route: fitting ?? first, params: match.params };
  }

  #rejectPath(reason: string, flight: Flight): RawResponse {
    const issues = [{ pointer: '/path', message: reason }];
    const { correlationId } = flight;
    this.#settings.emit({ type: 'request-rejected', operationId: null, correlationId, status: 400, issues });
    return problemRaw(problem(400, { type: PROBLEM_TYPES.validation, detail: reason, pointer: '/path' }));
  }

  /** 404, 405, or (an OPTIONS request on a declared path) 204 with the methods it allows. */
  #unrouted(routed: Exclude<Routed, { kind: 'found' }>, flight: Flight): RawResponse {
    const { raw, pathname, correlationId } = flight;
    if (routed.kind === 'none') {
      this.#settings.emit({ type: 'request-rejected', operationId: null, correlationId, status: 404, issues: [] });
      const detail = 'No operation of the contract matches this path';
      return problemRaw(problem(404, { type: PROBLEM_TYPES.notFound, detail, instance: pathname }));
    }
    const allow = routed.allowed.join(', ');
    if (raw.method === 'OPTIONS') return { status: 204, headers: [['allow', `${allow}, OPTIONS`]], body: null };
    const detail = `${raw.method} is not declared for this path; allowed: ${allow}`;
    const details = problem(405, { type: PROBLEM_TYPES.methodNotAllowed, detail, instance: pathname });
    return problemRaw(details, [['allow', allow]]);
  }

  /** A refusal of a matched request: the event, then the answer the plug shapes (problem+json by default). */
  #refuse(
    route: PreparedRoute,
    flight: Flight,
    details: ProblemDetails,
    issues: ProblemIssue[],
    headers: Array<[string, string]> = [],
  ): RawResponse {
    const { spec } = route;
    const { correlationId, raw } = flight;
    this.#settings.emit({
      type: 'request-rejected',
      operationId: spec.id,
      correlationId,
      status: details.status,
      issues,
    });
    const refuse = this.#plug.refuse;
    return refuse === undefined ? problemRaw(details, headers) : refuse(details, headers, spec, raw);
  }

  /** Security first: an unauthenticated client learns nothing about validation and gets no body read. */
  #checkSecurity(routed: Found, flight: Flight): Answer {
    const { route } = routed;
    if (route.security === undefined || !this.#settings.validateRequests) return this.#checkParameters(routed, flight);
    const decision = authenticate(route.security, flight.raw, flight.search);
    const next = (d: SecurityDecision): Answer => {
      if (d.ok) return this.#checkParameters(routed, flight, d);
      const { id: operationId } = route.spec;
      this.#settings.emit({ type: 'unauthorized', operationId, correlationId: flight.correlationId, status: d.status });
      const type = d.status === 401 ? PROBLEM_TYPES.unauthorized : PROBLEM_TYPES.forbidden;
      const details = problem(d.status, { type, detail: d.detail, instance: flight.pathname });
      const headers: Array<[string, string]> = d.challenge === '' ? [] : [['www-authenticate', d.challenge]];
      const refuse = this.#plug.refuse;
      return refuse === undefined ? problemRaw(details, headers) : refuse(details, headers, route.spec, flight.raw);
    };
    return isPromise(decision) ? decision.then(next) : next(decision);
  }

  #checkParameters(routed: Found, flight: Flight, auth?: Extract<SecurityDecision, { ok: true }>): Answer {
    const { route } = routed;
    const parsed = parseParameters(route, routed.params, flight.raw, flight.search, this.#settings);
    if (!parsed.ok)
      return this.#refuse(route, flight, validationProblem(parsed.issues, flight.pathname), parsed.issues);
    const call: Call = {
      spec: route.spec,
      input: parsed.input,
      raw: flight.raw,
      instance: flight.pathname,
      path: routed.path,
      basePath: routed.basePath,
      correlationId: flight.correlationId,
      idempotencyKey: undefined,
      tx: undefined,
      principal: auth?.principal,
      principals: auth?.principals ?? NO_PRINCIPALS,
    };
    return route.needsBody ? this.#checkBody(route, call, flight) : this.#answer(call, EMPTY);
  }

  async #checkBody(route: PreparedRoute, call: Call, flight: Flight): Promise<RawResponse> {
    const { limits, formats, validateRequests } = this.#settings;
    const read = await readRequestBody(call.spec, flight.raw, limits, flight.pathname, formats, validateRequests);
    if (read.kind === 'refused') return this.#refuse(route, flight, read.details, read.issues, read.headers);
    if (read.kind === 'invalid') {
      const title = 'Request body does not match the contract';
      const details = { ...validationProblem(read.issues, flight.pathname), status: 422, title };
      return this.#refuse(route, flight, details, read.issues);
    }
    if (read.kind === 'body') {
      call.input.body = read.value;
      call.input.contentType = read.mediaType;
    }
    return this.#answer(call, read.bytes);
  }

  /** Intercept, then the answer: keyed operations exactly once through the idempotency store. */
  #answer(call: Call, bytes: Uint8Array<ArrayBuffer>): Answer {
    const plug = this.#plug;
    const intercepted = plug.intercept?.(call);
    const next = (early: RawResponse | undefined): Answer => {
      if (early !== undefined) return early;
      if (call.spec.idempotency.mode === 'keyed') {
        const { idempotency, emit } = this.#settings;
        const keyed = { store: idempotency.store(), ttlMs: idempotency.ttlMs, maxKeyLength: idempotency.maxKeyLength };
        return runKeyed(emit, keyed, call, bytes, (full) => plug.answer(full));
      }
      const outcome = plug.answer(call);
      return isPromise(outcome) ? outcome.then((o) => o.response) : outcome.response;
    };
    return isPromise(intercepted) ? intercepted.then(next) : next(intercepted);
  }
}

const EMPTY = new Uint8Array(0);

export function createPipeline(routes: readonly RouteSpec[], settings: PipelineSettings, plug: PipelinePlug): Dispatch {
  const pipeline = new Pipeline(routes, settings, plug);
  return (raw) => pipeline.dispatch(raw);
}

export const NO_PRINCIPALS: Readonly<Record<string, unknown>> = Object.freeze({});
