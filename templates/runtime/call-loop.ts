/**
 * One logical call: attempts, retry decisions, waits, and parking in the dead-letter store. Everything it needs
 * arrives in `LoopDeps`, built once per client by `createResilientSend`.
 */
import type { AppliedAuth, AttemptParts, AuthLayer, SecurityRequirement } from './auth.js';
import { attemptInit, describe, discard, isAborted, linkSignal } from './call-attempt.js';
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

export interface CallSettings {
  signal?: AbortSignal;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy> | false;
  idempotencyKey?: string;
  correlationId?: string;
  deadLetter?: DeadLetterPolicy;
  retryUnsafe?: boolean;
}

export interface CallInfo {
  correlationId: string;
  operationId: string;
  traceId: string;
  idempotencyKey: string | null;
  attempts: number;
}

const CALL_INFO = Symbol('concord.callInfo');

class CallInfoBox {
  constructor(readonly info: CallInfo) {}
}

export function readCallInfo(response: Response): CallInfo | undefined {
  const value: unknown = Reflect.get(response, CALL_INFO);
  return value instanceof CallInfoBox ? value.info : undefined;
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
  /** A tracing span's id (tracing.ts): every attempt's `traceparent` names it as parent instead of a fresh id. */
  parentSpanId?: string;
  /** False when no observer needs `request` events (metrics alone do not): building one redacts the URL. */
  requestEvents?: boolean;
  ambient: AmbientCorrelationSource | undefined;
  emit: ((event: ResilienceEvent) => void) | undefined;
  auth: AuthLayer | undefined;
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
}

export async function runCall(
  deps: LoopDeps,
  input: Request | PreparedRequest,
  meta: CallMeta,
  callOptions: CallSettings,
): Promise<Response> {
  const original = input instanceof Request ? input : undefined;
  const request: PreparedRequest =
    original === undefined
      ? (input as PreparedRequest)
      : {
          method: original.method,
          url: original.url,
          headers: original.headers,
          body: original.body === null ? null : await original.arrayBuffer(),
        };
  const { now, redactor, counters } = deps;
  const options = callOptions;
  const started = now();
  counters.requests++;
  const policy = resolveRetryPolicy(deps.policy, meta.retry, options.retry);
  const mode = meta.idempotency.mode;
  const unsafe = mode === 'none' && options.retryUnsafe !== true;
  const correlationId =
    options.correlationId ?? request.headers.get(deps.correlationHeader) ?? deps.ambient?.() ?? newCorrelationId();
  const inbound = parseTraceparent(request.headers.get('traceparent'));
  const traceId = inbound?.traceId ?? newTraceId();
  const flags = inbound?.flags ?? '01';
  const keyHeader = meta.idempotency.header !== '' ? meta.idempotency.header : deps.idempotencyHeader;
  const idempotencyKey =
    options.idempotencyKey ?? request.headers.get(keyHeader) ?? (mode === 'keyed' ? uuidv4() : null);
  // Buffered once so every attempt (and a dead letter) sends the same bytes.
  const body = request.body;
  const method = request.method;
  const base = { correlationId, operationId: meta.operationId };
  const deadLetterPolicy = options.deadLetter ?? deps.deadLetterPolicy;

  let attempts = 0;
  let budgetUsed = 0;
  let retries = 0;
  let authResent = false;
  let lastStatus: number | null = null;
  let lastFailure: Failure | undefined;
  let lastParts: AttemptParts = { method, url: request.url, headers: request.headers, body };
  let lastAttemptAt = started;

  const emit = (event: ResilienceEvent): void => {
    if (deps.emit === undefined) return;
    try {
      deps.emit(event);
    } catch {
      // A failing observer must not change the outcome of the call.
    }
  };
  const context = (): CallErrorContext => ({ ...base, method, url: redactor.url(lastParts.url).url, attempts });
  const info = (response: Response): Response => {
    // A hidden property rather than a WeakMap: a WeakMap entry per response made garbage collection measurably slower.
    Object.defineProperty(response, CALL_INFO, {
      value: new CallInfoBox({ ...base, traceId, idempotencyKey, attempts }),
      enumerable: false,
    });
    return response;
  };
  const aborted = (): CallFailedError => new CallFailedError('aborted', 'aborted by the caller', context());

  const park = async (store: DeadLetterStore, reason: GiveUpReason, response: Response | undefined): Promise<never> => {
    if (response !== undefined) await discard(response);
    const lastError =
      lastFailure === undefined
        ? null
        : `${lastFailure.kind}${lastFailure.code === null ? '' : ` ${lastFailure.code}`}: ${lastFailure.message}`;
    const headers = redactor.headers(lastParts.headers);
    const url = redactor.url(lastParts.url);
    const text = body === null ? undefined : strictUtf8(new Uint8Array(body));
    const record: DeadLetterRecord = {
      id: uuidv4(),
      createdAt: new Date(now()).toISOString(),
      operationId: meta.operationId,
      method,
      url: url.url,
      headers: headers.headers,
      redacted: { headers: headers.redacted, query: url.redacted },
      body:
        body === null
          ? null
          : text !== undefined
            ? { encoding: 'utf8', data: text }
            : { encoding: 'base64', data: bytesToBase64(new Uint8Array(body)) },
      idempotencyKey,
      correlationId,
      attempts,
      lastStatus,
      lastError,
      reason,
      firstAttemptAt: new Date(started).toISOString(),
      lastAttemptAt: new Date(lastAttemptAt).toISOString(),
    };
    try {
      await store.put(record);
    } catch (error) {
      throw new CallFailedError(
        'dead-letter-failed',
        `could not park the request: ${redactor.text(describe(error))}`,
        context(),
      );
    }
    counters.deadLettered++;
    emit({ type: 'dead-lettered', at: now(), ...base, recordId: record.id, attempts });
    throw new DeadLetteredError({
      recordId: record.id,
      status: lastStatus,
      lastError,
      attempts,
      ...base,
      method,
      url: url.url,
      idempotencyKey,
    });
  };

  const giveUp = async (reason: GiveUpReason, response: Response | undefined): Promise<Response> => {
    counters.gaveUp++;
    const lastError =
      lastFailure === undefined
        ? null
        : `${lastFailure.kind}${lastFailure.code === null ? '' : ` ${lastFailure.code}`}`;
    emit({ type: 'gave-up', at: now(), ...base, attempts, reason, lastStatus, lastError });
    const store = deps.store;
    if (
      store !== undefined &&
      (deadLetterPolicy === 'always' || (deadLetterPolicy === 'on-exhaustion' && reason !== 'not-retryable'))
    ) {
      return park(store, reason, response);
    }
    if (response !== undefined) return info(response);
    const failure = lastFailure ?? { kind: 'network', code: null, message: 'failed' };
    throw new CallFailedError(
      reason === 'deadline' ? 'deadline' : failure.kind,
      failure.message,
      context(),
      failure.code,
    );
  };

  for (;;) {
    if (isAborted(options.signal)) throw aborted();
    attempts++;
    budgetUsed++;
    counters.attempts++;
    const parts: AttemptParts = { method, url: request.url, headers: new Headers(request.headers), body };
    parts.headers.set(deps.correlationHeader, correlationId);
    const traceparent = deps.traceparent ? formatTraceparent(traceId, deps.parentSpanId ?? newParentId(), flags) : null;
    if (traceparent !== null) parts.headers.set('traceparent', traceparent);
    if (idempotencyKey !== null) parts.headers.set(keyHeader, idempotencyKey);
    let applied: AppliedAuth = { oauthTokens: [] };
    if (deps.auth !== undefined) {
      try {
        applied = await deps.auth.apply(
          parts,
          meta.security,
          options.signal === undefined ? base : { ...base, signal: options.signal },
        );
      } catch (error) {
        if (error instanceof AuthError) error.correlationId ??= correlationId;
        throw error;
      }
    }
    lastParts = parts;
    // No timer unless a timeout is set: a timer and a signal cost a measurable share of a local round trip.
    const perAttempt = options.timeoutMs ?? deps.timeoutMs;
    const remaining = policy.maxElapsedMs - (now() - started);
    const link = linkSignal(
      options.signal,
      perAttempt === undefined ? Infinity : Math.min(perAttempt, Math.max(remaining, 1)),
    );
    const init = attemptInit(original, parts, link.signal);
    if (deps.emit !== undefined && deps.requestEvents !== false) {
      emit({
        type: 'request',
        at: now(),
        ...base,
        attempt: attempts,
        method,
        url: redactor.url(parts.url).url,
        traceparent,
        idempotencyKey,
      });
    }
    const sentAt = now();
    lastAttemptAt = sentAt;
    let response: Response | undefined;
    let failure: Failure | undefined;
    try {
      response = await deps.fetch(parts.url, init);
    } catch (error) {
      const callerAborted = isAborted(options.signal);
      const kind: FailureKind = callerAborted ? 'aborted' : link.timedOut() ? 'timeout' : 'network';
      const code = errorCodes(error).at(-1) ?? null;
      failure = {
        kind,
        code,
        message: redactor.text(describe(error)),
        neverSent: kind === 'network' && deps.neverSent(error),
      };
    } finally {
      link.clearTimer();
    }

    let hint: RetryHint | undefined;
    if (response !== undefined) {
      emit({
        type: 'response',
        at: now(),
        ...base,
        attempt: attempts,
        status: response.status,
        durationMs: now() - sentAt,
      });
      // A 401 means the server did not act on the request, so a re-send with a fresh token is safe in every mode.
      if (response.status === 401 && !authResent && deps.auth?.invalidate(applied) === true) {
        authResent = true;
        budgetUsed--;
        emit({
          type: 'retry-scheduled',
          at: now(),
          ...base,
          attempt: attempts,
          delayMs: 0,
          delaySource: 'auth-refresh',
          reason: 'status 401',
        });
        await discard(response);
        link.release();
        continue;
      }
      lastStatus = response.status;
      lastFailure = undefined;
      const serverSaysRetry = response.headers.get('x-should-retry')?.trim().toLowerCase() === 'true';
      // Mode none: the request reached the server, so only the server's explicit x-should-retry: true permits a retry.
      if (!responseWantsRetry(response, policy, mode) || (unsafe && !serverSaysRetry)) {
        if (!response.ok && deadLetterPolicy === 'always' && deps.store !== undefined)
          return giveUp('not-retryable', response);
        return info(response);
      }
      hint = parseRetryHint(response.headers, now());
    } else if (failure !== undefined) {
      lastFailure = failure;
      lastStatus = null;
      emit({
        type: 'attempt-failed',
        at: now(),
        ...base,
        attempt: attempts,
        failure: failure.kind,
        code: failure.code,
        message: failure.message,
        durationMs: now() - sentAt,
      });
      link.release();
      if (failure.kind === 'aborted') throw aborted();
      // Mode none: retry only when the error proves the request never left (see retry-policy.ts requestNeverSent).
      if (!policy.retryConnectionErrors || (unsafe && !failure.neverSent)) return giveUp('not-retryable', undefined);
    }

    if (budgetUsed >= policy.maxAttempts) return giveUp('attempts', response);
    const delay = retryDelay(policy, retries + 1, hint, now() - started, deps.random);
    if (delay === 'deadline') return giveUp('deadline', response);
    retries++;
    counters.retries++;
    const reason =
      response !== undefined
        ? `status ${response.status}`
        : `${failure?.kind ?? 'network'}${failure?.code == null ? '' : ` ${failure.code}`}`;
    emit({
      type: 'retry-scheduled',
      at: now(),
      ...base,
      attempt: attempts,
      delayMs: delay.delayMs,
      delaySource: delay.source,
      reason,
    });
    if (response !== undefined) await discard(response);
    link.release();
    try {
      await deps.sleep(delay.delayMs, options.signal);
    } catch (error) {
      if (isAborted(options.signal)) throw aborted();
      throw error;
    }
  }
}
