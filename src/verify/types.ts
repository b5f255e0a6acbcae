import type { MockSpecInput } from '../mock/source.js';

/** Stable check ids: reports, `--fail-on` and the JSON Schema name them; never rename one. */
export const CHECK_IDS = ['status-declared', 'response-schema', 'content-type', 'no-server-error', 'negative-rejected', 'auth-required', 'idempotency', 'stateful'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface VerifyOptions {
  /** Path or URL of the contract, a loaded spec, a built IR, or a parsed OpenAPI object. */
  spec: MockSpecInput;
  /** Where the provider listens, including any base path the contract's servers name (`http://127.0.0.1:8080/v1`). */
  baseUrl: string;
  /**
   * Credentials by security scheme name as in the contract, or by kind: `bearer` (token), `basic` (`user:pass`),
   * `apiKey` (any api-key scheme). Without a credential for an operation's security, its positive checks are skipped.
   */
  auth?: Record<string, string>;
  /** Sent on every request (after auth, so they can override it). */
  headers?: Record<string, string>;
  /** Operation ids (operationId or concord's name) or tags; empty/absent = all. */
  operations?: readonly string[];
  /** Seed for generated data (default 1): the same seed sends the same requests. */
  seed?: number;
  /** Generated valid requests per operation (default 20); negative ones come on top, one per mutation kind. */
  maxRequests?: number;
  /** Run CRUD sequences (create → read → update → read → delete → read, list) and `links` (default false). */
  stateful?: boolean;
  /** Send contract-breaking requests that must be rejected (default true). */
  negative?: boolean;
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Per request (default 10,000 ms). */
  timeoutMs?: number;
  /** Only these checks (default all). */
  checks?: readonly CheckId[];
  /** Progress: called after each operation finishes. */
  onProgress?: (done: number, total: number, requests: number) => void;
}

export interface WireRequest {
  method: string;
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface ReportedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** UTF-8 text of the body (binary bytes shown as base64 with a `base64:` prefix), cut at 4 kB. */
  body?: string;
  curl: string;
}

export interface ReportedResponse {
  status: number;
  headers: Record<string, string>;
  /** The first 2 kB of the body. */
  body: string;
}

export interface VerifyFailure {
  check: CheckId;
  /** operationId (or concord's name for the operation). */
  operation: string;
  method: string;
  path: string;
  message: string;
  /** JSON pointer of the violation in the response (`/body/items/0/id`, `/header/x-rate-limit`, `/status`). */
  pointer: string;
  /** JSON pointer into the contract of what was violated (the response, schema or operation). */
  contractPointer: string;
  request: ReportedRequest;
  response?: ReportedResponse;
  /** How many requests this operation had sent for this check family when the failure showed. */
  requestsToFind: number;
  /** Extra requests spent shrinking the failing request to a minimal one. */
  shrinkRequests: number;
}

export interface CheckTally {
  passed: number;
  failed: number;
}

export interface OperationSummary {
  operation: string;
  method: string;
  path: string;
  requests: number;
  /** Check id -> outcomes; a check absent here did not apply. */
  checks: Partial<Record<CheckId, CheckTally>>;
  /** Why parts were not run (no credentials, nothing valid could be generated, ...). */
  skipped: string[];
}

export interface VerifyReport {
  /** Bumped when a field changes meaning or goes away (schemas/verify-report.schema.json). */
  reportVersion: 1;
  tool: 'concord verify';
  version: string;
  spec: { title: string; version: string };
  baseUrl: string;
  seed: number;
  checks: CheckId[];
  startedAt: string;
  durationMs: number;
  requests: number;
  requestsPerSecond: number;
  operations: OperationSummary[];
  failures: VerifyFailure[];
  totals: Record<CheckId, CheckTally>;
}
