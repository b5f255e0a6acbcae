/**
 * RFC 9457 problem details (`application/problem+json`), shared by the mock server and the generated provider.
 * Web standards only. Extensions ride beside the standard members; validation failures carry the failing JSON
 * pointers so a client can show which field was wrong.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemIssue {
  /** RFC 6901 pointer into the request, rooted at its part: `/body/items/0/name`, `/query/limit`, `/header/x-id`. */
  pointer: string;
  message: string;
}

export interface ProblemDetails {
  /** A URI naming the kind of problem; `about:blank` when the status says it all. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The request path the problem occurred on. */
  instance?: string;
  [extension: string]: unknown;
}

/** Stable type URIs for the problems concord itself reports. */
export const PROBLEM_TYPES = {
  validation: 'urn:concord:problem:request-validation',
  malformed: 'urn:concord:problem:malformed-body',
  tooLarge: 'urn:concord:problem:payload-too-large',
  unsupportedMediaType: 'urn:concord:problem:unsupported-media-type',
  notAcceptable: 'urn:concord:problem:not-acceptable',
  notFound: 'urn:concord:problem:not-found',
  methodNotAllowed: 'urn:concord:problem:method-not-allowed',
  unauthorized: 'urn:concord:problem:unauthorized',
  forbidden: 'urn:concord:problem:forbidden',
  limitExceeded: 'urn:concord:problem:limit-exceeded',
  idempotencyKeyMissing: 'urn:concord:problem:idempotency-key-missing',
  idempotencyKeyReused: 'urn:concord:problem:idempotency-key-reused',
  idempotencyInFlight: 'urn:concord:problem:idempotency-in-flight',
  idempotencyOutcomeUnknown: 'urn:concord:problem:idempotency-outcome-unknown',
  idempotencyBusy: 'urn:concord:problem:idempotency-busy',
  handlerFailed: 'urn:concord:problem:handler-failed',
  injectedFault: 'urn:concord:problem:injected-fault',
} as const;

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? 'Server Error' : status >= 400 ? 'Client Error' : 'Status');
}

/** Everything but the status, all optional: `type` defaults to `about:blank`, `title` to the reason phrase. */
export interface ProblemFields {
  type?: string;
  title?: string;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export function problem(status: number, fields: ProblemFields = {}): ProblemDetails {
  return { ...fields, type: fields.type ?? 'about:blank', title: fields.title ?? reasonPhrase(status), status };
}

/** 400 for a request that does not match the contract; `pointer` names the first failing place. */
export function validationProblem(issues: readonly ProblemIssue[], instance?: string): ProblemDetails {
  const first = issues[0];
  const shown = issues
    .slice(0, 3)
    .map((i) => `${i.pointer || '/'}: ${i.message}`)
    .join('; ');
  return problem(400, {
    type: PROBLEM_TYPES.validation,
    title: 'Request does not match the contract',
    detail: shown + (issues.length > 3 ? ` (+${issues.length - 3} more)` : ''),
    ...(instance === undefined ? {} : { instance }),
    pointer: first?.pointer ?? '',
    errors: issues.slice(0, 100).map((i) => ({ pointer: i.pointer, message: i.message })),
  });
}

/** The problem as JSON text: members in a fixed order so equal problems are equal bytes. */
export function problemText(details: ProblemDetails): string {
  const { type, title, status, detail, instance, ...extensions } = details;
  const ordered: Record<string, unknown> = { type, title, status };
  if (detail !== undefined) ordered['detail'] = detail;
  if (instance !== undefined) ordered['instance'] = instance;
  for (const key of Object.keys(extensions).sort()) {
    Object.defineProperty(ordered, key, {
      value: extensions[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return JSON.stringify(ordered);
}

export function problemResponse(details: ProblemDetails, headers?: HeadersInit): Response {
  const all = new Headers(headers);
  all.set('Content-Type', PROBLEM_CONTENT_TYPE);
  return new Response(problemText(details), { status: details.status, headers: all });
}

/** Turns zod-like issues (path arrays) into pointers under `prefix` (`/body`, `/query`, ...). */
export function issuesToProblemIssues(
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>,
  prefix: string,
): ProblemIssue[] {
  return issues.map((issue) => ({
    pointer:
      prefix + issue.path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''),
    message: issue.message,
  }));
}
