/**
 * The core every generated operation calls: validate the input, build the request (path, query, headers,
 * cookies, body), send it through the resilient layer (retries, idempotency keys, correlation, dead letters),
 * then decode and validate the response into a result discriminated by status. Features the contract may not use
 * (auth, files, event streams, tracing, Prometheus metrics) arrive as plug-ins from the generated client.
 */
import type {
  BodyEncoding,
  MediaSpec,
  SecurityRequirements,
  SharedOperationSpec,
  StreamSource,
  Validator,
} from './operation-spec.js';
import type { CallOptions, PreparedRequest, ValidateOption } from './call-loop.js';
import type { ClientPlugins, StreamedBody } from './plugins.js';
import { createResilientSend, type OperationMeta, type ResilienceConfig, type ResilientSend } from './resilience.js';
import {
  encodeBody,
  serializeCookie,
  serializeHeader,
  serializePath,
  serializeQuery,
  type ParamSpec,
} from './serialize.js';
import { ApiError, RequestValidationError, ResponseValidationError, toIssues } from './errors.js';
import { uuidv4 } from './encoding.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

export type { CallOptions, ValidateOption } from './call-loop.js';
export type { ClientPlugins } from './plugins.js';

/** The plug-ins of the core: the resilient layer's, plus event streams for streaming responses. */
export interface CorePlugins extends ClientPlugins {
  /** Turns a streaming response into an event stream. */
  openStream?: (source: StreamSource) => unknown;
}

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
type ToNumber<S> = S extends `${infer N extends number}` ? N : never;
/** Every status of a class as a literal union (`StatusInRange<4>` is 400 | 401 | ... | 499). */
export type StatusInRange<C extends 2 | 3 | 4 | 5> = ToNumber<`${C}${Digit}${Digit}`>;
/** Statuses a fetch response can carry that are not a success. */
export type ErrorStatus = StatusInRange<3 | 4 | 5>;
/** What a call resolves to: only the success variants when the client throws on errors. */
export type Returned<R, T extends boolean> = T extends true ? Extract<R, { ok: true }> : R;

export type { MediaSpec } from './operation-spec.js';

/** The shared operation description (operation-spec.ts) with what only the client reads; passed to `call`. */
export interface OperationSpec extends SharedOperationSpec<ParamSpec, MediaSpec> {
  readonly security: SecurityRequirements;
  readonly retry?: CallOptions['retry'];
  /** A broken stream reconnects with `Last-Event-ID` (`x-concord-resumable`). */
  readonly resumable?: boolean;
}

export interface OperationInput {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  cookies?: Record<string, unknown>;
  body?: unknown;
  contentType?: string;
}

export interface ClientOptions extends Omit<ResilienceConfig, 'plugins'> {
  baseUrl: string;
  /** Sent on every request; a function is called per request. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Validate requests before they leave and responses as they arrive (default true). */
  validate?: ValidateOption;
  /**
   * Where `format` (date-time, uri, ...) is checked: `outgoing` (default) on requests sent, not on responses
   * received (a format mismatch in an answer is not a reason to throw it away); `strict` both; `off` neither.
   */
  formats?: FormatPolicy;
  /** Throw `ApiError` on non-2xx instead of returning `{ ok: false }` (default false). */
  throwOnError?: boolean;
}

export interface ApiResult {
  ok: boolean;
  status: number;
  data?: unknown;
  error?: unknown;
  response: Response;
}

export interface Core {
  readonly options: ClientOptions;
  readonly resilience: ResilientSend;
  /**
   * `R`: the operation's result union, which the generated client names; the core builds it from the spec.
   * Unconstrained on purpose: an `extends ApiResult` bound made tsc relate every operation's result union to it
   * on each call in the generated client (~0.2 s of CPU per type-check of an OpenAI-size output).
   */
  call<R = ApiResult>(operation: OperationSpec, input?: OperationInput, options?: CallOptions): Promise<R>;
}

interface Flags {
  request: boolean;
  response: boolean;
}

function validationFlags(client: ValidateOption | undefined, call: ValidateOption | undefined): Flags {
  const read = (v: ValidateOption | undefined, key: 'request' | 'response'): boolean | undefined =>
    typeof v === 'boolean' ? v : v?.[key];
  return {
    request: read(call, 'request') ?? read(client, 'request') ?? true,
    response: read(call, 'response') ?? read(client, 'response') ?? true,
  };
}

/** Facts of an operation that never change between calls, computed on its first call. */
interface Compiled {
  readonly meta: OperationMeta;
  readonly accept: string;
  /** The header parameter that carries the idempotency key, when the contract declares one. */
  readonly keyParam: ParamSpec | undefined;
  /** The path template split at its parameters: literal text, then the parameter, alternately. */
  readonly pathParts: ReadonlyArray<string | ParamSpec>;
}

function pathParts(operation: OperationSpec): Array<string | ParamSpec> {
  const parts: Array<string | ParamSpec> = [];
  let rest = operation.path;
  for (let match = /\{([^}]+)\}/.exec(rest); match !== null; match = /\{([^}]+)\}/.exec(rest)) {
    const spec = operation.params.find((p) => p.in === 'path' && p.name === match?.[1]);
    parts.push(rest.slice(0, match.index), spec ?? match[0]);
    rest = rest.slice(match.index + match[0].length);
  }
  parts.push(rest);
  return parts;
}

const compiledOperations = new WeakMap<OperationSpec, Compiled>();
function compile(operation: OperationSpec): Compiled {
  let compiled = compiledOperations.get(operation);
  if (compiled !== undefined) return compiled;
  const { header } = operation.idempotency;
  const accept = new Set(Object.values(operation.responses).flatMap((list) => list.map((m) => m.mediaType)));
  compiled = {
    meta: {
      operationId: operation.id,
      method: operation.method,
      path: operation.path,
      idempotency: operation.idempotency,
      security: operation.security,
      ...(operation.retry === undefined || operation.retry === false ? {} : { retry: operation.retry }),
    },
    accept: [...accept].join(', '),
    keyParam: operation.params.find((p) => p.in === 'header' && p.name.toLowerCase() === header.toLowerCase()),
    pathParts: pathParts(operation),
  };
  compiledOperations.set(operation, compiled);
  return compiled;
}

/** Header value by case-insensitive name. */
function headerValue(headers: Record<string, unknown> | undefined, name: string): unknown {
  if (headers === undefined) return undefined;
  if (name in headers) return headers[name];
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * The idempotency key of a keyed call, decided once before validation: the caller's (`options.idempotencyKey`
 * or the declared header parameter; both given and different is an error, never a silent pick), else a new
 * UUID. It is written into the declared header parameter, so a contract that requires the header validates,
 * and passed on to the resilient layer, which sends the same key on every attempt.
 */
function withIdempotencyKey(
  operation: OperationSpec,
  declared: ParamSpec | undefined,
  input: OperationInput,
  options: CallOptions,
): { input: OperationInput; options: CallOptions } {
  const { mode, header } = operation.idempotency;
  if (mode !== 'keyed') return { input, options };
  const fromInput = declared ? headerValue(input.headers, declared.name) : undefined;
  const fromOptions = options.idempotencyKey;
  if (fromInput !== undefined && fromOptions !== undefined && String(fromInput) !== fromOptions) {
    throw new RequestValidationError(operation.id, 'headers', [
      {
        pointer: `/headers/${header.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `two different idempotency keys: options.idempotencyKey is ${JSON.stringify(fromOptions)} but the ${header} header is ${JSON.stringify(String(fromInput))}; pass one of them`,
      },
    ]);
  }
  const key = fromOptions ?? (fromInput === undefined ? uuidv4() : String(fromInput));
  const headers = declared ? { ...input.headers, [declared.name]: key } : input.headers;
  return {
    input: headers === undefined ? input : { ...input, headers },
    options: { ...options, idempotencyKey: key },
  };
}

/** Declared response for a status: exact code, then `4XX`-style range, then `default`. */
export function matchStatus<T>(
  responses: Readonly<Record<string, T>>,
  status: number,
): { key: string; value: T } | undefined {
  const exact = String(status);
  if (responses[exact] !== undefined) return { key: exact, value: responses[exact] };
  const range = `${exact[0]}XX`;
  if (responses[range] !== undefined) return { key: range, value: responses[range] };
  return responses['default'] === undefined ? undefined : { key: 'default', value: responses['default'] };
}

const baseType = (mediaType: string | null): string => (mediaType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * The declared media type a response matches: exact, then a `type/*` range, then `*\/*`. `declared` is false when
 * only a JSON-ish fallback matched (e.g. `application/problem+json` where the contract says `application/json`):
 * the body is decoded but not validated, since the contract does not describe it.
 */
function pickMedia(
  list: readonly MediaSpec[],
  contentType: string | null,
): { media: MediaSpec; declared: boolean } | undefined {
  const exact = contentType === null ? undefined : list.find((m) => m.mediaType === contentType);
  if (exact !== undefined) return { media: exact, declared: true };
  const base = baseType(contentType);
  const declared =
    list.find((m) => baseType(m.mediaType) === base) ??
    list.find((m) => m.mediaType.endsWith('/*') && base.startsWith(`${m.mediaType.toLowerCase().split('/')[0]}/`)) ??
    list.find((m) => m.mediaType === '*/*') ??
    (base === '' ? list[0] : undefined);
  if (declared) return { media: declared, declared: true };
  const fallback = list.find((m) => m.encoding === 'json' && base.endsWith('json'));
  return fallback ? { media: fallback, declared: false } : undefined;
}

const textEncoder = new TextEncoder();

/** A request ready for the resilient layer; `formData` for multipart, whose boundary only a Request computes. */
interface Built {
  prepared: PreparedRequest;
  formData: FormData | undefined;
  streamed: StreamedBody | undefined;
}

export function createCore(options: ClientOptions, plugins: CorePlugins = {}): Core {
  const resilience = createResilientSend({ ...options, plugins });
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const formats = options.formats ?? 'outgoing';
  const clientFlags = validationFlags(options.validate, undefined);

  async function call<R = ApiResult>(
    operation: OperationSpec,
    given: OperationInput = {},
    givenOptions: CallOptions = {},
  ): Promise<R> {
    const compiled = compile(operation);
    const { input, options: callOptions } = withIdempotencyKey(operation, compiled.keyParam, given, givenOptions);
    const flags =
      callOptions.validate === undefined ? clientFlags : validationFlags(options.validate, callOptions.validate);
    const media = operation.body.find((m) => m.mediaType === input.contentType) ?? operation.body[0];
    if (flags.request) validateRequest(operation, input, media);
    const built = await buildRequest(operation, compiled, input, media, callOptions);
    const request = built.formData === undefined ? built.prepared : toRequest(built.prepared, built.formData);
    const sendOptions =
      callOptions.retry === undefined && operation.retry !== undefined
        ? { ...callOptions, retry: operation.retry }
        : callOptions;
    const reconnect = reconnectOf(operation, built, compiled.meta, sendOptions);
    const response = await resilience.send(request, compiled.meta, sendOptions);
    const result = await decodeResponse(operation, response, flags.response, reconnect, callOptions.signal);
    if (!result.ok && options.throwOnError === true)
      throw new ApiError(operation.id, result.status, result.error, response);
    // The decoded result is the variant of `R` its status selects (validated unless validation is off).
    return result as R;
  }

  /** Path, query, headers and cookies from the input; the body encoded (or streamed by the files plug-in). */
  async function buildRequest(
    operation: OperationSpec,
    compiled: Compiled,
    input: OperationInput,
    media: MediaSpec | undefined,
    callOptions: CallOptions,
  ): Promise<Built> {
    const headers = new Headers(typeof options.headers === 'function' ? await options.headers() : options.headers);
    const { path, query } = serializeParams(operation, compiled, input, headers);
    if (callOptions.headers !== undefined)
      for (const [key, value] of Object.entries(callOptions.headers)) headers.set(key, value);
    if (compiled.accept !== '' && !headers.has('Accept')) headers.set('Accept', compiled.accept);
    const url = `${baseUrl}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
    const built: Built = {
      prepared: { method: operation.method, url, headers, body: null, fresh: true },
      formData: undefined,
      streamed: undefined,
    };
    if (input.body === undefined || media === undefined) return built;
    // Files and streams go out as they are read, unless a signature (HMAC) needs the whole body first.
    const streamed = resilience.signsBody(operation.security)
      ? undefined
      : plugins.files?.upload(media.encoding, media.mediaType, input.body, fieldText);
    if (streamed !== undefined) {
      if (streamed.contentType !== undefined) headers.set('Content-Type', streamed.contentType);
      built.prepared.stream = built.streamed = streamed.body;
      return built;
    }
    const encoded = encodeBody(media.encoding, media.mediaType, input.body);
    if (encoded.contentType !== undefined) headers.set('Content-Type', encoded.contentType);
    if (typeof encoded.body === 'string') built.prepared.body = textEncoder.encode(encoded.body).buffer as ArrayBuffer;
    else if (encoded.body instanceof FormData) built.formData = encoded.body;
    else built.prepared.body = await new Response(encoded.body).arrayBuffer();
    return built;
  }

  /** A resumable stream re-sends the same request with Last-Event-ID (a multipart or streamed body cannot be sent twice). */
  function reconnectOf(
    operation: OperationSpec,
    built: Built,
    meta: OperationMeta,
    sendOptions: CallOptions,
  ): StreamSource['reconnect'] {
    if (operation.resumable !== true || built.formData !== undefined || built.streamed !== undefined) return undefined;
    const { method, url, body } = built.prepared;
    // Copied before the first attempt writes its correlation and trace headers into the original.
    const headers = new Headers(built.prepared.headers);
    return (lastEventId) => {
      const again = new Headers(headers);
      again.set('Last-Event-ID', lastEventId);
      return resilience.send({ method, url, headers: again, body }, meta, sendOptions);
    };
  }

  function validateRequest(operation: OperationSpec, input: OperationInput, media: MediaSpec | undefined): void {
    const { schemas } = operation;
    if (schemas.path) check(operation, 'path', schemas.path, input.path ?? {});
    if (schemas.query) check(operation, 'query', schemas.query, input.query ?? {});
    if (schemas.header) check(operation, 'headers', schemas.header, input.headers ?? {});
    if (schemas.cookie) check(operation, 'cookies', schemas.cookie, input.cookies ?? {});
    const body =
      media && (input.body !== undefined || operation.bodyRequired) ? schemas.body?.[media.mediaType] : undefined;
    if (body) check(operation, 'body', body, input.body);
  }

  function check(operation: OperationSpec, where: string, schema: Validator, value: unknown): void {
    const parsed = withDirection('outgoing', formats, () => schema.safeParse(value));
    if (parsed.success) {
      resilience.reportValidation({ operationId: operation.id, direction: 'request', ok: true });
      return;
    }
    resilience.reportValidation({
      operationId: operation.id,
      direction: 'request',
      ok: false,
      issues: parsed.error.issues,
    });
    throw new RequestValidationError(operation.id, where, toIssues(parsed.error.issues, `/${where}`));
  }

  async function decodeResponse(
    operation: OperationSpec,
    response: Response,
    validate: boolean,
    reconnect: StreamSource['reconnect'],
    signal: AbortSignal | undefined,
  ): Promise<ApiResult> {
    const declared = matchStatus(operation.responses, response.status);
    const picked = declared ? pickMedia(declared.value, response.headers.get('content-type')) : undefined;
    const media = picked?.media;
    const schema =
      declared && media && picked.declared ? operation.schemas.responses[declared.key]?.[media.mediaType] : undefined;
    const empty = response.status === 204 || response.status === 304;
    let payload: unknown;
    let parsed = false;
    if (media?.stream !== undefined && plugins.openStream !== undefined && response.body !== null) {
      payload = plugins.openStream({
        operationId: operation.id,
        format: media.stream,
        response,
        ...(media.text === true ? { text: true } : {}),
        ...(validate && schema ? { check: eventCheck(operation.id, schema) } : {}),
        ...(reconnect ? { reconnect } : {}),
        ...(signal ? { signal } : {}),
      });
    } else if (media?.streaming === true) payload = response.body;
    else if (media?.encoding === 'binary' && !empty && plugins.files !== undefined)
      // Bytes are handed out unread: the caller streams them or reads them whole, so size never costs memory.
      payload = plugins.files.download(response, downloadProgress(operation, response));
    else {
      payload = await decodeResponseBody(response, media?.encoding);
      parsed = true;
    }
    if (validate && schema && parsed && !empty) payload = validateResponse(operation, response, schema, payload);
    const ok = response.status >= 200 && response.status < 300;
    return ok
      ? { ok, status: response.status, data: payload, response }
      : { ok, status: response.status, error: payload, response };
  }

  function validateResponse(
    operation: OperationSpec,
    response: Response,
    schema: Validator,
    payload: unknown,
  ): unknown {
    const parsed = withDirection('incoming', formats, () => schema.safeParse(payload));
    if (parsed.success) {
      resilience.reportValidation({
        operationId: operation.id,
        direction: 'response',
        ok: true,
        status: response.status,
      });
      return parsed.data;
    }
    const info = resilience.callInfo(response);
    resilience.reportValidation({
      operationId: operation.id,
      direction: 'response',
      ok: false,
      status: response.status,
      ...(info ? { correlationId: info.correlationId } : {}),
      issues: parsed.error.issues,
    });
    throw new ResponseValidationError(operation.id, response.status, toIssues(parsed.error.issues, ''), response);
  }

  function downloadProgress(
    operation: OperationSpec,
    response: Response,
  ): ((loaded: number, total: number | null) => void) | undefined {
    const emit = options.onEvent;
    if (emit === undefined) return undefined;
    const correlationId = resilience.callInfo(response)?.correlationId ?? '';
    return (loaded, total) =>
      emit({
        type: 'download-progress',
        at: Date.now(),
        correlationId,
        operationId: operation.id,
        loaded,
        total,
      });
  }

  function eventCheck(operationId: string, schema: Validator): NonNullable<StreamSource['check']> {
    return (data) => {
      const parsed = schema.safeParse(data);
      resilience.reportValidation({
        operationId,
        direction: 'response',
        ok: parsed.success,
        ...(parsed.success ? {} : { issues: parsed.error.issues }),
      });
      return parsed.success
        ? { ok: true, data: parsed.data }
        : { ok: false, issues: toIssues(parsed.error.issues, '') };
    };
  }

  return { options, resilience, call };
}

/** Path and query text from the input's parameters; header and cookie parameters go into `headers`. */
function serializeParams(
  operation: OperationSpec,
  compiled: Compiled,
  input: OperationInput,
  headers: Headers,
): { path: string; query: string[] } {
  let path = '';
  for (const part of compiled.pathParts)
    path += typeof part === 'string' ? part : serializePath(part, input.path?.[part.name]);
  const query: string[] = [];
  const cookies: string[] = [];
  for (const spec of operation.params) {
    if (spec.in === 'path') continue;
    if (spec.in === 'query') query.push(...serializeQuery(spec, input.query?.[spec.name]));
    else if (spec.in === 'header') {
      const text = serializeHeader(spec, input.headers?.[spec.name]);
      if (text !== undefined) headers.set(spec.name, text);
    } else {
      const text = serializeCookie(spec, input.cookies?.[spec.name]);
      if (text !== undefined) cookies.push(text);
    }
  }
  if (cookies.length > 0) headers.set('Cookie', [headers.get('Cookie'), ...cookies].filter((c) => c).join('; '));
  return { path, query };
}

/** Only multipart needs a Request (it computes the boundary); everything else goes out as prepared parts. */
function toRequest(prepared: PreparedRequest, formData: FormData): Request {
  return new Request(prepared.url, {
    method: prepared.method,
    headers: prepared.headers,
    body: formData,
  });
}

/**
 * A response body as the client hands it out: JSON parsed (an empty body is undefined, unparseable text stays
 * text), text as a string, anything else as a Blob. Without a declared encoding the Content-Type decides.
 */
const encodingOf = (contentType: string): BodyEncoding =>
  /json/i.test(contentType) ? 'json' : /^text\//i.test(contentType) ? 'text' : 'binary';

export async function decodeResponseBody(response: Response, declared: BodyEncoding | undefined): Promise<unknown> {
  if (response.status === 204 || response.status === 304 || response.body === null) return undefined;
  const encoding = declared ?? encodingOf(response.headers.get('content-type') ?? '');
  if (encoding === 'json') {
    const text = await response.text();
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (encoding === 'text' || encoding === 'form') return response.text();
  return response.blob();
}

/** A non-file multipart field as text: objects as JSON, dates as ISO strings. */
function fieldText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
