/**
 * Parked requests read back from a store and replayed: same method, URL, body, idempotency key and correlation
 * id, with credentials re-applied by the caller (they were redacted when the request was parked).
 */
import type { DeadLetterBody, DeadLetterRecord, DeadLetterStore } from './dead-letter.js';
import { base64ToBytes, utf8Encoder } from './encoding.js';
import { formatTraceparent, newParentId, parseTraceparent } from './correlation.js';
import { REDACTED } from './redact.js';

const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const nullable = <T,>(v: unknown, check: (x: unknown) => x is T): v is T | null => v === null || check(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks a value read back from storage; undefined when it is not a well-formed record. */
export function parseDeadLetterRecord(value: unknown): DeadLetterRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const f = (name: string): unknown => Reflect.get(value, name);
  const redacted = f('redacted');
  const body = f('body');
  const reason = f('reason');
  if (typeof redacted !== 'object' || redacted === null) return undefined;
  const redactedHeaders = Reflect.get(redacted, 'headers');
  const redactedQuery = Reflect.get(redacted, 'query');
  const id = f('id'),
    createdAt = f('createdAt'),
    operationId = f('operationId'),
    method = f('method'),
    url = f('url'),
    headers = f('headers');
  const idempotencyKey = f('idempotencyKey'),
    correlationId = f('correlationId'),
    attempts = f('attempts');
  const lastStatus = f('lastStatus'),
    lastError = f('lastError'),
    firstAttemptAt = f('firstAttemptAt'),
    lastAttemptAt = f('lastAttemptAt');
  let parsedBody: DeadLetterBody | null = null;
  if (body !== null) {
    if (typeof body !== 'object') return undefined;
    const encoding = Reflect.get(body, 'encoding');
    const data = Reflect.get(body, 'data');
    if ((encoding !== 'utf8' && encoding !== 'base64') || typeof data !== 'string') return undefined;
    parsedBody = { encoding, data };
  }
  if (
    !isString(id) ||
    !isString(createdAt) ||
    !isString(operationId) ||
    !isString(method) ||
    !isString(url) ||
    !isStringRecord(headers) ||
    !isStringArray(redactedHeaders) ||
    !isStringArray(redactedQuery) ||
    !nullable(idempotencyKey, isString) ||
    !isString(correlationId) ||
    !isNumber(attempts) ||
    !nullable(lastStatus, isNumber) ||
    !nullable(lastError, isString) ||
    !isString(firstAttemptAt) ||
    !isString(lastAttemptAt) ||
    (reason !== 'attempts' && reason !== 'deadline' && reason !== 'not-retryable')
  ) {
    return undefined;
  }
  return {
    id,
    createdAt,
    operationId,
    method,
    url,
    headers,
    redacted: { headers: redactedHeaders, query: redactedQuery },
    body: parsedBody,
    idempotencyKey,
    correlationId,
    attempts,
    lastStatus,
    lastError,
    reason,
    firstAttemptAt,
    lastAttemptAt,
  };
}

export function deadLetterBodyBytes(body: DeadLetterBody | null) {
  if (body === null) return null;
  return body.encoding === 'base64' ? base64ToBytes(body.data) : utf8Encoder.encode(body.data);
}

export interface ReplayOptions {
  /**
   * Re-applies credentials, which were redacted when the record was parked: gets the request without the
   * redacted headers and query parameters, returns the one to send (e.g. with a fresh Authorization header).
   */
  authorize?: (request: Request) => Request | Promise<Request>;
  /** Extra headers set on the replayed request (set before `authorize`). */
  headers?: HeadersInit;
  signal?: AbortSignal;
}

/** The request a replay sends: same method, URL, body, idempotency key and correlation id; a fresh traceparent parent id. */
export function replayRequest(
  record: DeadLetterRecord,
  options: Pick<ReplayOptions, 'headers' | 'signal'> = {},
): Request {
  const url = new URL(record.url);
  for (const name of record.redacted.query) url.searchParams.delete(name);
  const headers = new Headers();
  const dropped = new Set(record.redacted.headers);
  for (const [name, value] of Object.entries(record.headers))
    if (!dropped.has(name) && value !== REDACTED) headers.set(name, value);
  const trace = parseTraceparent(headers.get('traceparent'));
  if (trace !== undefined) headers.set('traceparent', formatTraceparent(trace.traceId, newParentId(), trace.flags));
  new Headers(options.headers).forEach((value, name) => headers.set(name, value));
  const init: RequestInit = { method: record.method, headers, body: deadLetterBodyBytes(record.body) };
  if (options.signal !== undefined) init.signal = options.signal;
  return new Request(url, init);
}

/** Re-sends one parked request. It does not touch the store: remove the record once the response is acceptable. */
export async function replayDeadLetter(
  record: DeadLetterRecord,
  fetch: (request: Request) => Promise<Response>,
  options: ReplayOptions = {},
): Promise<Response> {
  const request = replayRequest(record, options);
  return fetch(options.authorize === undefined ? request : await options.authorize(request));
}

export interface ReplaySummary {
  delivered: string[];
  failed: Array<{ id: string; status: number | null; error: string | null }>;
}

/**
 * Replays every parked record, oldest first, one at a time; a record is removed only after a 2xx response.
 * `filter` picks records (e.g. by id or operation).
 */
export async function replayDeadLetters(
  store: DeadLetterStore,
  fetch: (request: Request) => Promise<Response>,
  options: ReplayOptions & { filter?: (record: DeadLetterRecord) => boolean } = {},
): Promise<ReplaySummary> {
  const summary: ReplaySummary = { delivered: [], failed: [] };
  for (const record of await store.list()) {
    if (options.filter !== undefined && !options.filter(record)) continue;
    try {
      const response = await replayDeadLetter(record, fetch, options);
      await response.body?.cancel();
      if (response.ok) {
        await store.remove(record.id);
        summary.delivered.push(record.id);
      } else {
        summary.failed.push({ id: record.id, status: response.status, error: null });
      }
    } catch (error) {
      summary.failed.push({
        id: record.id,
        status: null,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
  }
  return summary;
}
