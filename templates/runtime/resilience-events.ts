/**
 * What the resilient send reports. Every event is a plain JSON-serialisable object carrying the correlation id
 * and the operation; URLs in events are redacted and every free-text field is scrubbed of known secrets.
 */
import { pointerSegment } from './errors.js';

/** `at`: epoch milliseconds from the configured clock. */
type Event<T extends string, Fields> = { type: T; at: number; correlationId: string; operationId: string } & Fields;

export type FailureKind = 'timeout' | 'network' | 'aborted' | 'deadline';
export type DelaySource = 'backoff' | 'retry-after' | 'retry-after-ms' | 'auth-refresh';
export type GiveUpReason = 'attempts' | 'deadline' | 'not-retryable';
/** `path`: a JSON pointer into the validated value. */
export type ValidationIssue = { path: string; message: string };

export type RequestEvent = Event<
  'request',
  { attempt: number; method: string; url: string; traceparent: string | null; idempotencyKey: string | null }
>;
export type ResponseEvent = Event<'response', { attempt: number; status: number; durationMs: number }>;
/** `code`: the low-level error code when there is one (ECONNREFUSED, UND_ERR_SOCKET, ...). */
export type AttemptFailedEvent = Event<
  'attempt-failed',
  { attempt: number; failure: FailureKind; code: string | null; message: string; durationMs: number }
>;
/** `attempt`: the one that failed; `reason`: `status 503`, `timeout`, `network ECONNRESET`, `status 401`. */
export type RetryScheduledEvent = Event<
  'retry-scheduled',
  { attempt: number; delayMs: number; delaySource: DelaySource; reason: string }
>;
export type GaveUpEvent = Event<
  'gave-up',
  { attempts: number; reason: GiveUpReason; lastStatus: number | null; lastError: string | null }
>;
export type DeadLetteredEvent = Event<'dead-lettered', { recordId: string; attempts: number }>;
export type ValidationRejectedEvent = Event<
  'validation-rejected',
  { direction: 'request' | 'response'; status: number | null; issues: ValidationIssue[] }
>;
/** A cached token of security scheme `scheme` lapses in `expiresInMs` and is refreshed now. */
export type TokenExpiringEvent = Event<'token-expiring', { scheme: string; expiresInMs: number }>;
/** Bytes of a streamed upload sent, or of a binary download read (`total` from Content-Length / Blob size). */
export type TransferProgressEvent = Event<
  'upload-progress' | 'download-progress',
  { loaded: number; total: number | null }
>;

export type ResilienceEvent =
  | RequestEvent
  | ResponseEvent
  | AttemptFailedEvent
  | RetryScheduledEvent
  | GaveUpEvent
  | DeadLetteredEvent
  | ValidationRejectedEvent
  | TokenExpiringEvent
  | TransferProgressEvent;

export interface MetricsSnapshot {
  at: number;
  /** Logical calls started. */
  requests: number;
  /** Requests actually sent (first attempts, retries and auth re-sends). */
  attempts: number;
  retries: number;
  gaveUp: number;
  deadLettered: number;
  /** Records currently parked in the store (0 without a store). */
  deadLetterDepth: number;
  /** Age of the oldest parked record, null when the store is empty or absent. */
  oldestParkedAgeMs: number | null;
  validations: number;
  validationRejections: number;
  /** validationRejections / validations, 0 before any validation. */
  validationRejectionRate: number;
}

/** Turns a validator's issue path (zod: an array of keys) into a JSON pointer. */
export function issuePath(path: ReadonlyArray<PropertyKey> | string): string {
  return typeof path === 'string' ? path : path.map(pointerSegment).join('');
}
