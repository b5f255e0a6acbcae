/**
 * The provider router the generated `server.ts` builds: match the path template, parse and validate parameters and
 * body against the contract's zod validators (problem+json 400/415/422 naming the failing pointer), run the typed
 * handler, check its answer against the contract (on by default outside production), echo the correlation id,
 * and apply Idempotency-Key semantics to keyed operations. Web standards only: `(Request) => Promise<Response>` runs
 * on Node (see server-node.ts), Bun, Deno, Hono and edge runtimes.
 */
import { newCorrelationId, DEFAULT_CORRELATION_HEADER } from './correlation.js';
import { createMemoryIdempotencyStore, doNotStore, handleIdempotency, REPLAYED_HEADER, type IdempotencyStore } from './idempotency.js';
import { issuesToProblemIssues, problem, PROBLEM_TYPES, validationProblem, type ProblemIssue } from './problem.js';
import { decodeBody, MalformedBodyError, matchMediaType } from './server-body.js';
import { isTransactionalStore, requestTransaction, type RequestTransaction } from './server-idempotency.js';
import { PathMatcher } from './server-match.js';
import { parseCookieHeader, parseCookieParam, parseHeaderParam, parsePathParam, parseQueryParam, parseQueryString, type ServerParamSpec } from './server-params.js';
import { checkResponse, fromWebResponse, invalidResponseProblem, PROBLEM_HANDLER_FAILED, problemRaw, toWebResponse } from './server-response.js';
import { BodyTooLargeError, type AnyHandler, type HandlerContext, type ParsedInput, type RawRequest, type RawResponse, type RouteSpec, type ServerEvent } from './server-types.js';
import { rawFromWebRequest } from './server-web.js';

export interface RouterOptions {
  /** Mount point, e.g. `/v1` when the contract's server URL has a path. Default: none. */
  basePath?: string;
  /** Check every answer against the contract. Default: on unless NODE_ENV is `production`. */
  validateResponses?: boolean;
  /** Default `X-Correlation-ID`. */
  correlationHeader?: string;
  /** Idempotency-Key handling for keyed operations; the default store is in memory (one process). */
  idempotency?: { store?: IdempotencyStore; ttlMs?: number; maxKeyLength?: number };
  /** Largest request body read (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  onEvent?: (event: ServerEvent) => void;
  /** Runs each handler with the request's correlation id as ambient context (Node: `withCorrelationId`). */
  runWithCorrelationId?: <T>(id: string, fn: () => T) => T;
  /** Put handler error messages into 500 problem details. Default: the same as `validateResponses`. */
  exposeErrors?: boolean;
}

export interface Router {
  (request: Request): Promise<Response>;
  /** The same, without web Request/Response objects: what the node:http adapter calls. */
  dispatch(raw: RawRequest): Promise<RawResponse>;
  readonly routes: readonly RouteSpec[];
}

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;
const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;

interface CompiledRoute {
  spec: RouteSpec;
  handler: AnyHandler | undefined;
  byLocation: Record<(typeof LOCATIONS)[number], ServerParamSpec[]>;
  claimedQuery: ReadonlySet<string>;
}

function isDevelopment(): boolean {
  const proc: unknown = Reflect.get(globalThis, 'process');
  const env: unknown = typeof proc === 'object' && proc !== null ? Reflect.get(proc, 'env') : undefined;
  return typeof env !== 'object' || env === null || Reflect.get(env, 'NODE_ENV') !== 'production';
}

export function createRouterCore(routes: readonly RouteSpec[], handlers: Readonly<Record<string, AnyHandler>>, options: RouterOptions = {}): Router {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const validate = options.validateResponses ?? isDevelopment();
  const exposeErrors = options.exposeErrors ?? validate;
  const correlationHeader = options.correlationHeader ?? DEFAULT_CORRELATION_HEADER;
  const correlationKey = correlationHeader.toLowerCase();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const ttlMs = options.idempotency?.ttlMs;
  let store = options.idempotency?.store;
  const emit = (event: ServerEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // Observers never break a request.
    }
  };

  const matcher = new PathMatcher<CompiledRoute>();
  for (const spec of routes) {
    const byLocation = { path: [], query: [], header: [], cookie: [] } as CompiledRoute['byLocation'];
    for (const param of spec.params) byLocation[param.in].push(param);
    const claimedQuery = new Set(byLocation.query.filter((p) => !(p.style === 'form' && p.explode && typeof p.hint === 'object' && 'object' in p.hint)).map((p) => p.name));
    matcher.add(spec.method, spec.path, { spec, handler: handlers[spec.name], byLocation, claimedQuery });
  }

  async function dispatch(raw: RawRequest): Promise<RawResponse> {
    const received = raw.header(correlationKey);
    const correlationId = received !== undefined && CORRELATION_ID.test(received) ? received : newCorrelationId();
    const response = await route(raw, correlationId);
    response.headers.push([correlationHeader, correlationId]);
    return response;
  }

  async function route(raw: RawRequest, correlationId: string): Promise<RawResponse> {
    const q = raw.url.indexOf('?');
    const pathname = q === -1 ? raw.url : raw.url.slice(0, q);
    const search = q === -1 ? '' : raw.url.slice(q + 1);
    let path = pathname;
    if (basePath !== '') {
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return notFound(pathname, correlationId);
      path = pathname.slice(basePath.length) || '/';
    }
    const found = matcher.match(raw.method, path);
    if (found.kind === 'none') return notFound(pathname, correlationId);
    if (found.kind === 'method') {
      return problemRaw(problem(405, { type: PROBLEM_TYPES.methodNotAllowed, detail: `${raw.method} is not declared for this path`, instance: pathname }), [['allow', found.allowed.join(', ')]]);
    }
    const compiled = found.match.route;
    try {
      return await handle(compiled, found.match.params, raw, search, pathname, correlationId);
    } catch (error) {
      emit({ type: 'handler-error', operationId: compiled.spec.id, correlationId, error });
      return problemRaw(problem(500, { type: PROBLEM_HANDLER_FAILED, ...(exposeErrors ? { detail: errorText(error) } : {}), instance: pathname }));
    }
  }

  function notFound(pathname: string, correlationId: string): RawResponse {
    emit({ type: 'request-rejected', operationId: null, correlationId, status: 404, issues: [] });
    return problemRaw(problem(404, { type: PROBLEM_TYPES.notFound, detail: 'No operation of the contract matches this path', instance: pathname }));
  }

  function reject(spec: RouteSpec, correlationId: string, status: 400 | 422, issues: ProblemIssue[], instance: string): RawResponse {
    emit({ type: 'request-rejected', operationId: spec.id, correlationId, status, issues });
    const details = validationProblem(issues, instance);
    return problemRaw(status === 400 ? details : { ...details, status, title: 'Request body does not match the contract' });
  }

  async function handle(compiled: CompiledRoute, pathValues: Record<string, string>, raw: RawRequest, search: string, instance: string, correlationId: string): Promise<RawResponse> {
    const { spec } = compiled;
    const input: ParsedInput = {};
    const issues: ProblemIssue[] = [];
    const pairs = compiled.byLocation.query.length > 0 ? parseQueryString(search) : [];
    const cookies = compiled.byLocation.cookie.length > 0 ? parseCookieHeader(raw.header('cookie')) : undefined;
    for (const location of LOCATIONS) {
      const schema = spec.schemas[location];
      const params = compiled.byLocation[location];
      if (schema === undefined || params.length === 0) continue;
      const values: Record<string, unknown> = {};
      for (const param of params) {
        const value =
          location === 'path' ? parsePathParam(param, pathValues[param.name] ?? '')
          : location === 'query' ? parseQueryParam(param, pairs, compiled.claimedQuery)
          : location === 'header' ? parseHeaderParam(param, raw.header(param.name.toLowerCase()))
          : parseCookieParam(param, cookies ?? new Map());
        if (value !== undefined) values[param.name] = value;
      }
      const parsed = schema.safeParse(values);
      if (parsed.success) input[location] = parsed.data;
      else issues.push(...issuesToProblemIssues(parsed.error.issues, `/${location}`));
    }
    if (issues.length > 0) return reject(spec, correlationId, 400, issues, instance);

    const keyed = spec.idempotency.mode === 'keyed';
    let bytes: Uint8Array<ArrayBuffer> | undefined;
    if (spec.body.length > 0 || keyed) {
      try {
        bytes = await raw.body(maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        return problemRaw(problem(413, { type: PROBLEM_TYPES.tooLarge, detail: error.message, instance }));
      }
    }
    if (spec.body.length > 0) {
      if (bytes === undefined || bytes.length === 0) {
        if (spec.bodyRequired) return reject(spec, correlationId, 422, [{ pointer: '/body', message: 'A request body is required' }], instance);
      } else {
        const contentType = raw.header('content-type') ?? '';
        const media = matchMediaType(spec.body, contentType);
        if (media === undefined) {
          emit({ type: 'request-rejected', operationId: spec.id, correlationId, status: 415, issues: [] });
          return problemRaw(problem(415, { type: PROBLEM_TYPES.unsupportedMediaType, detail: `Content-Type "${contentType}" is not accepted here`, instance, accepted: spec.body.map((m) => m.mediaType) }), [['accept', spec.body.map((m) => m.mediaType).join(', ')]]);
        }
        let value: unknown;
        try {
          value = await decodeBody(media, contentType, bytes);
        } catch (error) {
          if (!(error instanceof MalformedBodyError)) throw error;
          emit({ type: 'request-rejected', operationId: spec.id, correlationId, status: 400, issues: [{ pointer: '/body', message: error.message }] });
          return problemRaw(problem(400, { type: PROBLEM_TYPES.malformed, detail: error.message, instance, pointer: '/body' }));
        }
        const schema = spec.schemas.body?.[media.mediaType];
        const parsed = schema === undefined ? { success: true as const, data: value } : schema.safeParse(value);
        if (!parsed.success) return reject(spec, correlationId, 422, issuesToProblemIssues(parsed.error.issues, '/body'), instance);
        input.body = parsed.data;
        input.contentType = media.mediaType;
      }
    }
    if (compiled.handler === undefined) return problemRaw(problem(501, { title: 'Not Implemented', detail: `No handler for ${spec.id}`, instance }));
    if (!keyed) return (await run(compiled, input, raw, instance, correlationId, undefined, undefined)).response;
    return runKeyed(compiled, input, raw, bytes ?? new Uint8Array(0), instance, correlationId);
  }

  async function runKeyed(compiled: CompiledRoute, input: ParsedInput, raw: RawRequest, bytes: Uint8Array<ArrayBuffer>, instance: string, correlationId: string): Promise<RawResponse> {
    const { spec } = compiled;
    store ??= createMemoryIdempotencyStore();
    const base = store;
    const key = raw.header(spec.idempotency.header.toLowerCase());
    const tx = key !== undefined && isTransactionalStore(base) ? requestTransaction(base) : undefined;
    const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD';
    const request = new Request(`http://provider.invalid${raw.url}`, { method: raw.method, headers: key === undefined ? {} : { [spec.idempotency.header]: key }, ...(hasBody ? { body: bytes } : {}) });
    const answer = await handleIdempotency(request, spec, tx?.store ?? base, { ...(ttlMs === undefined ? {} : { ttlMs }), ...(options.idempotency?.maxKeyLength === undefined ? {} : { maxKeyLength: options.idempotency.maxKeyLength }) }, async () => {
      const outcome = await run(compiled, input, raw, instance, correlationId, key ?? undefined, tx);
      const web = toWebResponse(outcome.response, raw.method);
      // A handler that failed inside its transaction changed nothing (rolled back): free the key for a retry.
      if (outcome.failed && tx?.opened === true) {
        await tx.abort();
        return doNotStore(web);
      }
      return web;
    });
    if (answer.headers.get(REPLAYED_HEADER) === 'true') emit({ type: 'idempotent-replay', operationId: spec.id, correlationId, key: key ?? '' });
    else if (answer.status === 400 || answer.status === 409 || answer.status === 422) {
      if (answer.headers.get('content-type') === 'application/problem+json') emit({ type: 'idempotency-rejected', operationId: spec.id, correlationId, key: key ?? null, status: answer.status });
    }
    return fromWebResponse(answer);
  }

  async function run(compiled: CompiledRoute, input: ParsedInput, raw: RawRequest, instance: string, correlationId: string, idempotencyKey: string | undefined, tx: RequestTransaction | undefined): Promise<{ response: RawResponse; failed: boolean }> {
    const { spec } = compiled;
    const handler = compiled.handler;
    if (handler === undefined) return { response: problemRaw(problem(501, { title: 'Not Implemented', instance })), failed: true };
    let request: Request | undefined;
    const context: HandlerContext = {
      operationId: spec.id,
      correlationId,
      get request() {
        request ??= raw.toRequest();
        return request;
      },
      idempotencyKey,
      transaction: tx === undefined ? undefined : (fn) => tx.run(fn),
    };
    let result: unknown;
    try {
      const call = (): unknown => handler(input, context);
      result = await (options.runWithCorrelationId === undefined ? call() : options.runWithCorrelationId(correlationId, call));
    } catch (error) {
      emit({ type: 'handler-error', operationId: spec.id, correlationId, error });
      return { response: problemRaw(problem(500, { type: PROBLEM_HANDLER_FAILED, ...(exposeErrors ? { detail: errorText(error) } : {}), instance })), failed: true };
    }
    const check = checkResponse(spec, result, validate);
    if (check.ok) return { response: check.response, failed: false };
    emit({ type: 'response-invalid', operationId: spec.id, correlationId, status: check.status ?? 0, issues: check.issues });
    return { response: problemRaw(invalidResponseProblem(check, instance)), failed: true };
  }

  const router = async (request: Request): Promise<Response> => toWebResponse(await dispatch(rawFromWebRequest(request)), request.method);
  return Object.assign(router, { dispatch, routes });
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
