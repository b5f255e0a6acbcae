/**
 * Types shared by the provider router, its node:http adapter, the webhook receiver and the generated `server.ts`.
 */
import type { ServerParamSpec, WireHint } from './server-params.js';
import type { SecurityAlternative } from './server-security.js';

type Digit = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
type ToNumber<S> = S extends `${infer N extends number}` ? N : never;

/** Every status of a class as a literal union (`StatusInRange<4>` is 400 | 401 | ... | 499), for `4XX` responses. */
export type StatusInRange<C extends 1 | 2 | 3 | 4 | 5> = ToNumber<`${C}${Digit}${Digit}`>;
/** 100..599; a `default` response may use any of them that the operation does not declare otherwise. */
export type HttpStatus = StatusInRange<1 | 2 | 3 | 4 | 5>;

import type { MediaSpec, SharedOperationSpec } from './operation-spec.js';
export type { BodyEncoding, IdempotencySpec, OperationSchemas } from './operation-spec.js';

/** A media type as the router reads it: form and multipart bodies also say how their fields are typed. */
export interface ServerMediaSpec extends MediaSpec {
  readonly hint?: WireHint;
}

/** The shared operation description (operation-spec.ts) with what the router adds: the handler's name, wire hints. */
export interface RouteSpec extends SharedOperationSpec<ServerParamSpec, ServerMediaSpec> {
  /** Key of the operation's handler in the handler map. */
  readonly name: string;
  /** The effective security requirement: alternatives, each a set of schemes (empty list: no authentication). */
  readonly security?: readonly SecurityAlternative[];
}

/** The part of a database client the PostgreSQL stores and handler transactions use (`pg.Pool`/`pg.PoolClient` fit). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

export interface HandlerContext {
  readonly operationId: string;
  /** Read from the correlation header or created; echoed on the response. */
  readonly correlationId: string;
  /** The request as received. Its body has been read: use the parsed `body` the handler got. */
  readonly request: Request;
  /** The Idempotency-Key of a keyed operation, when the caller sent one. */
  readonly idempotencyKey: string | undefined;
  /**
   * Runs `fn` inside the database transaction that will also store this request's idempotent response, so the
   * handler's write and the stored response commit together or not at all. Present only for keyed requests when
   * the idempotency store is transactional (the PostgreSQL store). Call it at most once per request.
   */
  readonly transaction: (<T>(fn: (client: Queryable) => Promise<T>) => Promise<T>) | undefined;
  /**
   * What the security verifier returned for the satisfied requirement's first scheme; undefined for operations
   * without security, anonymous access, or a scheme without a verifier (presence checked only).
   */
  readonly principal: unknown;
  /** Every verified scheme of the satisfied alternative -> its principal. */
  readonly principals: Readonly<Record<string, unknown>>;
}

/** Response headers a handler sets; numbers are sent as their decimal text. */
export type ResponseHeaders = Readonly<Record<string, string | number>>;

/** A handler's answer as the router sees it before checking it against the contract. */
export interface HandlerResult {
  readonly status: number;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly headers?: ResponseHeaders;
}

/**
 * Handlers are checked against their generated types at the call site; here the router only needs to call them.
 * A method signature keeps parameter checks bivariant, so a handler for one operation's input fits.
 */
export type AnyHandler = {
  bivarianceHack(input: ParsedInput, context: HandlerContext): unknown;
}['bivarianceHack'];

export interface ParsedInput {
  path?: unknown;
  query?: unknown;
  header?: unknown;
  cookie?: unknown;
  body?: unknown;
  contentType?: string | undefined;
}

/** The router's view of a request, so the node:http adapter need not build a web `Request` per call. */
export interface RawRequest {
  readonly method: string;
  /** Path and query as received (percent-encoded), e.g. `/pets?limit=2`. */
  readonly url: string;
  /** Lower-case name; several values joined with `, ` (cookies with `; `). */
  header(name: string): string | undefined;
  /** The body bytes; rejects with `BodyTooLargeError` past the limit. */
  body(limit: number): Promise<Uint8Array<ArrayBuffer>>;
  /** The web `Request` (built on first use by adapters that do not start from one). */
  toRequest(): Request;
}

export type RawBody = string | Uint8Array<ArrayBuffer> | Blob | ReadableStream<Uint8Array> | null;

export interface RawResponse {
  status: number;
  headers: Array<[string, string]>;
  body: RawBody;
}

export class BodyTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`Request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
    this.limit = limit;
  }
}

export type ServerEvent =
  | {
      type: 'request-rejected';
      operationId: string | null;
      correlationId: string;
      status: number;
      issues: ReadonlyArray<{ pointer: string; message: string }>;
    }
  | {
      type: 'response-invalid';
      operationId: string;
      correlationId: string;
      status: number;
      issues: ReadonlyArray<{ pointer: string; message: string }>;
    }
  | { type: 'handler-error'; operationId: string; correlationId: string; error: unknown }
  | { type: 'unauthorized'; operationId: string; correlationId: string; status: 401 | 403 }
  /** A keyed request's outcome could not be stored (a 500 stands in its place, if `stored`) or is unknown. */
  | {
      type: 'idempotency-failure';
      operationId: string;
      correlationId: string;
      key: string;
      kind: 'store-failed' | 'abandoned';
      error: unknown;
      stored: boolean;
    }
  | { type: 'idempotent-replay'; operationId: string; correlationId: string; key: string }
  | { type: 'idempotency-rejected'; operationId: string; correlationId: string; key: string | null; status: number };
