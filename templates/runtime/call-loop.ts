/**
 * One logical call: attempts, retry decisions, waits, and parking in the dead-letter store. Everything it needs
 * arrives in `LoopDeps`, built once per client by `createResilientSend`; each call is a `Call`, whose methods are
 * the steps of the loop in `runCall`.
 */
import type { AppliedAuth, AttemptParts, AuthLayer, FilePlugin, SecurityRequirement, StreamedBody } from './plugins.js';
import { attemptInit, describe, discard, isAborted, linkSignal, type LinkedSignal } from './call-attempt.js';
import {
  formatTraceparent,
  newCorrelationId,
  newParentId,
  newTraceId,
  parseTraceparent,
  type AmbientCorrelationSource,
} from './correlation.js';
import type { DeadLetterRecord, DeadLetterStore } from './dead-letter.js';
import { bytesToBase64, strictUtf8, uuidv4 } from './encoding.js';
import type { Redactor } from './redact.js';
import { AuthError, CallFailedError, DeadLetteredError, type CallErrorContext } from './resilience-errors.js';
import type { FailureKind, GiveUpReason, ResilienceEvent } from './resilience-events.js';
import {
  errorCodes,
  parseRetryHint,
  resolveRetryPolicy,
  responseWantsRetry,
  retryDelay,
  type IdempotencyMode,
  type RetryHint,
  type RetryPolicy,
} from './retry-policy.js';

/** `globalThis.fetch` fits. Attempts are sent as `fetch(url, init)`: undici sends a buffered body much faster that way than from a Request. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
export type DeadLetterPolicy = 'on-exhaustion' | 'always' | 'never';

export interface CallMeta {
  operationId: string;
  idempotency: { mode: IdempotencyMode; header: string; required: boolean };
  security: readonly SecurityRequirement[];
  retry?: Partial<RetryPolicy>;
}

export type ValidateOption = boolean | { request?: boolean; response?: boolean };

/** The options of one call. */
export interface CallOptions {
  /** Stops the call, its retries and waits. A signal set on a Request itself is not followed: pass it here. */
  signal?: AbortSignal;
  /** Per attempt, until response headers arrive. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy> | false;
  /** For keyed operations: a business key; otherwise a UUID v4 is made. Reused on every attempt. */
  idempotencyKey?: string;
  correlationId?: string;
  deadLetter?: DeadLetterPolicy;
  /** Allow retrying a mode-`none` call even when the request may have reached the server. */
  retryUnsafe?: boolean;
  /** Overrides the client's `validate` for this call. */
  validate?: ValidateOption;
  /** Sent with this call only. */
  headers?: Record<string, string>;
}

export interface CallInfo {
  correlationId: string;
  operationId: string;
  traceId: string;
  idempotencyKey: string | null;
  attempts: number;
}

const CALL_INFO = Symbol('concord.callInfo');

/** Attached to each response the loop hands out; `readCallInfo` turns it into a `CallInfo`. */
class CallInfoBox {
  constructor(
    readonly base: { correlationId: string; operationId: string },
    readonly traceId: string,
    readonly idempotencyKey: string | null,
    readonly attempts: number,
  ) {}
}

export function readCallInfo(response: Response): CallInfo | undefined {
  const value: unknown = Reflect.get(response, CALL_INFO);
  if (!(value instanceof CallInfoBox)) return undefined;
  const { base, traceId, idempotencyKey, attempts } = value;
  return { ...base, traceId, idempotencyKey, attempts };
}

export interface Counters {
  requests: number;
  attempts: number;
  retries: number;
  gaveUp: number;
  deadLettered: number;
  validations: number;
  validationRejections: number;
}

export interface LoopDeps {
  fetch: FetchLike;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  policy: Readonly<RetryPolicy>;
  timeoutMs: number | undefined;
  correlationHeader: string;
  idempotencyHeader: string;
  traceparent: boolean;
  /** A tracing span's id (tracing plug-in): every attempt's `traceparent` names it as parent instead of a fresh id. */
  parentSpanId?: string;
  /** False when no observer needs `request` events (metrics alone do not): building one redacts the URL. */
  requestEvents?: boolean;
  ambient: AmbientCorrelationSource | undefined;
  emit: ((event: ResilienceEvent) => void) | undefined;
  auth: AuthLayer | undefined;
  /** Streamed request bodies (the files plug-in). */
  files?: FilePlugin | undefined;
  redactor: Redactor;
  store: DeadLetterStore | undefined;
  deadLetterPolicy: DeadLetterPolicy;
  neverSent: (error: unknown) => boolean;
  counters: Counters;
}

interface Failure {
  kind: FailureKind;
  code: string | null;
  message: string;
  neverSent: boolean;
}

/**
 * A request already in the shape attempts are sent in. The generated client passes this instead of a `Request`:
 * building a `Request` and reading its body back costs more than the rest of the wrapper together.
 */
export interface PreparedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: ArrayBuffer | null;
  /**
   * A body sent as it is read instead of `body` (files, streams). Not parked in a dead-letter store, and a
   * ReadableStream is sent once: no retry after it has gone out.
   */
  stream?: StreamedBody;
  /** The headers belong to this call (the client core built them): the first attempt writes into them, uncopied. */
  fresh?: boolean;
}

/** The event whose `type` may be `T` (a progress event has two types). */
type EventOf<T> = ResilienceEvent extends infer E
  ? E extends { type: infer K }
    ? T extends K
      ? E
      : never
    : never
  : never;

/** What one attempt came to, and what the loop does next. */
type Decision =
  | { kind: 'done'; response: Response }
  | { kind: 'resend' }
  | {
      kind: 'retry';
      response: Response | undefined;
      failure: Failure | undefined;
      hint: RetryHint | undefined;
    };

interface Sent {
  response: Response | undefined;
  failure: Failure | undefined;
  link: LinkedSignal;
  sentAt: number;
}

/** The loop: attempt, decide, wait. Each step is a method of `Call`. */
export async function runCall(
  deps: LoopDeps,
  input: Request | PreparedRequest,
  meta: CallMeta,
  options: CallOptions,
): Promise<Response> {
  const original = input instanceof Request ? input : undefined;
  const call = new Call(
    deps,
    original === undefined ? (input as PreparedRequest) : await buffered(original),
    original,
    meta,
    options,
  );
  for (;;) {
    if (isAborted(options.signal)) throw call.aborted();
    const applied = await call.startAttempt();
    const sent = await call.send();
    const decision = sent.response !== undefined ? await call.onResponse(sent, applied) : await call.onFailure(sent);
    if (decision.kind === 'done') return decision.response;
    if (decision.kind === 'resend') continue;
    const stop = await call.waitForRetry(decision, sent.link);
    if (stop !== undefined) return stop;
  }
}

/** A `Request` read once into the shape attempts are sent in, so every attempt sends the same bytes. */
async function buffered(request: Request): Promise<PreparedRequest> {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body === null ? null : await request.arrayBuffer(),
  };
}

class Call {
  readonly started: number;
  readonly policy: Readonly<RetryPolicy>;
  readonly mode: IdempotencyMode;
  /** Mode `none` without `retryUnsafe`: retried only when the request provably never reached the server. */
  readonly unsafe: boolean;
  readonly correlationId: string;
  readonly traceId: string;
  readonly flags: string;
  readonly keyHeader: string;
  readonly idempotencyKey: string | null;
  readonly base: { correlationId: string; operationId: string };
  readonly deadLetterPolicy: DeadLetterPolicy;
  readonly streamed: StreamedBody | undefined;
  /** A ReadableStream body is sent once: no retry after it has gone out. */
  readonly oneShot: boolean;
  attempts = 0;
  budgetUsed = 0;
  retries = 0;
  authResent = false;
  lastStatus: number | null = null;
  lastFailure: Failure | undefined;
  lastParts: AttemptParts;
  lastAttemptAt: number;
  traceparent: string | null = null;

  constructor(
    readonly deps: LoopDeps,
    readonly request: PreparedRequest,
    readonly original: Request | undefined,
    readonly meta: CallMeta,
    readonly options: CallOptions,
  ) {
    const headers = request.headers;
    this.started = deps.now();
    deps.counters.requests++;
    this.policy =
      meta.retry === undefined && options.retry === undefined
        ? deps.policy
        : resolveRetryPolicy(deps.policy, meta.retry, options.retry);
    this.mode = meta.idempotency.mode;
    this.unsafe = this.mode === 'none' && options.retryUnsafe !== true;
    this.correlationId =
      options.correlationId ?? headers.get(deps.correlationHeader) ?? deps.ambient?.() ?? newCorrelationId();
    const inbound = parseTraceparent(headers.get('traceparent'));
    this.traceId = inbound?.traceId ?? newTraceId();
    this.flags = inbound?.flags ?? '01';
    this.keyHeader = meta.idempotency.header !== '' ? meta.idempotency.header : deps.idempotencyHeader;
    this.idempotencyKey =
      options.idempotencyKey ?? headers.get(this.keyHeader) ?? (this.mode === 'keyed' ? uuidv4() : null);
    this.base = {
      correlationId: this.correlationId,
      operationId: meta.operationId,
    };
    this.deadLetterPolicy = options.deadLetter ?? deps.deadLetterPolicy;
    this.streamed = original === undefined ? request.stream : undefined;
    this.oneShot = this.streamed instanceof ReadableStream;
    this.lastParts = {
      method: request.method,
      url: request.url,
      headers,
      body: request.body,
    };
    this.lastAttemptAt = this.started;
  }

  /** An event for the observers, if any; `at`, correlation and operation ids are added here. */
  note<T extends ResilienceEvent['type']>(
    type: T,
    fields: Omit<EventOf<T>, 'type' | 'at' | 'correlationId' | 'operationId'>,
  ): void {
    const sink = this.deps.emit;
    if (sink === undefined) return;
    try {
      sink({ type, at: this.deps.now(), ...this.base, ...fields } as unknown as ResilienceEvent);
    } catch {
      // A failing observer must not change the outcome of the call.
    }
  }

  context(): CallErrorContext {
    const url = this.deps.redactor.url(this.lastParts.url).url;
    return {
      ...this.base,
      method: this.request.method,
      url,
      attempts: this.attempts,
    };
  }

  aborted(): CallFailedError {
    return new CallFailedError('aborted', 'aborted by the caller', this.context());
  }

  /** The response handed out, carrying the call's correlation facts for `callInfo`. */
  withInfo(response: Response): Response {
    // A symbol property: not enumerable by JSON or Object.keys, and much cheaper than a WeakMap entry (which made
    // garbage collection measurably slower) or Object.defineProperty.
    Reflect.set(response, CALL_INFO, new CallInfoBox(this.base, this.traceId, this.idempotencyKey, this.attempts));
    return response;
  }

  /** The next attempt's parts: fresh headers with correlation, trace and key, then credentials. */
  async startAttempt(): Promise<AppliedAuth | undefined> {
    const { deps, request } = this;
    this.attempts++;
    this.budgetUsed++;
    deps.counters.attempts++;
    // Later attempts (and any with auth, which must not see an earlier attempt's credentials) start from a copy.
    const reuse = request.fresh === true && this.attempts === 1 && deps.auth === undefined;
    const headers = reuse ? request.headers : new Headers(request.headers);
    const parts: AttemptParts = { method: request.method, url: request.url, headers, body: request.body };
    parts.headers.set(deps.correlationHeader, this.correlationId);
    this.traceparent = deps.traceparent
      ? formatTraceparent(this.traceId, deps.parentSpanId ?? newParentId(), this.flags)
      : null;
    if (this.traceparent !== null) parts.headers.set('traceparent', this.traceparent);
    if (this.idempotencyKey !== null) parts.headers.set(this.keyHeader, this.idempotencyKey);
    this.lastParts = parts;
    if (deps.auth === undefined) return undefined;
    try {
      const signal = this.options.signal;
      return await deps.auth.apply(
        parts,
        this.meta.security,
        signal === undefined ? this.base : { ...this.base, signal },
      );
    } catch (error) {
      if (error instanceof AuthError) error.correlationId ??= this.correlationId;
      throw error;
    }
  }

  /** Sends the prepared attempt under its time limit; a thrown fetch becomes a `Failure`. */
  async send(): Promise<Sent> {
    const { deps, options, lastParts: parts } = this;
    // No timer unless a timeout is set: a timer and a signal cost a measurable share of a local round trip.
    const perAttempt = options.timeoutMs ?? deps.timeoutMs;
    const remaining = this.policy.maxElapsedMs - (deps.now() - this.started);
    const link = linkSignal(
      options.signal,
      perAttempt === undefined ? Infinity : Math.min(perAttempt, Math.max(remaining, 1)),
    );
    const init = attemptInit(this.original, parts, link.signal);
    if (this.streamed !== undefined) this.streamBody(init, parts.headers);
    if (deps.emit !== undefined && deps.requestEvents !== false) {
      const url = deps.redactor.url(parts.url).url;
      const { traceparent, idempotencyKey } = this;
      this.note('request', { attempt: this.attempts, method: parts.method, url, traceparent, idempotencyKey });
    }
    const sentAt = deps.now();
    this.lastAttemptAt = sentAt;
    try {
      return {
        response: await deps.fetch(parts.url, init),
        failure: undefined,
        link,
        sentAt,
      };
    } catch (error) {
      const kind: FailureKind = isAborted(options.signal) ? 'aborted' : link.timedOut() ? 'timeout' : 'network';
      const failure: Failure = {
        kind,
        code: errorCodes(error).at(-1) ?? null,
        message: deps.redactor.text(describe(error)),
        neverSent: kind === 'network' && deps.neverSent(error),
      };
      return { response: undefined, failure, link, sentAt };
    } finally {
      link.clearTimer();
    }
  }

  /** A streamed body goes out through the files plug-in, counted when someone listens for progress. */
  streamBody(init: RequestInit, headers: Headers): void {
    const { deps, streamed } = this;
    if (streamed === undefined || deps.files === undefined) return;
    const report =
      deps.emit === undefined
        ? undefined
        : (loaded: number, total: number | null): void => this.note('upload-progress', { loaded, total });
    const sent = deps.files.attemptBody(streamed, headers, report);
    init.body = sent.body;
    // Node's fetch needs `duplex: 'half'` to send a stream; it is not in the DOM RequestInit type.
    if (sent.duplex) Object.assign(init, { duplex: 'half' });
  }

  async onResponse(sent: Sent, applied: AppliedAuth | undefined): Promise<Decision> {
    const { deps } = this;
    const response = sent.response as Response;
    this.note('response', { attempt: this.attempts, status: response.status, durationMs: deps.now() - sent.sentAt });
    // A 401 means the server did not act on the request, so a re-send with a fresh token is safe in every mode.
    if (
      response.status === 401 &&
      !this.authResent &&
      !this.oneShot &&
      applied !== undefined &&
      deps.auth?.invalidate(applied) === true
    ) {
      this.authResent = true;
      this.budgetUsed--;
      this.note('retry-scheduled', {
        attempt: this.attempts,
        delayMs: 0,
        delaySource: 'auth-refresh',
        reason: 'status 401',
      });
      await discard(response);
      sent.link.release();
      return { kind: 'resend' };
    }
    this.lastStatus = response.status;
    this.lastFailure = undefined;
    const serverSaysRetry = response.headers.get('x-should-retry')?.trim().toLowerCase() === 'true';
    // Mode none: the request reached the server, so only the server's explicit x-should-retry: true permits a retry.
    if (!responseWantsRetry(response, this.policy, this.mode) || (this.unsafe && !serverSaysRetry)) {
      if (!response.ok && this.deadLetterPolicy === 'always' && deps.store !== undefined)
        return {
          kind: 'done',
          response: await this.giveUp('not-retryable', response),
        };
      return { kind: 'done', response: this.withInfo(response) };
    }
    return {
      kind: 'retry',
      response,
      failure: undefined,
      hint: parseRetryHint(response.headers, deps.now()),
    };
  }

  async onFailure(sent: Sent): Promise<Decision> {
    const failure = sent.failure as Failure;
    this.lastFailure = failure;
    this.lastStatus = null;
    const { kind, code, message } = failure;
    const durationMs = this.deps.now() - sent.sentAt;
    this.note('attempt-failed', { attempt: this.attempts, failure: kind, code, message, durationMs });
    sent.link.release();
    if (kind === 'aborted') throw this.aborted();
    // Mode none: retry only when the error proves the request never left (a refused connection, a failed lookup).
    if (!this.policy.retryConnectionErrors || (this.unsafe && !failure.neverSent))
      return {
        kind: 'done',
        response: await this.giveUp('not-retryable', undefined),
      };
    return { kind: 'retry', response: undefined, failure, hint: undefined };
  }

  /** Waits out the backoff; the call's final response when it gives up instead. */
  async waitForRetry(
    decision: Extract<Decision, { kind: 'retry' }>,
    link: LinkedSignal,
  ): Promise<Response | undefined> {
    const { deps, options } = this;
    const { response, failure } = decision;
    if (this.budgetUsed >= this.policy.maxAttempts || this.oneShot) return this.giveUp('attempts', response);
    const delay = retryDelay(this.policy, this.retries + 1, decision.hint, deps.now() - this.started, deps.random);
    if (delay === 'deadline') return this.giveUp('deadline', response);
    this.retries++;
    deps.counters.retries++;
    const reason =
      response !== undefined
        ? `status ${response.status}`
        : `${failure?.kind ?? 'network'}${failure?.code == null ? '' : ` ${failure.code}`}`;
    this.note('retry-scheduled', { attempt: this.attempts, delayMs: delay.delayMs, delaySource: delay.source, reason });
    if (response !== undefined) await discard(response);
    link.release();
    try {
      await deps.sleep(delay.delayMs, options.signal);
    } catch (error) {
      if (isAborted(options.signal)) throw this.aborted();
      throw error;
    }
    return undefined;
  }

  /** The end of a call that did not succeed: the last response, a thrown error, or a parked dead letter. */
  async giveUp(reason: GiveUpReason, response: Response | undefined): Promise<Response> {
    const { deps, lastFailure } = this;
    deps.counters.gaveUp++;
    const lastError =
      lastFailure === undefined
        ? null
        : `${lastFailure.kind}${lastFailure.code === null ? '' : ` ${lastFailure.code}`}`;
    this.note('gave-up', { attempts: this.attempts, reason, lastStatus: this.lastStatus, lastError });
    const policy = this.deadLetterPolicy;
    if (
      deps.store !== undefined &&
      this.streamed === undefined &&
      (policy === 'always' || (policy === 'on-exhaustion' && reason !== 'not-retryable'))
    )
      return this.park(deps.store, reason, response);
    if (response !== undefined) return this.withInfo(response);
    const failure = lastFailure ?? {
      kind: 'network',
      code: null,
      message: 'failed',
    };
    throw new CallFailedError(
      reason === 'deadline' ? 'deadline' : failure.kind,
      failure.message,
      this.context(),
      failure.code,
    );
  }

  /** Stores the request as a dead letter (credentials redacted) and throws `DeadLetteredError` naming it. */
  async park(store: DeadLetterStore, reason: GiveUpReason, response: Response | undefined): Promise<never> {
    if (response !== undefined) await discard(response);
    const record = this.deadLetter(reason);
    try {
      await store.put(record);
    } catch (error) {
      throw new CallFailedError(
        'dead-letter-failed',
        `could not park the request: ${this.deps.redactor.text(describe(error))}`,
        this.context(),
      );
    }
    this.deps.counters.deadLettered++;
    this.note('dead-lettered', { recordId: record.id, attempts: this.attempts });
    throw new DeadLetteredError({
      recordId: record.id,
      status: record.lastStatus,
      lastError: record.lastError,
      attempts: this.attempts,
      ...this.base,
      method: record.method,
      url: record.url,
      idempotencyKey: this.idempotencyKey,
    });
  }

  deadLetter(reason: GiveUpReason): DeadLetterRecord {
    const { deps, lastFailure, lastParts, request } = this;
    const body = request.body;
    const lastError =
      lastFailure === undefined
        ? null
        : `${lastFailure.kind}${lastFailure.code === null ? '' : ` ${lastFailure.code}`}: ${lastFailure.message}`;
    const headers = deps.redactor.headers(lastParts.headers);
    const url = deps.redactor.url(lastParts.url);
    const text = body === null ? undefined : strictUtf8(new Uint8Array(body));
    return {
      id: uuidv4(),
      createdAt: new Date(deps.now()).toISOString(),
      operationId: this.meta.operationId,
      method: request.method,
      url: url.url,
      headers: headers.headers,
      redacted: { headers: headers.redacted, query: url.redacted },
      body:
        body === null
          ? null
          : text !== undefined
            ? { encoding: 'utf8', data: text }
            : { encoding: 'base64', data: bytesToBase64(new Uint8Array(body)) },
      idempotencyKey: this.idempotencyKey,
      correlationId: this.correlationId,
      attempts: this.attempts,
      lastStatus: this.lastStatus,
      lastError,
      reason,
      firstAttemptAt: new Date(this.started).toISOString(),
      lastAttemptAt: new Date(this.lastAttemptAt).toISOString(),
    };
  }
}
