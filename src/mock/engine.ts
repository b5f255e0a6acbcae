import type { IrDocument, IrOperation } from '../ir/types.js';
import { ValidatorRegistry } from '../validate/registry.js';
import { createMemoryIdempotencyStore, REPLAYED_HEADER, type IdempotencyStore } from '../../templates/runtime/idempotency.js';
import { problem, PROBLEM_TYPES, type ProblemDetails } from '../../templates/runtime/problem.js';
import { problemOut } from './problem-out.js';
import { contractError } from './contract-error.js';
import { decideChaos, parseChaos, type ChaosSpec } from './chaos.js';
import { createRng, hashSeed, type Rng } from './fake/prng.js';
import { parsePrefer } from './negotiate.js';
import { SchemaResolver } from './schema-resolver.js';
import { Responder, serialize } from './respond.js';
import { buildMockRoutes, splitPath } from './routes.js';
import type { ServerSecurityScheme } from '../../templates/runtime/server-security.js';
import type { CorsPolicy } from '../../templates/runtime/server-cors.js';
import { internalErrorProblem } from '../../templates/runtime/server-failure.js';
import type { ServerMetrics } from '../../templates/runtime/server-metrics.js';
import { createPipeline, type Call, type Dispatch, type Outcome } from '../../templates/runtime/server-pipeline.js';
import { problemRaw } from '../../templates/runtime/server-response.js';
import type { RawRequest, RawResponse, RouteSpec } from '../../templates/runtime/server-types.js';
import { DEFAULT_PARSE_LIMITS, parseJsonWithin, type ParseLimits } from '../../templates/runtime/parse-limits.js';
import { StatefulStore } from './stateful.js';
import { planStream, streamEvents } from './stream.js';
import { statefulHelpers, statefulResponse } from './stateful-response.js';
import type { MockResponse, RecordedRequest } from './types.js';
import type { FormatPolicy } from '../../templates/runtime/zod-helpers.js';

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
  /** Put the mock's own internal error text into its 500 answers. */
  exposeErrors?: boolean;
  /** Counters fed by the pipeline's events and answers (`concord_mock_*`). */
  metrics?: ServerMetrics;
}

const RENDER_CACHE_SIZE = 512;
const CORRELATION_HEADER = 'x-correlation-id';
const REPLAYED = REPLAYED_HEADER.toLowerCase();
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

const NO_PREFERENCES: ReadonlyMap<string, string> = new Map();

/** What the mock keeps about one request on its way through the pipeline. */
interface RequestState {
  record: RecordedRequest;
  prefer: ReadonlyMap<string, string>;
  /** Chaos decided to drop the connection once the answer is made (and stored, for a keyed request). */
  reset: boolean;
  body: unknown;
}

export interface EngineAnswer {
  response: RawResponse;
  record: RecordedRequest;
  /** Drop the connection instead of answering (chaos `reset`; not on an idempotent replay). */
  reset: boolean;
}

type Selected = Exclude<ReturnType<Responder['selectResponse']>, ProblemDetails>;

/**
 * The mock: the one request pipeline (templates/runtime/server-pipeline.ts) over an operation table built from the
 * IR, with handlers that answer from examples, seeded data or stateful collections, chaos before the idempotency
 * key is claimed, and refusals in the contract's declared error shape.
 */
export class MockEngine {
  readonly registry: ValidatorRegistry;
  readonly resolver: SchemaResolver;
  readonly responder: Responder;
  readonly idempotency: IdempotencyStore;
  /** Aborted by `close()`: pending chaos and Prefer delays end at once. */
  private readonly closing = new AbortController();
  private readonly stateful: StatefulStore | undefined;
  private readonly chaosRng: Rng;
  /** Rendered answers by everything that determines them (data is seeded, so equal keys give equal bytes). */
  private readonly rendered = new Map<string, MockResponse>();
  private readonly dispatch: Dispatch;
  private readonly operationOf: ReadonlyMap<RouteSpec, IrOperation>;
  private readonly states = new WeakMap<RawRequest, RequestState>();

  constructor(
    readonly ir: IrDocument,
    readonly options: EngineOptions,
  ) {
    this.registry = new ValidatorRegistry(ir);
    this.resolver = new SchemaResolver(ir.schemas);
    this.responder = new Responder(ir, this.registry, options.seed);
    const storeLimits = { ...(options.maxStoredItems === undefined ? {} : { maxItems: options.maxStoredItems }), ...(options.maxStoredBytes === undefined ? {} : { maxBytes: options.maxStoredBytes }), ...(options.onLog === undefined ? {} : { onLog: options.onLog }) };
    this.stateful = options.stateful ? new StatefulStore(ir, this.resolver, statefulHelpers(this.responder, options.seed), storeLimits) : undefined;
    this.chaosRng = createRng(options.seed ^ 0x5eed);
    this.idempotency = options.idempotencyStore ?? createMemoryIdempotencyStore({ maxKeys: options.maxIdempotencyKeys });
    const { routes, operationOf, basePaths } = buildMockRoutes(ir, this.registry);
    this.operationOf = operationOf;
    this.dispatch = createPipeline(routes, this.pipelineSettings(basePaths), {
      intercept: (call) => this.intercept(call),
      answer: (call) => this.answerCall(call),
      refuse: (details, headers, spec, raw) => this.refuse(details, headers, spec, raw),
    });
  }

  private pipelineSettings(basePaths: string[]): Parameters<typeof createPipeline>[1] {
    const { options } = this;
    const metrics = options.metrics;
    return {
      basePaths,
      validateRequests: options.validate,
      correlationHeader: CORRELATION_HEADER,
      limits: { ...(options.limits ?? DEFAULT_PARSE_LIMITS), maxBodyBytes: options.maxBodyBytes },
      formats: options.formats ?? 'outgoing',
      cors: options.cors,
      schemes: new Map(this.ir.securitySchemes.map((s): [string, ServerSecurityScheme] => [s.key, s])),
      verifiers: undefined,
      realm: 'concord-mock',
      emit: (event) => metrics?.observe(event),
      metrics,
      idempotency: { store: () => this.idempotency, ttlMs: options.idempotencyTtlMs, maxKeyLength: undefined },
      ignoreTrailingSlash: true,
      internalError: (error, _operationId, correlationId, instance) => {
        options.onLog?.(`concord mock: internal error (correlation id ${correlationId}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return problemRaw(internalErrorProblem(error, options.exposeErrors === true, instance, correlationId));
      },
    };
  }

  /** One request through the pipeline; `headers` (lower-case names) are what the record keeps. */
  async handle(raw: RawRequest, headers: Record<string, string>): Promise<EngineAnswer> {
    const q = raw.url.indexOf('?');
    const record: RecordedRequest = { method: raw.method, path: q === -1 ? raw.url : raw.url.slice(0, q), query: q === -1 ? '' : raw.url.slice(q + 1), headers, body: undefined, operationId: undefined, status: 0, correlationId: '', replayed: false, chaos: undefined };
    const state: RequestState = { record, prefer: NO_PREFERENCES, reset: false, body: undefined };
    this.states.set(raw, state);
    const response = await this.dispatch(raw);
    record.status = response.status;
    for (const [name, value] of response.headers) {
      if (name === CORRELATION_HEADER) record.correlationId = value;
      else if (value === 'true' && name.toLowerCase() === REPLAYED) record.replayed = true;
    }
    record.body = state.body !== undefined ? state.body : await bodyForRecord(raw, headers, this.options.maxBodyBytes);
    const reset = state.reset && !record.replayed;
    if (reset) record.chaos = 'reset';
    return { response, record, reset };
  }

  /** Pending chaos and Prefer delays end at once; called when the server shuts down. */
  close(): void {
    this.closing.abort();
  }

  private stateOf(call: { raw: RawRequest }): RequestState {
    const state = this.states.get(call.raw);
    if (state === undefined) throw new Error('A request reached the mock pipeline without its state');
    return state;
  }

  private operation(spec: RouteSpec): IrOperation {
    const operation = this.operationOf.get(spec);
    if (operation === undefined) throw new Error(`No operation for route ${spec.id}`);
    return operation;
  }

  /** A refusal answered the way the contract declares it (status and error schema), holding the real problem. */
  private refuse(details: ProblemDetails, headers: Array<[string, string]>, spec: RouteSpec, raw: RawRequest): RawResponse {
    const state = this.states.get(raw);
    if (state !== undefined) state.record.operationId = spec.id;
    const out = contractError({ responder: this.responder, resolver: this.resolver, seed: this.options.seed }, this.operation(spec), details, raw.header('accept'), Object.fromEntries(headers));
    return toRaw(out);
  }

  /**
   * Only a request that passed every check is delayed or answered with an injected fault (before its idempotency
   * key is claimed), so an unauthenticated or malformed request pins nothing.
   */
  private intercept(call: Call): RawResponse | undefined | Promise<RawResponse | undefined> {
    const state = this.stateOf(call);
    state.record.operationId = call.spec.id;
    state.body = call.input.body;
    const prefer = call.raw.header('prefer');
    if (prefer !== undefined) state.prefer = parsePrefer(prefer);
    // Without chaos or a delay nothing here waits: the request stays synchronous.
    if (this.options.chaos === undefined && !state.prefer.has('chaos') && this.options.delayMs <= 0) return undefined;
    return this.faultOrDelay(state, call.instance);
  }

  private async faultOrDelay(state: RequestState, instance: string): Promise<RawResponse | undefined> {
    const fault = await this.chaos(state, instance);
    if (fault !== undefined) return toRaw(fault);
    if (this.options.delayMs > 0) await sleep(this.options.delayMs, this.closing.signal);
    return undefined;
  }

  private answerCall(call: Call): Outcome {
    const state = this.stateOf(call);
    // Seeded by the path without the base path, so `/v1/pets/7` and `/pets/7` answer alike.
    const segments = splitPath(call.path);
    const out = this.produce(this.operation(call.spec), call, state.prefer, segments, `/${segments.join('/')}`);
    return { response: toRaw(out), failed: false };
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

  /** Chaos from the options or `Prefer: chaos=...`: latency, then an injected status, or a reset for later. */
  private async chaos(state: RequestState, pathname: string): Promise<MockResponse | undefined> {
    let chaos = this.options.chaos;
    const preferChaos = state.prefer.get('chaos');
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
      state.record.chaos = decision.status;
      const headers: Record<string, string> = decision.status === 429 || decision.status === 503 ? { 'retry-after': String(chaos.retryAfterSeconds) } : {};
      return problemOut(problem(decision.status, { type: PROBLEM_TYPES.injectedFault, detail: 'Fault injected by concord mock (chaos).', instance: pathname }), headers);
    }
    state.reset = decision.reset;
    return undefined;
  }

  private produce(operation: IrOperation, call: Call, prefer: ReadonlyMap<string, string>, segments: readonly string[], requestPath: string): MockResponse {
    const accept = call.raw.header('accept');
    const explicit = prefer.has('code') || prefer.has('example') || prefer.has('dynamic');
    if (this.stateful && !explicit) {
      const query = typeof call.input.query === 'object' && call.input.query !== null ? (call.input.query as Record<string, unknown>) : {};
      const result = this.stateful.handle(operation, segments, call.input.body, query);
      const deps = { responder: this.responder, resolver: this.resolver, answer: (op: IrOperation, selected: Selected) => this.answer(op, selected, accept, new Map(), requestPath) };
      const answered = statefulResponse(deps, operation, result, accept, requestPath, call.basePath, this.options.seed);
      if (answered !== undefined) return answered;
    }
    const selected = this.responder.selectResponse(operation, prefer.get('code'));
    if ('title' in selected) return problemOut({ ...selected, instance: requestPath });
    if (operation.stream) {
      const streamed = this.streamAnswer(operation, selected, call.raw, prefer, requestPath, this.chaosSpecOf(prefer));
      if (streamed) return streamed;
    }
    return this.answer(operation, selected, accept, prefer, requestPath);
  }

  /** A streaming answer when the negotiated media type streams (never cached: each one is consumed once). */
  private streamAnswer(operation: IrOperation, selected: Selected, raw: RawRequest, prefer: ReadonlyMap<string, string>, requestPath: string, chaos: ChaosSpec | undefined): MockResponse | undefined {
    const plan = this.responder.plan(operation, selected, raw.header('accept'));
    if ('title' in plan || plan.media?.stream === undefined || plan.contentType === undefined) return undefined;
    let stream;
    try {
      stream = planStream(prefer, raw.header('last-event-id'));
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
  answer(operation: IrOperation, selected: Selected, accept: string | undefined, prefer: ReadonlyMap<string, string>, requestPath: string): MockResponse {
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

  private render(operation: IrOperation, selected: Selected, accept: string | undefined, prefer: ReadonlyMap<string, string>, requestPath: string): MockResponse {
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

const encoder = new TextEncoder();

/** A stream of text chunks as bytes; an error in the chunks errors the stream (the connection drops). */
function byteStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done === true) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
    // Pulled only when the writer reads: an event is made when it is sent, so pacing delays are not absorbed.
  }, { highWaterMark: 0 });
}

/** The mock's answer in the pipeline's shape. */
export function toRaw(out: MockResponse): RawResponse {
  const headers = Object.entries(out.headers);
  if (out.stream !== undefined) return { status: out.status, headers, body: byteStream(out.stream) };
  return { status: out.status, headers, body: out.body ?? null };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A body the pipeline did not parse into a value (refused, or not declared), for `requests`: JSON, else text. */
async function bodyForRecord(raw: RawRequest, headers: Readonly<Record<string, string>>, limit: number): Promise<unknown> {
  const length = headers['content-length'];
  if ((length === undefined || length === '0') && headers['transfer-encoding'] === undefined) return undefined;
  let text: string;
  try {
    const bytes = await raw.body(limit);
    if (bytes.length === 0) return undefined;
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  if (!/json/i.test(headers['content-type'] ?? '')) return text;
  try {
    return parseJsonWithin(text, DEFAULT_PARSE_LIMITS);
  } catch {
    return text;
  }
}
