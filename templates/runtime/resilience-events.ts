/**
 * What the resilient send reports. Every event is a plain JSON-serialisable object carrying the correlation id
 * and the operation; URLs in events are redacted and every free-text field is scrubbed of known secrets.
 */

interface EventBase {
  /** Epoch milliseconds from the configured clock. */
  at: number;
  correlationId: string;
  operationId: string;
}

export type FailureKind = 'timeout' | 'network' | 'aborted' | 'deadline';

export type DelaySource = 'backoff' | 'retry-after' | 'retry-after-ms' | 'auth-refresh';

export interface RequestEvent extends EventBase {
  type: 'request';
  attempt: number;
  method: string;
  url: string;
  traceparent: string | null;
  idempotencyKey: string | null;
}

export interface ResponseEvent extends EventBase {
  type: 'response';
  attempt: number;
  status: number;
  durationMs: number;
}

export interface AttemptFailedEvent extends EventBase {
  type: 'attempt-failed';
  attempt: number;
  failure: FailureKind;
  /** Low-level error code when there is one (ECONNREFUSED, UND_ERR_SOCKET, ...). */
  code: string | null;
  message: string;
  durationMs: number;
}

export interface RetryScheduledEvent extends EventBase {
  type: 'retry-scheduled';
  /** The attempt that failed. */
  attempt: number;
  delayMs: number;
  delaySource: DelaySource;
  /** `status 503`, `timeout`, `network ECONNRESET`, `401 token refresh`. */
  reason: string;
}

export type GiveUpReason = 'attempts' | 'deadline' | 'not-retryable';

export interface GaveUpEvent extends EventBase {
  type: 'gave-up';
  attempts: number;
  reason: GiveUpReason;
  lastStatus: number | null;
  lastError: string | null;
}

export interface DeadLetteredEvent extends EventBase {
  type: 'dead-lettered';
  recordId: string;
  attempts: number;
}

export interface ValidationIssue {
  /** JSON pointer into the validated value. */
  path: string;
  message: string;
}

export interface ValidationRejectedEvent extends EventBase {
  type: 'validation-rejected';
  direction: 'request' | 'response';
  status: number | null;
  issues: ValidationIssue[];
}

export interface TokenExpiringEvent extends EventBase {
  type: 'token-expiring';
  /** Security scheme key. */
  scheme: string;
  /** Time left before the cached token lapses (it is refreshed now). */
  expiresInMs: number;
}

/** Bytes of a streamed upload sent, or of a binary download read (`total` from Content-Length / Blob size). */
export interface TransferProgressEvent extends EventBase {
  type: 'upload-progress' | 'download-progress';
  loaded: number;
  total: number | null;
}

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
  if (typeof path === 'string') return path;
  return path.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
