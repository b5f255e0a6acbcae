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

/** How one media type of a request or response body travels. */
export interface MediaSpec {
  readonly mediaType: string;
  readonly encoding: BodyEncoding;
  readonly streaming?: boolean;
  /** Streaming media: how events are framed; `text` keeps each event's data as text. */
  readonly stream?: StreamFormat;
  readonly text?: boolean;
}

/** Where a parameter travels and how it is written (OpenAPI style + explode). */
export interface ParamPlacement {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly style: 'matrix' | 'label' | 'simple' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';
  readonly explode: boolean;
  /** Set when the parameter is declared with `content` (its value travels serialised, e.g. as JSON). */
  readonly contentType?: string;
}

/** Alternatives, each a set of schemes with their scopes (empty: no authentication). */
export type SecurityRequirements = ReadonlyArray<
  ReadonlyArray<{ readonly scheme: string; readonly scopes: readonly string[] }>
>;

/**
 * One operation as the generator describes it, read by both the client core and the provider router; each side
 * extends it with what only it reads (the client its retry policy, the router the handler's name and wire hints).
 */
export interface SharedOperationSpec<P extends ParamPlacement = ParamPlacement, M extends MediaSpec = MediaSpec> {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly params: readonly P[];
  readonly body: readonly M[];
  readonly bodyRequired: boolean;
  /** Declared statuses (`200`, `4XX`, `default`) -> media types (empty: no body). */
  readonly responses: Readonly<Record<string, readonly M[]>>;
  readonly idempotency: IdempotencySpec;
  readonly security?: SecurityRequirements;
  readonly schemas: OperationSchemas;
}

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
