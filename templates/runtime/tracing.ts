/**
 * OpenTelemetry tracing through `@opentelemetry/api` as an optional peer: looked up once at run time and a no-op
 * when it is not installed (or when no SDK is registered, which the API itself turns into non-recording spans).
 * The API is described structurally here so generated code compiles without the package.
 *
 * Client: one CLIENT span per call, an `attempt` event per attempt, the span's context sent as `traceparent`.
 * Server: one SERVER span per request, a child of the `traceparent` it received. Attributes follow the HTTP
 * semantic conventions (`http.request.method`, `url.full`, `server.address`, `http.response.status_code`, ...).
 */
import { parseTraceparent } from './correlation.js';
import type { ResilienceEvent } from './resilience-events.js';

type Attributes = Record<string, string | number | boolean>;

export interface OtelSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
}
export interface OtelSpan {
  spanContext(): OtelSpanContext;
  isRecording(): boolean;
  setAttribute(key: string, value: string | number | boolean): unknown;
  addEvent(name: string, attributes?: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}
export interface OtelTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: Attributes }, context?: unknown): OtelSpan;
}
/** The parts of `@opentelemetry/api` used here. */
export interface OtelApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: unknown, span: OtelSpan): unknown;
    setSpanContext(context: unknown, spanContext: OtelSpanContext): unknown;
  };
  context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
}

const SPAN_KIND = { SERVER: 1, CLIENT: 2 } as const;
const STATUS_ERROR = 2;
const TRACER_NAME = 'concord';

let loading: Promise<OtelApi | undefined> | undefined;
const tracers = new WeakMap<OtelApi, OtelTracer>();

function tracerOf(api: OtelApi): OtelTracer {
  let tracer = tracers.get(api);
  if (tracer === undefined) {
    // The API's tracer delegates to whatever provider is registered, also one registered later.
    tracer = api.trace.getTracer(TRACER_NAME);
    tracers.set(api, tracer);
  }
  return tracer;
}

function isOtelApi(value: unknown): value is OtelApi {
  if (typeof value !== 'object' || value === null) return false;
  const trace: unknown = Reflect.get(value, 'trace');
  const context: unknown = Reflect.get(value, 'context');
  return (
    typeof trace === 'object' &&
    trace !== null &&
    typeof Reflect.get(trace, 'getTracer') === 'function' &&
    typeof context === 'object' &&
    context !== null &&
    typeof Reflect.get(context, 'with') === 'function'
  );
}

/** `@opentelemetry/api` if the application has it, else undefined; imported once. */
export function loadOpenTelemetry(): Promise<OtelApi | undefined> {
  // A specifier in a variable: bundlers and TypeScript leave the optional peer alone.
  const specifier = '@opentelemetry/api';
  loading ??= import(/* @vite-ignore */ specifier).then(
    (module: unknown) => (isOtelApi(module) ? module : undefined),
    () => undefined,
  );
  return loading;
}

export type TracingOption = OtelApi | boolean | undefined;

/** `true`/undefined: use the installed API if any; `false`: off; an API object: that one. */
export async function resolveTracing(option: TracingOption): Promise<OtelApi | undefined> {
  if (option === false) return undefined;
  if (option === true || option === undefined) return loadOpenTelemetry();
  return option;
}

export interface ClientCallSpan {
  /** For the call's `traceparent`: the span's ids, so the server's span is its child. */
  readonly traceparent: string;
  /** False without a registered SDK or when sampled out: then events are not worth building. */
  readonly recording: boolean;
  observe(event: ResilienceEvent): void;
  end(response: Response | undefined, error?: unknown): void;
}

function parentContext(api: OtelApi, traceparent: string | null | undefined): unknown {
  const inbound = parseTraceparent(traceparent);
  if (inbound === undefined) return api.context.active();
  return api.trace.setSpanContext(api.context.active(), {
    traceId: inbound.traceId,
    spanId: inbound.parentId,
    traceFlags: inbound.flags === '01' ? 1 : 0,
    isRemote: true,
  });
}

export function startClientSpan(
  api: OtelApi,
  operationId: string,
  method: string,
  url: string,
  traceparent?: string | null,
): ClientCallSpan {
  const verb = method.toUpperCase();
  const span = tracerOf(api).startSpan(verb, { kind: SPAN_KIND.CLIENT }, parentContext(api, traceparent));
  const recording = span.isRecording();
  if (recording) {
    const parsed = new URL(url);
    span.setAttribute('http.request.method', verb);
    span.setAttribute('server.address', parsed.hostname);
    span.setAttribute('server.port', Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)));
    // Without the query: it may carry credentials, and it is not part of the operation.
    span.setAttribute('url.full', `${parsed.origin}${parsed.pathname}`);
    span.setAttribute('concord.operation_id', operationId);
  }
  const ids = span.spanContext();
  const flags = (ids.traceFlags & 1) === 1 ? '01' : '00';
  return {
    traceparent: `00-${ids.traceId}-${ids.spanId}-${flags}`,
    recording,
    observe(event) {
      if (event.type === 'request') span.addEvent('attempt', { 'http.request.resend_count': event.attempt - 1 });
      else if (event.type === 'response')
        span.addEvent('attempt.response', { 'http.response.status_code': event.status, attempt: event.attempt });
      else if (event.type === 'attempt-failed')
        span.addEvent('attempt.failed', { 'error.type': event.code ?? event.failure, attempt: event.attempt });
      else if (event.type === 'retry-scheduled')
        span.addEvent('retry', { delay_ms: event.delayMs, reason: event.reason });
      else if (event.type === 'dead-lettered')
        span.addEvent('dead-lettered', { 'concord.dead_letter.id': event.recordId });
    },
    end(response, error) {
      if (response !== undefined) {
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) span.setAttribute('error.type', String(response.status));
        if (response.status >= 500) span.setStatus({ code: STATUS_ERROR });
      } else {
        const type = error instanceof Error ? error.name : 'error';
        span.setAttribute('error.type', type);
        span.setStatus({ code: STATUS_ERROR, message: error instanceof Error ? error.message : String(error) });
      }
      span.end();
    },
  };
}

export interface TraceHandlerOptions {
  /** Default: the installed `@opentelemetry/api`, if any. */
  api?: TracingOption;
  /** Low-cardinality route of a request (e.g. the contract's path template), for `http.route` and the span name. */
  route?: (request: Request) => string | undefined;
}

/** Wraps a web-standard handler (the generated router, a webhook receiver) in a SERVER span per request. */
export function traceFetchHandler(
  handler: (request: Request) => Promise<Response>,
  options: TraceHandlerOptions = {},
): (request: Request) => Promise<Response> {
  const resolved = resolveTracing(options.api);
  return async (request) => {
    const api = await resolved;
    if (api === undefined) return handler(request);
    const url = new URL(request.url);
    const route = options.route?.(request);
    const parent = parentContext(api, request.headers.get('traceparent'));
    const span = tracerOf(api).startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SPAN_KIND.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': url.pathname,
          'url.scheme': url.protocol.replace(':', ''),
          ...(route === undefined ? {} : { 'http.route': route }),
        },
      },
      parent,
    );
    try {
      const response = await api.context.with(api.trace.setSpan(parent, span), () => handler(request));
      span.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) {
        span.setAttribute('error.type', String(response.status));
        span.setStatus({ code: STATUS_ERROR });
      }
      return response;
    } catch (error) {
      span.setAttribute('error.type', error instanceof Error ? error.name : 'error');
      span.setStatus({ code: STATUS_ERROR });
      throw error;
    } finally {
      span.end();
    }
  };
}
