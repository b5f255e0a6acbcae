/**
 * Errors the generated client throws. Messages name the operation, the redacted URL and the correlation id, never a
 * credential; `toJSON` lists the same safe fields, so logging an error as JSON cannot leak either.
 */
import type { FailureKind } from './resilience-events.js';

export interface Issue {
  /** RFC 6901 pointer into the validated value (`/body/items/0/name`). */
  pointer: string;
  message: string;
}

type ZodLikeIssue = { readonly path: ReadonlyArray<PropertyKey>; readonly message: string };

/** A JSON pointer segment: `~` and `/` escaped (RFC 6901). */
export const pointerSegment = (key: PropertyKey): string => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

export function toIssues(issues: readonly ZodLikeIssue[], prefix: string): Issue[] {
  return issues.map((issue) => ({ pointer: prefix + issue.path.map(pointerSegment).join(''), message: issue.message }));
}

function describe(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.pointer || '/'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 3 ? ` (+${issues.length - 3} more)` : '');
}

/** The caller's input does not match the contract; nothing was sent. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(
    readonly operationId: string,
    readonly location: string,
    readonly issues: Issue[],
  ) {
    super(`${operationId}: invalid request ${location}: ${describe(issues)}`);
  }
}

/** The server answered with a body that does not match the contract for its status. */
export class ResponseValidationError extends Error {
  override readonly name = 'ResponseValidationError';
  constructor(
    readonly operationId: string,
    readonly status: number,
    readonly issues: Issue[],
    readonly response: Response,
  ) {
    super(`${operationId}: response ${status} does not match the contract: ${describe(issues)}`);
  }
}

/** A non-2xx answer, thrown when the client was created with `throwOnError: true`. */
export class ApiError<E = unknown> extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly operationId: string,
    readonly status: number,
    readonly error: E,
    readonly response: Response,
  ) {
    super(`${operationId}: HTTP ${status}`);
  }
}

export interface CallErrorContext {
  correlationId: string;
  operationId: string;
  method: string;
  /** Redacted. */
  url: string;
  attempts: number;
}

type Json = Record<string, string | number | null>;

export class CallFailedError extends Error {
  override readonly name: string;
  readonly correlationId: string;
  readonly operationId: string;
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(
    readonly kind: FailureKind | 'dead-letter-failed',
    detail: string,
    context: CallErrorContext,
    readonly code: string | null = null,
  ) {
    const { method, url, operationId, attempts, correlationId } = context;
    super(
      `${method} ${url} (${operationId}) failed after ${attempts} attempt(s): ${detail} [correlation ${correlationId}]`,
    );
    // `AbortError` keeps `err.name === 'AbortError'` checks written for plain fetch working.
    this.name = kind === 'aborted' ? 'AbortError' : kind === 'timeout' ? 'TimeoutError' : 'CallFailedError';
    ({ correlationId: this.correlationId, operationId: this.operationId, method: this.method } = context);
    this.url = url;
    this.attempts = attempts;
  }

  toJSON(): Json {
    const { name, message, kind, code, correlationId, operationId, method, url, attempts } = this;
    return { name, message, kind, code, correlationId, operationId, method, url, attempts };
  }
}

export interface DeadLetteredFacts extends CallErrorContext {
  recordId: string;
  status: number | null;
  lastError: string | null;
  idempotencyKey: string | null;
}

export class DeadLetteredError extends Error {
  override readonly name = 'DeadLetteredError';
  readonly recordId: string;
  readonly status: number | null;
  readonly lastError: string | null;
  readonly attempts: number;
  readonly correlationId: string;
  readonly operationId: string;
  readonly idempotencyKey: string | null;

  constructor(facts: DeadLetteredFacts) {
    const outcome = facts.status !== null ? `status ${facts.status}` : (facts.lastError ?? 'failure');
    super(
      `${facts.method} ${facts.url} (${facts.operationId}) was parked as dead letter ${facts.recordId} after ${facts.attempts} attempt(s), last ${outcome} [correlation ${facts.correlationId}]`,
    );
    ({ recordId: this.recordId, status: this.status, lastError: this.lastError, attempts: this.attempts } = facts);
    ({ correlationId: this.correlationId, operationId: this.operationId, idempotencyKey: this.idempotencyKey } = facts);
  }

  toJSON(): Json {
    const { name, message, recordId, status, lastError, attempts, correlationId, operationId, idempotencyKey } = this;
    return { name, message, recordId, status, lastError, attempts, correlationId, operationId, idempotencyKey };
  }
}

/** Credentials could not be obtained or do not fit the scheme. The message names the scheme, never the secret. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  /** Set by the resilient send when the failure happened inside a call. */
  correlationId: string | null = null;

  constructor(
    readonly scheme: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(`auth scheme "${scheme}": ${message}`);
  }

  toJSON(): Json {
    const { name, message, scheme, status, correlationId } = this;
    return { name, message, scheme, status, correlationId };
  }
}
