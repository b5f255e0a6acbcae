import type { IrDocument, IrOperation } from '../ir/types.js';
import { ValidatorRegistry } from '../validate/registry.js';
import { createMemoryIdempotencyStore, REPLAYED_HEADER, type IdempotencyStore } from '../../templates/runtime/idempotency.js';
import { withIdempotency } from './keyed.js';
import { problem, validationProblem, issuesToProblemIssues, PROBLEM_TYPES, type ProblemDetails } from '../../templates/runtime/problem.js';
import { problemOut } from './problem-out.js';
import { contractError } from './contract-error.js';
import { uuidv4 } from '../../templates/runtime/encoding.js';
import { parseBody, safeJsonParse, decodeUtf8 } from './body.js';
import { decideChaos, parseChaos, type ChaosSpec } from './chaos.js';
import { createRng, hashSeed, type Rng } from './fake/prng.js';
import { matchContentType, parsePrefer } from './negotiate.js';
import { parseCookies, readParameters, SchemaResolver, type ParameterValues } from './params.js';
import { Responder, serialize } from './respond.js';
import { Router, safeDecode, type RouteResult } from './router.js';
import { checkSecurity, type SecurityCheck, type ServerSecurityScheme } from '../../templates/runtime/server-security.js';
import type { CorsPolicy } from '../../templates/runtime/server-cors.js';
import { unsafePathReason } from '../../templates/runtime/server-match.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../../templates/runtime/parse-limits.js';
import { StatefulStore } from './stateful.js';
import { planStream, streamEvents } from './stream.js';
import { statefulHelpers, statefulResponse } from './stateful-response.js';
import type { MockRequest, MockResponse, RecordedRequest } from './types.js';
import { withDirection, type FormatPolicy } from '../../templates/runtime/zod-helpers.js';

export interface EngineOptions {
  seed: number;
  /** Validate requests (security presence, parameters, content type, body). */
  validate: boolean;
  stateful: boolean;
  chaos: ChaosSpec | undefined;
  /** Added to every answer. */
  delayMs: number;
  idempotencyTtlMs: number;
  idempotencyStore: IdempotencyStore | undefined;
  maxIdempotencyKeys: number;
  maxBodyBytes: number;
  /** JSON depth, string and array length, property count (the body byte limit is `maxBodyBytes`). */
  limits?: Readonly<Required<ParseLimits>>;
  /** CORS policy; none (the default) answers no CORS headers at all. */
  cors?: CorsPolicy;
  /** Operational log lines (stateful evictions, internal errors). */
  onLog?: (line: string) => void;
  maxStoredBytes?: number;
  maxStoredItems?: number;
  /**
   * Where `format` is checked; requests the mock receives are incoming (not checked under `outgoing`, the
   * default), the answers it makes up are its own and always checked.
   */
  formats?: FormatPolicy;
}

const CORRELATION_HEADER = 'x-correlation-id';
const RENDER_CACHE_SIZE = 512;
export const MOCK_EXPOSED_HEADERS = ['X-Correlation-ID', REPLAYED_HEADER, 'Retry-After', 'Location', 'Allow', 'WWW-Authenticate'];

/** Resolves after `ms`, or at once when `signal` aborts (the server is shutting down). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

interface Context {
  correlationId: string;
  origin: string | undefined;
  record: RecordedRequest;
}

/**
 * The mock's request pipeline, independent of node:http: route, inject faults, validate, then answer through the
 * idempotency layer (keyed operations), the stateful store (`stateful`) or the responder.
 */
export class MockEngine {
  readonly router: Router;
  readonly registry: ValidatorRegistry;
  readonly resolver: SchemaResolver;
  readonly responder: Responder;
  readonly idempotency: IdempotencyStore;
  private readonly schemes: Map<string, ServerSecurityScheme>;
  private readonly security = new Map<IrOperation, SecurityCheck>();
  /** Aborted by `close()`: pending chaos and Prefer delays end at once. */
  private readonly closing = new AbortController();
  private readonly stateful: StatefulStore | undefined;
  private readonly chaosRng: Rng;
  /** Rendered answers by everything that determines them (data is seeded, so equal keys give equal bytes). */
  private readonly rendered = new Map<string, MockResponse>();

  constructor(
    readonly ir: IrDocument,
    readonly options: EngineOptions,
  ) {
    this.router = new Router(ir.operations, ir.servers);
    this.registry = new ValidatorRegistry(ir);
    this.resolver = new SchemaResolver(ir.schemas);
    this.responder = new Responder(ir, this.registry, options.seed);
    this.schemes = new Map(ir.securitySchemes.map((s): [string, ServerSecurityScheme] => [s.key, s]));
    const storeLimits = { ...(options.maxStoredItems === undefined ? {} : { maxItems: options.maxStoredItems }), ...(options.maxStoredBytes === undefined ? {} : { maxBytes: options.maxStoredBytes }), ...(options.onLog === undefined ? {} : { onLog: options.onLog }) };
    this.stateful = options.stateful ? new StatefulStore(ir, this.resolver, statefulHelpers(this.responder, options.seed), storeLimits) : undefined;
    this.chaosRng = createRng(options.seed ^ 0x5eed);
    this.idempotency = options.idempotencyStore ?? createMemoryIdempotencyStore({ maxKeys: options.maxIdempotencyKeys });
  }

  async handle(request: MockRequest): Promise<{ response: MockResponse; record: RecordedRequest }> {
    const { pathname, search } = splitTarget(request.url);
    const given = request.headers[CORRELATION_HEADER];
    const correlationId = given !== undefined && /^[\x21-\x7e]{1,200}$/.test(given) ? given : uuidv4();
    const record: RecordedRequest = {
      method: request.method,
      path: pathname,
      query: search,
      headers: request.headers,
      body: undefined,
      operationId: undefined,
      status: 0,
      correlationId,
      replayed: false,
      chaos: undefined,
    };
    const ctx: Context = { correlationId, origin: request.headers['origin'], record };
    const response = await this.process(request, pathname, search, ctx);
    const headers = response.headers;
    headers['x-correlation-id'] = correlationId;
    if (this.options.cors !== undefined && !response.preflight) {
      for (const [name, value] of this.options.cors.responseHeaders(ctx.origin)) headers[name] = value;
    }
    delete response.preflight;
    record.status = response.status;
    return { response, record };
  }

  /** Pending chaos and Prefer delays end at once; called when the server shuts down. */
  close(): void {
    this.closing.abort();
  }

  private securityOf(operation: IrOperation): SecurityCheck {
    let check = this.security.get(operation);
    if (check === undefined) {
      check = { operationId: operation.operationId ?? operation.name, alternatives: operation.security, schemes: this.schemes, verifiers: undefined, realm: 'concord-mock' };
      this.security.set(operation, check);
    }
    return check;
  }

  /**
   * The same order as the provider: route, authenticate, validate parameters and body; only a request that got this
   * far is delayed or answered with an injected fault, so an unauthenticated or malformed request pins nothing.
   */
  private async process(request: MockRequest, pathname: string, search: string, ctx: Context): Promise<MockResponse> {
    const method = request.method.toUpperCase();
    const unsafe = unsafePathReason(pathname);
    if (unsafe !== undefined) return problemOut(problem(400, { detail: `${unsafe}.`, instance: pathname.slice(0, 200), pointer: '/path' }));
    if (method === 'OPTIONS' && this.options.cors !== undefined && request.headers['access-control-request-method'] !== undefined) return this.preflight(request, pathname, ctx);
    if (request.body === 'too-large') {
      return problemOut(problem(413, { type: PROBLEM_TYPES.tooLarge, detail: `The body is larger than ${this.options.maxBodyBytes} bytes.`, instance: pathname, pointer: '/body' }), { connection: 'close' });
    }
    const route = this.router.match(method, pathname, search);
    if (route.kind === 'not-found') return problemOut(problem(404, { type: PROBLEM_TYPES.notFound, detail: `No operation matches ${pathname}.`, instance: pathname }));
    if (route.kind === 'method-not-allowed') {
      if (method === 'OPTIONS') return { status: 204, headers: { allow: [...route.allow, 'OPTIONS'].join(', ') }, body: undefined };
      return problemOut(problem(405, { type: PROBLEM_TYPES.methodNotAllowed, detail: `${method} is not declared for ${pathname}; allowed: ${route.allow.join(', ')}.`, instance: pathname }), { allow: route.allow.join(', ') });
    }
    // Templates that differ only in parameter names share a route: take the first whose path parameters fit.
    const chosen = route.alternatives.length > 1 ? (route.alternatives.find((alt) => this.pathParamsFit(alt.operation, alt.params)) ?? route.alternatives[0]) : undefined;
    const operation = chosen?.operation ?? route.operation;
    const pathParams = chosen?.params ?? route.params;
    ctx.record.operationId = operation.operationId ?? operation.name;

    const query = new URLSearchParams(search);
    const cookies = parseCookies(request.headers['cookie']);
    const bytes = request.body;
    if (this.options.validate && operation.security.length > 0) {
      const decision = await checkSecurity(this.securityOf(operation), { header: (name) => request.headers[name], query: (name) => query.get(name) ?? undefined, cookie: (name) => cookies.get(name) });
      if (!decision.ok) {
        const type = decision.status === 401 ? PROBLEM_TYPES.unauthorized : PROBLEM_TYPES.forbidden;
        return this.contractError(operation, problem(decision.status, { type, detail: decision.detail, instance: pathname, pointer: '/header/authorization' }), request, decision.challenge === '' ? {} : { 'www-authenticate': decision.challenge });
      }
    }
    const raw = readParameters(operation, { path: pathParams, query, headers: request.headers, cookies }, this.resolver);
    let params: ParameterValues = raw;
    if (this.options.validate) {
      const checked = this.checkParameters(operation, raw, pathname);
      if ('problem' in checked) return this.contractError(operation, checked.problem, request);
      params = checked.values;
    }
    const body = await this.readBody(operation, request, bytes, pathname, ctx);
    if (body.problem) return this.contractError(operation, body.problem, request);

    const prefer = parsePrefer(request.headers['prefer']);
    const fault = await this.chaos(prefer, pathname, ctx);
    if (fault !== undefined && fault !== 'reset') return fault;
    if (this.options.delayMs > 0) await sleep(this.options.delayMs, this.closing.signal);

    const produce = async (): Promise<MockResponse> => {
      // Seeded by the path without the base path, so `/v1/pets/7` and `/pets/7` answer alike.
      const out = await this.produce(operation, route, request, prefer, `/${route.segments.join('/')}`, body.value, params, this.chaosSpecOf(prefer));
      return fault === 'reset' ? { ...out, reset: true } : out;
    };
    if (operation.idempotency.mode !== 'keyed') {
      const out = await produce();
      if (out.reset) ctx.record.chaos = 'reset';
      return out;
    }
    // Keys are scoped by operation, not by how the URL was spelled: `/v1/pets` and `/pets` (base path) are one.
    const target = `/${route.segments.join('/')}${search ? `?${search}` : ''}`;
    const keyed = await withIdempotency(this.idempotency, this.options.idempotencyTtlMs, operation, request, bytes, target, produce);
    ctx.record.replayed = keyed.replayed;
    if (keyed.response.reset) ctx.record.chaos = 'reset';
    return keyed.response;
  }

  /** The chaos in force for a request (a malformed `Prefer: chaos` was already answered 400 by `chaos()`). */
  private chaosSpecOf(prefer: ReadonlyMap<string, string>): ChaosSpec | undefined {
    const text = prefer.get('chaos');
    if (text === undefined) return this.options.chaos;
    try {
      return parseChaos(text);
    } catch {
      return this.options.chaos;
    }
  }

  /** A failure answered the way the contract declares it (status and error schema), holding the real problem. */
  private contractError(operation: IrOperation, details: ProblemDetails, request: MockRequest, headers: Record<string, string> = {}): MockResponse {
    return contractError({ responder: this.responder, resolver: this.resolver, seed: this.options.seed }, operation, details, request.headers['accept'], headers);
  }

  /** Chaos from the options or `Prefer: chaos=...`: latency, then an injected status, or `reset` for later. */
  private async chaos(prefer: ReadonlyMap<string, string>, pathname: string, ctx: Context): Promise<MockResponse | 'reset' | undefined> {
    let chaos = this.options.chaos;
    const preferChaos = prefer.get('chaos');
    if (preferChaos !== undefined) {
      try {
        chaos = parseChaos(preferChaos);
      } catch (error) {
        return problemOut(problem(400, { detail: `Prefer: chaos: ${error instanceof Error ? error.message : String(error)}`, instance: pathname, pointer: '/header/prefer' }));
      }
    }
    if (chaos === undefined) return undefined;
    const decision = decideChaos(chaos, this.chaosRng);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs, this.closing.signal);
    if (decision.status !== undefined) {
      ctx.record.chaos = decision.status;
      const headers: Record<string, string> = decision.status === 429 || decision.status === 503 ? { 'retry-after': String(chaos.retryAfterSeconds) } : {};
      return problemOut(problem(decision.status, { type: PROBLEM_TYPES.injectedFault, detail: 'Fault injected by concord mock (chaos).', instance: pathname }), headers);
    }
    return decision.reset ? 'reset' : undefined;
  }

  /** A parse of what a client sent, with formats checked as the policy says for incoming values. */
  private incoming<T>(parse: () => T): T {
    return withDirection('incoming', this.options.formats ?? 'outgoing', parse);
  }

  private pathParamsFit(operation: IrOperation, params: Record<string, string>): boolean {
    const validator = this.registry.operation(operation).params.path;
    if (!validator) return true;
    const values = readParameters(operation, { path: params, query: new URLSearchParams(), headers: {}, cookies: new Map() }, this.resolver);
    return this.incoming(() => validator.safeParse(values.path)).success;
  }

  private preflight(request: MockRequest, pathname: string, ctx: Context): MockResponse {
    const route = this.router.match('OPTIONS', pathname);
    const requested = (request.headers['access-control-request-method'] ?? '').toUpperCase();
    const allow = route.kind === 'method-not-allowed' ? route.allow : route.kind === 'match' ? [route.operation.method.toUpperCase()] : [requested];
    const methods = [...new Set([...allow, requested].filter((m) => m !== ''))];
    const headers: Record<string, string> = {};
    for (const [name, value] of this.options.cors?.preflightHeaders(ctx.origin, request.headers['access-control-request-headers'], methods) ?? []) headers[name] = value;
    return { status: 204, headers, body: undefined, preflight: true };
  }

  private checkParameters(operation: IrOperation, raw: ParameterValues, instance: string): { values: ParameterValues } | { problem: ProblemDetails } {
    const validators = this.registry.operation(operation).params;
    const values: ParameterValues = { ...raw };
    const issues = [];
    for (const location of ['path', 'query', 'header', 'cookie'] as const) {
      const validator = validators[location];
      if (!validator) continue;
      const parsed = this.incoming(() => validator.safeParse(raw[location]));
      if (parsed.success) values[location] = parsed.data as Record<string, unknown>;
      else issues.push(...issuesToProblemIssues(parsed.error.issues, `/${location}`));
    }
    return issues.length > 0 ? { problem: validationProblem(issues, instance) } : { values };
  }

  private async readBody(operation: IrOperation, request: MockRequest, bytes: Uint8Array<ArrayBuffer> | 'too-large', instance: string, ctx: Context): Promise<{ value: unknown; problem?: ProblemDetails }> {
    if (bytes === 'too-large') return { value: undefined };
    const contentType = request.headers['content-type'];
    const declared = operation.requestBody;
    if (bytes.length === 0) {
      if (this.options.validate && declared?.required === true) return { value: undefined, problem: validationProblem([{ pointer: '/body', message: 'A request body is required' }], instance) };
      return { value: undefined };
    }
    if (!declared) {
      ctx.record.body = contentType !== undefined && /json/i.test(contentType) ? tryJson(bytes) : decodeUtf8(bytes);
      return { value: undefined };
    }
    const media = contentType === undefined ? undefined : matchContentType(declared.content, contentType);
    if (!media) {
      if (!this.options.validate) return { value: tryJson(bytes) };
      return {
        value: undefined,
        problem: problem(415, {
          type: PROBLEM_TYPES.unsupportedMediaType,
          detail: `Content-Type ${contentType ?? '(none)'} is not accepted; send one of: ${declared.content.map((m) => m.mediaType).join(', ')}.`,
          instance,
          pointer: '/header/content-type',
        }),
      };
    }
    const parsed = await parseBody(bytes, contentType ?? media.mediaType, media, this.resolver, instance, this.options.limits ?? DEFAULT_PARSE_LIMITS);
    if (!parsed.ok) return { value: undefined, problem: parsed.problem };
    ctx.record.body = parsed.value;
    if (!this.options.validate) return { value: parsed.value };
    const validator = this.registry.operation(operation).body.get(media.mediaType);
    if (!validator) return { value: parsed.value };
    const result = this.incoming(() => validator.safeParse(parsed.value));
    if (!result.success) return { value: undefined, problem: validationProblem(issuesToProblemIssues(result.error.issues, '/body'), instance) };
    return { value: result.data };
  }

  private async produce(operation: IrOperation, route: Extract<RouteResult, { kind: 'match' }>, request: MockRequest, prefer: ReadonlyMap<string, string>, requestPath: string, body: unknown, params: ParameterValues, chaos: ChaosSpec | undefined): Promise<MockResponse> {
    const accept = request.headers['accept'];
    const explicit = prefer.has('code') || prefer.has('example') || prefer.has('dynamic');
    if (this.stateful && !explicit) {
      const result = this.stateful.handle(operation, route.segments, body, params.query);
      const deps = { responder: this.responder, resolver: this.resolver, answer: (op: IrOperation, selected: Parameters<MockEngine['answer']>[1]) => this.answer(op, selected, accept, new Map(), requestPath) };
      const answered = statefulResponse(deps, operation, result, accept, requestPath, route.basePath, this.options.seed);
      if (answered !== undefined) return answered;
    }
    const selected = this.responder.selectResponse(operation, prefer.get('code'));
    if ('title' in selected) return problemOut({ ...selected, instance: requestPath });
    if (operation.stream) {
      const streamed = this.streamAnswer(operation, selected, request, prefer, requestPath, chaos);
      if (streamed) return streamed;
    }
    return this.answer(operation, selected, accept, prefer, requestPath);
  }

  /** A streaming answer when the negotiated media type streams (never cached: each one is consumed once). */
  private streamAnswer(operation: IrOperation, selected: Exclude<ReturnType<Responder['selectResponse']>, ProblemDetails>, request: MockRequest, prefer: ReadonlyMap<string, string>, requestPath: string, chaos: ChaosSpec | undefined): MockResponse | undefined {
    const plan = this.responder.plan(operation, selected, request.headers['accept']);
    if ('title' in plan || plan.media?.stream === undefined || plan.contentType === undefined) return undefined;
    let stream;
    try {
      stream = planStream(prefer, request.headers['last-event-id']);
    } catch (error) {
      return problemOut(problem(400, { detail: error instanceof Error ? error.message : String(error), instance: requestPath, pointer: '/header/prefer' }));
    }
    if (stream.cutAfter === undefined && chaos?.cut !== undefined && chaos.cut > 0 && this.chaosRng.next() < chaos.cut) {
      stream.cutAfter = Math.floor(this.chaosRng.next() * Math.max(1, stream.count - stream.first + 1));
    }
    const headers = this.responder.headers(plan.response, requestPath);
    headers['content-type'] = plan.contentType;
    headers['cache-control'] = 'no-cache';
    return { status: plan.status, headers, body: undefined, stream: streamEvents(this.responder, operation, plan.response, plan.media, stream, hashSeed(this.options.seed, requestPath)) };
  }

  /** A declared response, rendered: negotiated media type, body, declared headers. */
  answer(operation: IrOperation, selected: Exclude<ReturnType<Responder['selectResponse']>, ProblemDetails>, accept: string | undefined, prefer: ReadonlyMap<string, string>, requestPath: string): MockResponse {
    const key = [operation.pointer, operation.method, selected.response.status, selected.status, accept ?? '', prefer.get('example') ?? '', prefer.get('dynamic') ?? '', requestPath].join('\u0000');
    const hit = this.rendered.get(key);
    if (hit) return { ...hit, headers: { ...hit.headers } };
    const out = this.render(operation, selected, accept, prefer, requestPath);
    if (this.rendered.size >= RENDER_CACHE_SIZE) {
      const oldest = this.rendered.keys().next();
      if (oldest.done !== true) this.rendered.delete(oldest.value);
    }
    this.rendered.set(key, { ...out, headers: { ...out.headers } });
    return out;
  }

  private render(operation: IrOperation, selected: Exclude<ReturnType<Responder['selectResponse']>, ProblemDetails>, accept: string | undefined, prefer: ReadonlyMap<string, string>, requestPath: string): MockResponse {
    const plan = this.responder.plan(operation, selected, accept);
    if ('title' in plan) return problemOut({ ...plan, instance: requestPath });
    const produced = this.responder.body(operation, plan, prefer, requestPath);
    if ('title' in produced) return problemOut({ ...produced, instance: requestPath });
    const headers = this.responder.headers(plan.response, requestPath);
    if (plan.media === undefined || plan.contentType === undefined) return { status: plan.status, headers, body: undefined };
    headers['content-type'] = plan.contentType;
    if (!produced.valid) headers['x-concord-mock-warning'] = 'body does not match the response schema';
    return { status: plan.status, headers, body: serialize(produced.value, plan.media) };
  }

}

function tryJson(bytes: Uint8Array): unknown {
  const text = decodeUtf8(bytes);
  if (text === undefined) return undefined;
  try {
    return safeJsonParse(text);
  } catch {
    return text;
  }
}

function splitTarget(url: string): { pathname: string; search: string } {
  let target = url;
  if (/^https?:\/\//i.test(target)) {
    try {
      const parsed = new URL(target);
      target = parsed.pathname + parsed.search;
    } catch {
      target = '/';
    }
  }
  const index = target.indexOf('?');
  const pathname = index < 0 ? target : target.slice(0, index);
  return { pathname: pathname.startsWith('/') ? pathname : `/${pathname}`, search: index < 0 ? '' : target.slice(index + 1) };
}
