/** Errors the generated client throws. Each names the operation and, for validation, the failing JSON pointers. */

export interface Issue {
  /** RFC 6901 pointer into the validated value (`/body/items/0/name`). */
  pointer: string;
  message: string;
}

type ZodLikeIssue = { readonly path: ReadonlyArray<PropertyKey>; readonly message: string };

export function toIssues(issues: readonly ZodLikeIssue[], prefix: string): Issue[] {
  return issues.map((issue) => ({
    pointer:
      prefix + issue.path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''),
    message: issue.message,
  }));
}

function describe(issues: readonly Issue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.pointer || '/'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 3 ? ` (+${issues.length - 3} more)` : '');
}

/** The caller's input does not match the contract; nothing was sent. */
export class RequestValidationError extends Error {
  readonly operationId: string;
  readonly location: string;
  readonly issues: Issue[];
  constructor(operationId: string, location: string, issues: Issue[]) {
    super(`${operationId}: invalid request ${location}: ${describe(issues)}`);
    this.name = 'RequestValidationError';
    this.operationId = operationId;
    this.location = location;
    this.issues = issues;
  }
}

/** The server answered with a body that does not match the contract for its status. */
export class ResponseValidationError extends Error {
  readonly operationId: string;
  readonly status: number;
  readonly issues: Issue[];
  readonly response: Response;
  constructor(operationId: string, status: number, issues: Issue[], response: Response) {
    super(`${operationId}: response ${status} does not match the contract: ${describe(issues)}`);
    this.name = 'ResponseValidationError';
    this.operationId = operationId;
    this.status = status;
    this.issues = issues;
    this.response = response;
  }
}

/** A non-2xx answer, thrown when the client was created with `throwOnError: true`. */
export class ApiError<E = unknown> extends Error {
  readonly operationId: string;
  readonly status: number;
  readonly error: E;
  readonly response: Response;
  constructor(operationId: string, status: number, error: E, response: Response) {
    super(`${operationId}: HTTP ${status}`);
    this.name = 'ApiError';
    this.operationId = operationId;
    this.status = status;
    this.error = error;
    this.response = response;
  }
}
