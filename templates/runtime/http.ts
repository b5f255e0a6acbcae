/**
 * The core every generated operation calls: validate the input, build the Request (path, query, headers,
 * cookies, body), send it through the resilient layer (retries, idempotency keys, correlation, auth, dead
 * letters), then decode and validate the response into a result discriminated by status.
 */
import type {
  BodyEncoding,
  IdempotencySpec,
  OperationSchemas,
  StreamFormat,
  StreamSource,
  Validator,
} from './operation-spec.js';
import {
  createResilientSend,
  type CallOptions as ResilientCallOptions,
  type ResilienceConfig,
  type ResilientSend,
} from './resilience.js';
import {
  encodeBody,
  serializeCookie,
  serializeHeader,
  serializePath,
  serializeQuery,
  type ParamSpec,
} from './serialize.js';
import { ApiError, RequestValidationError, ResponseValidationError, toIssues } from './errors.js';
import { BinaryBody, streamedUpload } from './body-stream.js';
import { uuidv4 } from './encoding.js';
import type { AuthConfig } from './auth.js';

export type { BasicCredentials, HmacCredentials, OAuth2ClientCredentials, SecretValue } from './auth.js';

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
type ToNumber<S> = S extends `${infer N extends number}` ? N : never;
/** Every status of a class as a literal union (`StatusInRange<4>` is 400 | 401 | ... | 499). */
export type StatusInRange<C extends 2 | 3 | 4 | 5> = ToNumber<`${C}${Digit}${Digit}`>;
/** Statuses a fetch response can carry that are not a success. */
export type ErrorStatus = StatusInRange<3 | 4 | 5>;
/** What a call resolves to: only the success variants when the client throws on errors. */
export type Returned<R, T extends boolean> = T extends true ? Extract<R, { ok: true }> : R;
import { withDirection, type FormatPolicy } from './zod-helpers.js';

export interface MediaSpec {
  readonly mediaType: string;
  readonly encoding: BodyEncoding;
  readonly streaming?: boolean;
  /** Streaming media: how events are framed; `text` keeps each event's data as text. */
  readonly stream?: StreamFormat;
  readonly text?: boolean;
}

/** What the generator knows about one operation; the generated client passes it to `call`. */
export interface OperationSpec {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly params: readonly ParamSpec[];
  readonly body: readonly MediaSpec[];
  readonly bodyRequired: boolean;
  readonly responses: Readonly<Record<string, readonly MediaSpec[]>>;
  readonly idempotency: IdempotencySpec;
  readonly security: ReadonlyArray<ReadonlyArray<{ readonly scheme: string; readonly scopes: readonly string[] }>>;
  readonly retry?: ResilientCallOptions['retry'];
  /** A broken stream reconnects with `Last-Event-ID` (`x-concord-resumable`). */
  readonly resumable?: boolean;
  readonly schemas: OperationSchemas;
}

/** Features a generated client passes in only when its contract uses them, so other clients do not carry them. */
export interface CoreFeatures {
  /** Turns a streaming response into an event stream (`stream.ts`). */
  openStream?: (source: StreamSource) => unknown;
}

export interface OperationInput {
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  cookies?: Record<string, unknown>;
  body?: unknown;
  contentType?: string;
}

export type ValidateOption = boolean | { request?: boolean; response?: boolean };

export interface ClientOptions extends Omit<ResilienceConfig, 'securitySchemes' | 'auth'> {
  /** Credentials keyed by the contract's security scheme names (the generated client types the keys). */
  auth?: AuthConfig;
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

export interface CallOptions extends ResilientCallOptions {
  validate?: ValidateOption;
  headers?: Record<string, string>;
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

function validationFlags(
  client: ValidateOption | undefined,
  call: ValidateOption | undefined,
): { request: boolean; response: boolean } {
  const read = (v: ValidateOption | undefined, key: 'request' | 'response'): boolean | undefined =>
    typeof v === 'boolean' ? v : v?.[key];
  return {
    request: read(call, 'request') ?? read(client, 'request') ?? true,
    response: read(call, 'response') ?? read(client, 'response') ?? true,
  };
}

/** Header value by case-insensitive name. */
function headerValue(headers: Record<string, unknown> | undefined, name: string): unknown {
  if (headers === undefined) return undefined;
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
  input: OperationInput,
  callOptions: CallOptions,
): { input: OperationInput; callOptions: CallOptions } {
  const { mode, header } = operation.idempotency;
  if (mode !== 'keyed') return { input, callOptions };
  const declared = operation.params.find((p) => p.in === 'header' && p.name.toLowerCase() === header.toLowerCase());
  const fromInput = declared ? headerValue(input.headers, declared.name) : undefined;
  const fromOptions = callOptions.idempotencyKey;
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
    callOptions: { ...callOptions, idempotencyKey: key },
  };
}

/** Declared response for a status: exact code, then `4XX`-style range, then `default`. */
export function matchStatus<T>(
  responses: Readonly<Record<string, T>>,
  status: number,
): { key: string; value: T } | undefined {
  for (const key of [String(status), `${String(status)[0]}XX`, 'default']) {
    const value = responses[key];
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/**
 * The declared media type a response matches: exact, then a `type/*` range, then `*\/*`. `declared` is false when
 * only a JSON-ish fallback matched (e.g. `application/problem+json` where the contract says `application/json`):
 * the body is decoded but not validated, since the contract does not describe it.
 */
function pickMedia(
  list: readonly MediaSpec[],
  contentType: string | null,
): { media: MediaSpec; declared: boolean } | undefined {
  const base = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const declared =
    list.find((m) => m.mediaType.split(';')[0]?.trim().toLowerCase() === base) ??
    list.find((m) => {
      const [type] = m.mediaType.toLowerCase().split('/');
      return m.mediaType.endsWith('/*') && base.startsWith(`${type}/`);
    }) ??
    list.find((m) => m.mediaType === '*/*') ??
    (base === '' ? list[0] : undefined);
  if (declared) return { media: declared, declared: true };
  const fallback = list.find((m) => m.encoding === 'json' && base.endsWith('json'));
  return fallback ? { media: fallback, declared: false } : undefined;
}

const textEncoder = new TextEncoder();

// The Accept header is a fact of the operation, not of the call: computed once per operation.
const acceptCache = new WeakMap<OperationSpec, string>();
function acceptOf(operation: OperationSpec): string {
  let accept = acceptCache.get(operation);
  if (accept === undefined) {
    accept = [...new Set(Object.values(operation.responses).flatMap((list) => list.map((m) => m.mediaType)))].join(
      ', ',
    );
    acceptCache.set(operation, accept);
  }
  return accept;
}

export function createCore(
  options: ClientOptions,
  securitySchemes: ResilienceConfig['securitySchemes'] = [],
  features: CoreFeatures = {},
): Core {
  const resilience = createResilientSend({ ...options, securitySchemes });
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const formats = options.formats ?? 'outgoing';

  async function call<R = ApiResult>(
    operation: OperationSpec,
    given: OperationInput = {},
    givenOptions: CallOptions = {},
  ): Promise<R> {
    const { input, callOptions } = withIdempotencyKey(operation, given, givenOptions);
    const flags = validationFlags(options.validate, callOptions.validate);
    const media = operation.body.find((m) => m.mediaType === input.contentType) ?? operation.body[0];
    if (flags.request) validateRequest(operation, input, media);

    let path = '';
    const query: string[] = [];
    const headers = new Headers(typeof options.headers === 'function' ? await options.headers() : options.headers);
    const cookies: string[] = [];
    const values: Record<string, Record<string, unknown> | undefined> = {
      path: input.path,
      query: input.query,
      header: input.headers,
      cookie: input.cookies,
    };
    const pathValues = new Map<string, string>();
    for (const spec of operation.params) {
      const value = values[spec.in]?.[spec.name];
      if (spec.in === 'path') pathValues.set(spec.name, serializePath(spec, value));
      else if (spec.in === 'query') query.push(...serializeQuery(spec, value));
      else if (spec.in === 'header') {
        const text = serializeHeader(spec, value);
        if (text !== undefined) headers.set(spec.name, text);
      } else {
        const text = serializeCookie(spec, value);
        if (text !== undefined) cookies.push(text);
      }
    }
    path = operation.path.replace(/\{([^}]+)\}/g, (whole, name: string) => pathValues.get(name) ?? whole);
    if (cookies.length > 0) headers.set('Cookie', [headers.get('Cookie'), ...cookies].filter((c) => c).join('; '));
    for (const [key, value] of Object.entries(callOptions.headers ?? {})) headers.set(key, value);
    const accept = acceptOf(operation);
    if (accept !== '' && !headers.has('Accept')) headers.set('Accept', accept);

    let body: ArrayBuffer | null = null;
    let formData: FormData | undefined;
    // Files and streams go out as they are read, unless a signature (HMAC) needs the whole body first.
    const streamed =
      input.body !== undefined && media && !signsBody(operation)
        ? streamedUpload(media.encoding, media.mediaType, input.body, fieldText)
        : undefined;
    if (streamed !== undefined) {
      if (streamed.contentType !== undefined) headers.set('Content-Type', streamed.contentType);
    } else if (input.body !== undefined && media) {
      const encoded = encodeBody(media.encoding, media.mediaType, input.body);
      if (encoded.contentType !== undefined) headers.set('Content-Type', encoded.contentType);
      if (typeof encoded.body === 'string') body = textEncoder.encode(encoded.body).buffer as ArrayBuffer;
      else if (encoded.body instanceof FormData) formData = encoded.body;
      else body = await new Response(encoded.body).arrayBuffer();
    }
    const url = `${baseUrl}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
    // Only multipart needs a Request (it computes the boundary); everything else goes out as prepared parts.
    const request =
      formData === undefined
        ? { method: operation.method, url, headers, body, ...(streamed === undefined ? {} : { stream: streamed.body }) }
        : new Request(url, { method: operation.method, headers, body: formData });
    const sendOptions: ResilientCallOptions = { ...callOptions };
    if (sendOptions.retry === undefined && operation.retry !== undefined) sendOptions.retry = operation.retry;
    const meta = {
      operationId: operation.id,
      method: operation.method,
      path: operation.path,
      idempotency: operation.idempotency,
      security: operation.security.map((alt) => alt.map((s) => ({ scheme: s.scheme, scopes: [...s.scopes] }))),
      ...(operation.retry === undefined || operation.retry === false ? {} : { retry: operation.retry }),
    };
    const response = await resilience.send(request, meta, sendOptions);
    // A resumable stream re-sends the same request with Last-Event-ID (a multipart body cannot be sent twice).
    const reconnect =
      operation.resumable === true && formData === undefined && streamed === undefined
        ? (lastEventId: string) => {
            const again = new Headers(headers);
            again.set('Last-Event-ID', lastEventId);
            return resilience.send({ method: operation.method, url, headers: again, body }, meta, sendOptions);
          }
        : undefined;
    const result = await decodeResponse(operation, response, flags.response, { reconnect, signal: callOptions.signal });
    if (!result.ok && options.throwOnError === true)
      throw new ApiError(operation.id, result.status, result.error, response);
    // The decoded result is the variant of `R` its status selects (validated unless validation is off).
    return result as R;
  }

  function validateRequest(operation: OperationSpec, input: OperationInput, media: MediaSpec | undefined): void {
    const checks: Array<[string, Validator | undefined, unknown]> = [
      ['path', operation.schemas.path, input.path ?? {}],
      ['query', operation.schemas.query, input.query ?? {}],
      ['headers', operation.schemas.header, input.headers ?? {}],
      ['cookies', operation.schemas.cookie, input.cookies ?? {}],
    ];
    if (media && (input.body !== undefined || operation.bodyRequired))
      checks.push(['body', operation.schemas.body?.[media.mediaType], input.body]);
    for (const [where, schema, value] of checks) {
      if (!schema) continue;
      const parsed = withDirection('outgoing', formats, () => schema.safeParse(value));
      resilience.reportValidation({
        operationId: operation.id,
        direction: 'request',
        ok: parsed.success,
        ...(parsed.success ? {} : { issues: parsed.error.issues }),
      });
      if (!parsed.success)
        throw new RequestValidationError(operation.id, where, toIssues(parsed.error.issues, `/${where}`));
    }
  }

  async function decodeResponse(
    operation: OperationSpec,
    response: Response,
    validate: boolean,
    stream: { reconnect: StreamSource['reconnect'] | undefined; signal: AbortSignal | undefined } = {
      reconnect: undefined,
      signal: undefined,
    },
  ): Promise<ApiResult> {
    const declared = matchStatus(operation.responses, response.status);
    const picked = declared ? pickMedia(declared.value, response.headers.get('content-type')) : undefined;
    const media = picked?.media;
    const schema = declared && media ? operation.schemas.responses[declared.key]?.[media.mediaType] : undefined;
    let payload: unknown;
    if (media?.stream !== undefined && features.openStream !== undefined && response.body !== null) {
      payload = features.openStream({
        operationId: operation.id,
        format: media.stream,
        response,
        ...(media.text === true ? { text: true } : {}),
        ...(validate && schema && picked?.declared === true ? { check: eventCheck(operation.id, schema) } : {}),
        ...(stream.reconnect ? { reconnect: stream.reconnect } : {}),
        ...(stream.signal ? { signal: stream.signal } : {}),
      });
    } else if (media?.streaming === true) payload = response.body;
    else if (media?.encoding === 'binary' && response.status !== 204 && response.status !== 304) {
      // Bytes are handed out unread: the caller streams them or reads them whole, so size never costs memory.
      const info = resilience.callInfo(response);
      const emit = options.onEvent;
      payload = new BinaryBody(
        response,
        emit === undefined
          ? undefined
          : (loaded, total) =>
              emit({
                type: 'download-progress',
                at: Date.now(),
                correlationId: info?.correlationId ?? '',
                operationId: operation.id,
                loaded,
                total,
              }),
      );
    } else payload = await decodeResponseBody(response, media?.encoding);
    if (
      validate &&
      schema &&
      picked?.declared === true &&
      media?.streaming !== true &&
      !(payload instanceof BinaryBody) &&
      response.status !== 204 &&
      response.status !== 304
    ) {
      const parsed = withDirection('incoming', formats, () => schema.safeParse(payload));
      const info = resilience.callInfo(response);
      resilience.reportValidation({
        operationId: operation.id,
        direction: 'response',
        ok: parsed.success,
        status: response.status,
        ...(info ? { correlationId: info.correlationId } : {}),
        ...(parsed.success ? {} : { issues: parsed.error.issues }),
      });
      if (!parsed.success)
        throw new ResponseValidationError(operation.id, response.status, toIssues(parsed.error.issues, ''), response);
      payload = parsed.data;
    }
    const ok = response.status >= 200 && response.status < 300;
    return ok
      ? { ok, status: response.status, data: payload, response }
      : { ok, status: response.status, error: payload, response };
  }

  const hmacSchemes = new Set(securitySchemes.filter((scheme) => scheme.kind === 'hmac').map((scheme) => scheme.key));
  function signsBody(operation: OperationSpec): boolean {
    return hmacSchemes.size > 0 && operation.security.some((alt) => alt.some((s) => hmacSchemes.has(s.scheme)));
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

/**
 * A response body as the client hands it out: JSON parsed (an empty body is undefined, unparseable text stays
 * text), text as a string, anything else as a Blob. Without a declared encoding the Content-Type decides.
 */
export async function decodeResponseBody(response: Response, declared: BodyEncoding | undefined): Promise<unknown> {
  if (response.status === 204 || response.status === 304 || response.body === null) return undefined;
  const contentType = response.headers.get('content-type') ?? '';
  const encoding = declared ?? (/json/i.test(contentType) ? 'json' : /^text\//i.test(contentType) ? 'text' : 'binary');
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
