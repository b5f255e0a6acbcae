/**
 * The provider router the generated `server.ts` builds: match the path template, parse and validate parameters and
 * body against the contract's zod validators (problem+json 400/415/422 naming the failing pointer), run the typed
 * handler, check its answer against the contract (on by default outside production), echo the correlation id,
 * and apply Idempotency-Key semantics to keyed operations. Web standards only: `(Request) => Promise<Response>` runs
 * on Node (see server-node.ts), Bun, Deno, Hono and edge runtimes.
 */
import { newCorrelationId, DEFAULT_CORRELATION_HEADER } from './correlation.js';
import {
  createMemoryIdempotencyStore,
  doNotStore,
  handleIdempotency,
  REPLAYED_HEADER,
  type IdempotencyStore,
} from './idempotency.js';
import { issuesToProblemIssues, problem, PROBLEM_TYPES, validationProblem, type ProblemIssue } from './problem.js';
import { decodeBody, MalformedBodyError, matchMediaType } from './server-body.js';
import { isTransactionalStore, requestTransaction } from './server-idempotency.js';
import { errorText, invoke, type InvokeSettings, type Outcome } from './server-invoke.js';
import { PathMatcher } from './server-match.js';
import {
  parseCookieHeader,
  parseCookieParam,
  parseHeaderParam,
  parsePathParam,
  parseQueryParam,
  parseQueryString,
  type ServerParamSpec,
} from './server-params.js';
import { fromWebResponse, PROBLEM_HANDLER_FAILED, problemRaw, toWebResponse } from './server-response.js';
import {
  BodyTooLargeError,
  type AnyHandler,
  type ParsedInput,
  type RawRequest,
  type RawResponse,
  type RouteSpec,
  type ServerEvent,
} from './server-types.js';
import { rawFromWebRequest } from './server-web.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

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
}

const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;
const NO_COOKIES: ReadonlyMap<string, string> = new Map();

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
}

function isDevelopment(): boolean {
  const proc: unknown = Reflect.get(globalThis, 'process');
  const env: unknown = typeof proc === 'object' && proc !== null ? Reflect.get(proc, 'env') : undefined;
  return typeof env !== 'object' || env === null || Reflect.get(env, 'NODE_ENV') !== 'production';
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

function compile(spec: RouteSpec, handler: AnyHandler | undefined): CompiledRoute {
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
  return {
    spec,
    handler,
    locations,
    hasQuery: query.length > 0,
    hasCookies: spec.params.some((p) => p.in === 'cookie'),
    needsBody: spec.body.length > 0 || spec.idempotency.mode === 'keyed',
    claimedQuery,
  };
}

export function createRouterCore(
  routes: readonly RouteSpec[],
  handlers: Readonly<Record<string, AnyHandler>>,
  options: RouterOptions = {},
): Router {
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const validate = options.validateResponses ?? isDevelopment();
  const correlationHeader = options.correlationHeader ?? DEFAULT_CORRELATION_HEADER;
  const correlationKey = correlationHeader.toLowerCase();
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  let store = options.idempotency?.store;
  const emit = (event: ServerEvent): void => {
    if (options.onEvent === undefined) return;
    try {
      options.onEvent(event);
    } catch {
      // Observers never break a request.
    }
  };
  const formats = options.formats ?? 'outgoing';
  const settings: InvokeSettings = {
    validate,
    formats,
    exposeErrors: options.exposeErrors ?? validate,
    emit,
    runWithCorrelationId: options.runWithCorrelationId,
  };

  const matcher = new PathMatcher<CompiledRoute>();
  for (const spec of routes)
    matcher.add(
      spec.method,
      spec.path,
      compile(spec, Object.prototype.hasOwnProperty.call(handlers, spec.name) ? handlers[spec.name] : undefined),
    );

  const internalError = (error: unknown, operationId: string, correlationId: string, instance: string): RawResponse => {
    emit({ type: 'handler-error', operationId, correlationId, error });
    return problemRaw(
      problem(500, {
        type: PROBLEM_HANDLER_FAILED,
        ...(settings.exposeErrors ? { detail: errorText(error) } : {}),
        instance,
      }),
    );
  };

  function dispatch(raw: RawRequest): RawResponse | Promise<RawResponse> {
    const received = raw.header(correlationKey);
    const correlationId = received !== undefined && CORRELATION_ID.test(received) ? received : newCorrelationId();
    const echo = (response: RawResponse): RawResponse => {
      response.headers.push([correlationHeader, correlationId]);
      return response;
    };
    const q = raw.url.indexOf('?');
    const pathname = q === -1 ? raw.url : raw.url.slice(0, q);
    let path = pathname;
    if (basePath !== '') {
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return echo(notFound(pathname, correlationId));
      path = pathname.slice(basePath.length) || '/';
    }
    const found = matcher.match(raw.method, path);
    if (found.kind === 'none') return echo(notFound(pathname, correlationId));
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
    let response: RawResponse | Promise<RawResponse>;
    try {
      response = handle(
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

  function handle(
    compiled: CompiledRoute,
    pathValues: Record<string, string>,
    raw: RawRequest,
    search: string,
    instance: string,
    correlationId: string,
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
    if (compiled.needsBody) return handleWithBody(compiled, input, raw, instance, correlationId);
    if (compiled.handler === undefined) return notImplemented(spec, instance);
    const outcome = invoke(settings, spec, compiled.handler, input, raw, instance, correlationId, undefined, undefined);
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
  ): Promise<RawResponse> {
    const { spec } = compiled;
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await raw.body(maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return problemRaw(problem(413, { type: PROBLEM_TYPES.tooLarge, detail: error.message, instance }));
    }
    if (spec.body.length > 0 && bytes.length === 0 && spec.bodyRequired) {
      return reject(spec, correlationId, 422, [{ pointer: '/body', message: 'A request body is required' }], instance);
    }
    if (spec.body.length > 0 && bytes.length > 0) {
      const contentType = raw.header('content-type') ?? '';
      const media = matchMediaType(spec.body, contentType);
      if (media === undefined) {
        emit({ type: 'request-rejected', operationId: spec.id, correlationId, status: 415, issues: [] });
        const accepted = spec.body.map((m) => m.mediaType);
        return problemRaw(
          problem(415, {
            type: PROBLEM_TYPES.unsupportedMediaType,
            detail: `Content-Type "${contentType}" is not accepted here`,
            instance,
            accepted,
          }),
          [['accept', accepted.join(', ')]],
        );
      }
      let value: unknown;
      try {
        value = await decodeBody(media, contentType, bytes);
      } catch (error) {
        if (!(error instanceof MalformedBodyError)) throw error;
        emit({
          type: 'request-rejected',
          operationId: spec.id,
          correlationId,
          status: 400,
          issues: [{ pointer: '/body', message: error.message }],
        });
        return problemRaw(
          problem(400, { type: PROBLEM_TYPES.malformed, detail: error.message, instance, pointer: '/body' }),
        );
      }
      const schema = spec.schemas.body?.[media.mediaType];
      const parsed =
        schema === undefined
          ? { success: true as const, data: value }
          : withDirection('incoming', formats, () => schema.safeParse(value));
      if (!parsed.success)
        return reject(spec, correlationId, 422, issuesToProblemIssues(parsed.error.issues, '/body'), instance);
      input.body = parsed.data;
      input.contentType = media.mediaType;
    }
    const handler = compiled.handler;
    if (handler === undefined) return notImplemented(spec, instance);
    if (spec.idempotency.mode !== 'keyed')
      return (await invoke(settings, spec, handler, input, raw, instance, correlationId, undefined, undefined))
        .response;
    return runKeyed(spec, handler, input, raw, bytes, instance, correlationId);
  }

  async function runKeyed(
    spec: RouteSpec,
    handler: AnyHandler,
    input: ParsedInput,
    raw: RawRequest,
    bytes: Uint8Array<ArrayBuffer>,
    instance: string,
    correlationId: string,
  ): Promise<RawResponse> {
    store ??= createMemoryIdempotencyStore();
    const base = store;
    const key = raw.header(spec.idempotency.header.toLowerCase());
    const tx = key !== undefined && isTransactionalStore(base) ? requestTransaction(base) : undefined;
    const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD';
    const request = new Request(`http://provider.invalid${raw.url}`, {
      method: raw.method,
      headers: key === undefined ? {} : { [spec.idempotency.header]: key },
      ...(hasBody ? { body: bytes } : {}),
    });
    const limits = options.idempotency ?? {};
    const answer = await handleIdempotency(
      request,
      spec,
      tx?.store ?? base,
      {
        ...(limits.ttlMs === undefined ? {} : { ttlMs: limits.ttlMs }),
        ...(limits.maxKeyLength === undefined ? {} : { maxKeyLength: limits.maxKeyLength }),
      },
      async () => {
        const outcome: Outcome = await invoke(settings, spec, handler, input, raw, instance, correlationId, key, tx);
        const web = toWebResponse(outcome.response, raw.method);
        // A handler that failed inside its transaction changed nothing (rolled back): free the key for a retry.
        if (outcome.failed && tx?.opened === true) {
          await tx.abort();
          return doNotStore(web);
        }
        return web;
      },
    );
    if (answer.headers.get(REPLAYED_HEADER) === 'true')
      emit({ type: 'idempotent-replay', operationId: spec.id, correlationId, key: key ?? '' });
    else if (
      (answer.status === 400 || answer.status === 409 || answer.status === 422) &&
      answer.headers.get('content-type') === 'application/problem+json'
    ) {
      emit({
        type: 'idempotency-rejected',
        operationId: spec.id,
        correlationId,
        key: key ?? null,
        status: answer.status,
      });
    }
    return fromWebResponse(answer);
  }

  const router = async (request: Request): Promise<Response> =>
    toWebResponse(await dispatch(rawFromWebRequest(request)), request.method);
  return Object.assign(router, { dispatch, routes });
}
