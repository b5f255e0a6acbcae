/**
 * What the generator tells the runtime about an operation, shared by the client core and the provider router,
 * so both sides read one description of the contract.
 */

/** How a media type travels: decided once by the generator from the media type. */
export type BodyEncoding = 'json' | 'form' | 'multipart' | 'text' | 'binary';

/** The operation's idempotency mode, as concord decided it from the contract. */
export interface IdempotencySpec {
  readonly mode: 'safe' | 'idempotent' | 'keyed' | 'none';
  readonly header: string;
  readonly required: boolean;
}

/**
 * What the runtime needs of a validator: `safeParse`. zod's schemas fit it. Declared here rather than as
 * `Validator` because relating every generated validator's type to `Validator` makes the user's tsc compute the
 * variance of zod's generic classes (over a second of CPU on each type-check of the output); relating them to
 * this shape reads one method.
 */
export interface Validator {
  safeParse(
    data: unknown,
  ):
    | { readonly success: true; readonly data: unknown }
    | { readonly success: false; readonly error: { readonly issues: readonly ValidatorIssue[] } };
}

/** An issue as zod reports it (the parts the runtime reads). */
export interface ValidatorIssue {
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
}

/** The generated `<operation>Schemas` object: validators per parameter location, body and response. */
export interface OperationSchemas {
  readonly path?: Validator;
  readonly query?: Validator;
  readonly header?: Validator;
  readonly cookie?: Validator;
  readonly body?: Readonly<Record<string, Validator>>;
  readonly responses: Readonly<Record<string, Readonly<Record<string, Validator>>>>;
}

/** How a streaming media type is framed (decided by the IR). */
export type StreamFormat = 'sse' | 'ndjson' | 'json-seq';

export type EventCheck = (
  data: unknown,
) => { ok: true; data: unknown } | { ok: false; issues: Array<{ pointer: string; message: string }> };

/** What the client core hands the streaming runtime to turn a response into an event stream. */
export interface StreamSource {
  operationId: string;
  format: StreamFormat;
  response: Response;
  /** The event's data stays text (the per-event schema is a string). */
  text?: boolean;
  check?: EventCheck;
  /** Resumable operations: opens the stream again after `lastEventId`. */
  reconnect?: (lastEventId: string) => Promise<Response>;
  maxReconnects?: number;
  signal?: AbortSignal;
}
