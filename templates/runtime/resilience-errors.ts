/**
 * Typed errors of the resilient send. Messages name the method, the redacted URL and the correlation id, never a
 * credential; `toJSON` lists the same safe fields, so logging an error as JSON cannot leak either.
 */
import type { FailureKind } from './resilience-events.js';

export interface CallErrorContext {
  correlationId: string;
  operationId: string;
  method: string;
  /** Redacted. */
  url: string;
  attempts: number;
}

export class CallFailedError extends Error {
  override readonly name: string;
  readonly kind: FailureKind | 'dead-letter-failed';
  readonly code: string | null;
  readonly correlationId: string;
  readonly operationId: string;
  readonly method: string;
  readonly url: string;
  readonly attempts: number;

  constructor(
    kind: FailureKind | 'dead-letter-failed',
    detail: string,
    context: CallErrorContext,
    code: string | null = null,
  ) {
    super(
      `${context.method} ${context.url} (${context.operationId}) failed after ${context.attempts} attempt(s): ${detail} [correlation ${context.correlationId}]`,
    );
    // `AbortError` keeps `err.name === 'AbortError'` checks written for plain fetch working.
    this.name = kind === 'aborted' ? 'AbortError' : kind === 'timeout' ? 'TimeoutError' : 'CallFailedError';
    this.kind = kind;
    this.code = code;
    this.correlationId = context.correlationId;
    this.operationId = context.operationId;
    this.method = context.method;
    this.url = context.url;
    this.attempts = context.attempts;
  }

  toJSON(): Record<string, string | number | null> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      code: this.code,
      correlationId: this.correlationId,
      operationId: this.operationId,
      method: this.method,
      url: this.url,
      attempts: this.attempts,
    };
  }
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

  constructor(input: {
    recordId: string;
    status: number | null;
    lastError: string | null;
    attempts: number;
    correlationId: string;
    operationId: string;
    method: string;
    url: string;
    idempotencyKey: string | null;
  }) {
    const outcome = input.status !== null ? `status ${input.status}` : (input.lastError ?? 'failure');
    super(
      `${input.method} ${input.url} (${input.operationId}) was parked as dead letter ${input.recordId} after ${input.attempts} attempt(s), last ${outcome} [correlation ${input.correlationId}]`,
    );
    this.recordId = input.recordId;
    this.status = input.status;
    this.lastError = input.lastError;
    this.attempts = input.attempts;
    this.correlationId = input.correlationId;
    this.operationId = input.operationId;
    this.idempotencyKey = input.idempotencyKey;
  }

  toJSON(): Record<string, string | number | null> {
    return {
      name: this.name,
      message: this.message,
      recordId: this.recordId,
      status: this.status,
      lastError: this.lastError,
      attempts: this.attempts,
      correlationId: this.correlationId,
      operationId: this.operationId,
      idempotencyKey: this.idempotencyKey,
    };
  }
}

/** Credentials could not be obtained or do not fit the scheme. The message names the scheme, never the secret. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly scheme: string;
  readonly status: number | null;
  /** Set by the resilient send when the failure happened inside a call. */
  correlationId: string | null = null;

  constructor(scheme: string, message: string, status: number | null = null) {
    super(`auth scheme "${scheme}": ${message}`);
    this.scheme = scheme;
    this.status = status;
  }

  toJSON(): Record<string, string | number | null> {
    return {
      name: this.name,
      message: this.message,
      scheme: this.scheme,
      status: this.status,
      correlationId: this.correlationId,
    };
  }
}
