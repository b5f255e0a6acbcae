/**
 * The spec-agnostic model every generator and engine reads. Built once from a loaded OpenAPI 3.x document
 * (Swagger 2.0 is upgraded before it gets here). No TypeScript source text lives in here: names are plain
 * identifiers, and each node keeps the JSON pointer of the place in the (bundled) document it came from.
 */

/** RFC 6901 pointer into the bundled root document, e.g. `/components/schemas/Pet/properties/id`. */
export type JsonPointer = string;

import type { RetryPolicy } from '../../templates/runtime/retry-policy.js';

export type IdempotencyMode = 'safe' | 'idempotent' | 'keyed' | 'none';

/** The fixed OpenAPI methods, plus any other (lower-cased) from OpenAPI 3.2 `additionalOperations` (e.g. `purge`). */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace' | 'query' | (string & {});

export interface IrDocument {
  title: string;
  version: string;
  description?: string;
  /** The version the document declared, before any upgrade: `2.0`, `3.0.3`, `3.1.0`, ... */
  sourceVersion: string;
  servers: IrServer[];
  /** Named schemas in a stable order (components first, then hoisted ones). */
  schemas: IrNamedSchema[];
  operations: IrOperation[];
  /** OpenAPI 3.1 `webhooks`, modelled as operations the provider sends and the consumer receives. */
  webhooks: IrOperation[];
  securitySchemes: IrSecurityScheme[];
  /** Document-level default security requirement (operations inherit it unless they override). */
  security: IrSecurityRequirement[];
  /** sha256 of the canonical bundled document; written into every generated file header. */
  hash: string;
  /**
   * The bundled document (only `#/` references) as load produced it, kept whole for the outputs that carry the
   * contract itself so they run without the spec file: mock.ts and msw.ts hand it to concord's mock at test time.
   * A payload, not a source of facts: every decision about the document is made while building this IR, so no
   * generator reads fields from it. Shared with the loaded spec, not copied.
   */
  bundledDocument: Readonly<Record<string, unknown>>;
  /** Document-wide retry policy from `x-speakeasy-retries` / `x-concord-retries`. */
  retry?: IrRetryPolicy;
  /** OpenAPI 3.2 `$self`: the document's own URI (the base for its relative references). */
  self?: string;
  /** Top-level tags, with the OpenAPI 3.2 fields (`summary`, `parent`, `kind`). */
  tags?: IrTag[];
  /**
   * Where generated code checks `format` when its user does not say (config `validate.formats`); absent means
   * `outgoing`: what concord sends is checked, what it receives is not rejected for a format.
   */
  formats?: FormatPolicy;
}

export type FormatPolicy = 'strict' | 'outgoing' | 'off';

export interface IrTag {
  name: string;
  summary?: string;
  description?: string;
  /** 3.2: the tag this one nests under. */
  parent?: string;
  /** 3.2: what the tag is for (`nav`, `badge`, `audience`, ...). */
  kind?: string;
}

export interface IrServer {
  url: string;
  description?: string;
  variables: Record<string, { default: string; enum?: string[] }>;
}

export interface IrNamedSchema {
  /** Unique, valid TypeScript identifier in PascalCase, stable across runs. */
  name: string;
  /** The key it had in the document (`components.schemas[originalName]`), or a description of its origin. */
  originalName: string;
  pointer: JsonPointer;
  schema: IrSchema;
  /** True when some path from this schema leads back to itself. */
  recursive: boolean;
  /**
   * Whether the schema (through its refs) has readOnly / writeOnly properties. When true, generators emit a
   * request variant (readOnly omitted) and/or a response variant (writeOnly omitted) next to the full shape.
   */
  hasReadOnly: boolean;
  hasWriteOnly: boolean;
  /**
   * Whether a readOnly or writeOnly mark sits anywhere on this schema or on what it reaches (a ref site, the top,
   * below): false means it reads the same in requests and responses, so `concord diff` compares it once for both.
   * Absent when unknown (an IR not built by buildIr), which counts as true.
   */
  directional?: boolean;
  /** Identifier of the request variant (readOnly omitted), when `hasReadOnly`. */
  requestName?: string;
  /** Identifier of the response variant (writeOnly omitted), when `hasWriteOnly`. */
  responseName?: string;
}

interface IrSchemaBase {
  pointer: JsonPointer;
  /** 3.0 `nullable: true`, 3.1 `type: [x, "null"]`, or a `null` member folded out of a oneOf/anyOf. */
  nullable?: boolean;
  title?: string;
  description?: string;
  deprecated?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  /** JSON value, if the schema declares `default`. */
  default?: unknown;
  /** Example values (3.0 `example` and 3.1 `examples` merged). */
  examples?: unknown[];
  /**
   * The schema declares no `type`: its kind was read from its keywords (`minLength` -> string), which in JSON
   * Schema constrain only values of that type. Values of any other JSON type are not constrained by it.
   */
  typeImplied?: boolean;
}

export interface IrRef extends IrSchemaBase {
  kind: 'ref';
  /** Name of an `IrNamedSchema`. */
  name: string;
}

export interface IrAny extends IrSchemaBase {
  kind: 'any';
}

export interface IrNever extends IrSchemaBase {
  kind: 'never';
}

export interface IrNull extends IrSchemaBase {
  kind: 'null';
}

export interface IrBoolean extends IrSchemaBase {
  kind: 'boolean';
}

export type StringFormat =
  | 'date-time'
  | 'date'
  | 'time'
  | 'duration'
  | 'uuid'
  | 'email'
  | 'uri'
  | 'uri-reference'
  | 'hostname'
  | 'ipv4'
  | 'ipv6'
  | 'byte'
  | 'binary'
  | 'password'
  | (string & {});

export interface IrString extends IrSchemaBase {
  kind: 'string';
  format?: StringFormat;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  contentMediaType?: string;
}

export interface IrNumber extends IrSchemaBase {
  kind: 'number' | 'integer';
  /** int32, int64, float, double, ... as declared. */
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
}

export interface IrArray extends IrSchemaBase {
  kind: 'array';
  items: IrSchema;
  /** 3.1 `prefixItems`: a tuple prefix before `items`. */
  prefixItems?: IrSchema[];
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

export interface IrProperty {
  /** The wire name, exactly as in the document (may be any string). */
  name: string;
  required: boolean;
  schema: IrSchema;
}

export interface IrObject extends IrSchemaBase {
  kind: 'object';
  properties: IrProperty[];
  /**
   * `true`: any extra keys; `false`: no extra keys; a schema: extra keys must match it.
   * Absent `additionalProperties` is `true` (JSON Schema semantics).
   */
  additionalProperties: boolean | IrSchema;
  patternProperties?: Array<{ pattern: string; schema: IrSchema }>;
  minProperties?: number;
  maxProperties?: number;
  /** A discriminator declared on an allOf-based parent (subtypes `allOf` this schema). */
  discriminator?: IrDiscriminator;
}

export interface IrEnum extends IrSchemaBase {
  kind: 'enum';
  /** Distinct JSON primitives in document order (null folded into `nullable`). */
  values: Array<string | number | boolean>;
  /** The declared base type, when there was one. */
  baseType?: 'string' | 'number' | 'integer' | 'boolean';
}

export interface IrConst extends IrSchemaBase {
  kind: 'const';
  value: string | number | boolean | null;
}

export interface IrDiscriminator {
  propertyName: string;
  /** Discriminator value -> named schema (explicit mapping first, then implicit by schema name). */
  mapping: Array<{ value: string; schema: string }>;
}

export interface IrUnion extends IrSchemaBase {
  kind: 'union';
  /** oneOf is exclusive; anyOf is not. Validators treat both as "at least one" (see DESIGN note in zod printer). */
  mode: 'oneOf' | 'anyOf';
  members: IrSchema[];
  discriminator?: IrDiscriminator;
}

export interface IrIntersection extends IrSchemaBase {
  kind: 'intersection';
  members: IrSchema[];
  /** A discriminator declared on the allOf-based parent; members that allOf it are subtypes. */
  discriminator?: IrDiscriminator;
}

export type IrSchema =
  | IrRef
  | IrAny
  | IrNever
  | IrNull
  | IrBoolean
  | IrString
  | IrNumber
  | IrArray
  | IrObject
  | IrEnum
  | IrConst
  | IrUnion
  | IrIntersection;

export type IrSchemaKind = IrSchema['kind'];

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export type ParameterStyle = 'matrix' | 'label' | 'simple' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

export interface IrParameter {
  /** Wire name. */
  name: string;
  in: ParameterLocation;
  required: boolean;
  deprecated: boolean;
  style: ParameterStyle;
  explode: boolean;
  allowReserved: boolean;
  /** Media type when the parameter uses `content` instead of `schema` (value is serialised, e.g. JSON). */
  contentType?: string;
  schema: IrSchema;
  description?: string;
  pointer: JsonPointer;
}

export type BodyEncoding = 'json' | 'form' | 'multipart' | 'text' | 'binary';

export interface IrMediaType {
  /** Exact media type string from the document, e.g. `application/json; charset=utf-8` or `image/*`. */
  mediaType: string;
  /** How the client encodes/decodes it. */
  encoding: BodyEncoding;
  schema: IrSchema;
  examples: Array<{ name: string; value: unknown }>;
  /** Streaming responses (text/event-stream, application/x-ndjson) are not buffered for validation. */
  streaming: boolean;
  /** For streaming media: how the stream is framed and what each event carries (see `IrStream`). */
  stream?: IrStream;
  pointer: JsonPointer;
}

/** How a sequential media type is framed: Server-Sent Events, one JSON value per line, or RFC 7464 JSON text sequences. */
export type StreamFormat = 'sse' | 'ndjson' | 'json-seq';

/**
 * A streaming body, decided once here for the client, mock and server. Each event (an SSE `data` field, an NDJSON
 * line) is parsed and validated against `item`, taken in this order: OpenAPI 3.2 `itemSchema`, then
 * `x-concord-stream-item`, then for NDJSON/JSON-seq an array `schema`'s `items`, else the media type's `schema`
 * itself applied to each event.
 */
export interface IrStream {
  format: StreamFormat;
  item: IrSchema;
  itemSource: 'itemSchema' | 'x-concord-stream-item' | 'array-items' | 'schema';
}

export type PaginationStyle = 'cursor' | 'offset' | 'page';

/**
 * How to walk a paginated list, decided once in the IR (detected from parameter and response names, or declared by
 * `x-pagination` / the config file). Paths are property names from the response body root; `[]` is the body itself.
 */
export interface IrPagination {
  style: PaginationStyle;
  source: 'detected' | 'x-pagination' | 'config';
  /** Where the page's items are: `['data']`, or `[]` when the body is the array. */
  items: string[];
  /** Schema of one item (for typing). */
  itemSchema: IrSchema;
  /** Query parameter the page size goes in, if any (`limit`, `per_page`, `page_size`). */
  limitParam?: string;
  /** cursor: query parameter that carries the cursor (`starting_after`, `cursor`, `page_token`, `continue`). */
  cursorParam?: string;
  /** cursor: the next cursor is a response field, or a field of the page's last item (`starting_after` + `id`). */
  nextCursor?: { from: 'field'; path: string[] } | { from: 'last-item'; field: string };
  /** A boolean response field that says whether another page exists (`has_more`). */
  hasMore?: string[];
  /** offset: query parameter of the offset. */
  offsetParam?: string;
  /** page: query parameter of the page number, and the first page's number. */
  pageParam?: string;
  firstPage?: number;
  /** Follow `Link: <...>; rel="next"` when the response has one (it wins over the computed next page). */
  linkHeader: boolean;
}

export interface IrRequestBody {
  required: boolean;
  description?: string;
  content: IrMediaType[];
  pointer: JsonPointer;
}

export interface IrResponseHeader {
  name: string;
  required: boolean;
  schema: IrSchema;
}

export interface IrResponse {
  /** `200`, `404`, `4XX`, or `default`. */
  status: string;
  description: string;
  content: IrMediaType[];
  headers: IrResponseHeader[];
  /** OpenAPI `links`: calls this answer makes possible (only present when the response declares some). */
  links?: IrLink[];
  pointer: JsonPointer;
}

/** One OpenAPI link: a follow-up operation and how to fill it from this request/response (runtime expressions). */
export interface IrLink {
  name: string;
  /** The target by operationId; an `operationRef` into this document is resolved to it where possible. */
  operationId?: string;
  operationRef?: string;
  /** Parameter name (or `path.name`, `query.name`, ...) -> runtime expression (`$response.body#/id`) or constant. */
  parameters: Record<string, unknown>;
  requestBody?: unknown;
  pointer: JsonPointer;
}

export type IrSecurityScheme =
  | { kind: 'http-bearer'; key: string; bearerFormat?: string; description?: string; pointer: JsonPointer }
  | { kind: 'http-basic'; key: string; description?: string; pointer: JsonPointer }
  | { kind: 'api-key'; key: string; in: 'header' | 'query' | 'cookie'; name: string; description?: string; pointer: JsonPointer }
  | {
      kind: 'oauth2';
      key: string;
      flows: Array<{ flow: 'clientCredentials' | 'authorizationCode' | 'implicit' | 'password'; tokenUrl?: string; authorizationUrl?: string; refreshUrl?: string; scopes: string[] }>;
      description?: string;
      pointer: JsonPointer;
    }
  | { kind: 'openid-connect'; key: string; url: string; description?: string; pointer: JsonPointer }
  | { kind: 'mutual-tls'; key: string; description?: string; pointer: JsonPointer }
  | { kind: 'http-other'; key: string; scheme: string; description?: string; pointer: JsonPointer }
  /** `x-concord-hmac` / `x-hmac` on a scheme, or config: HMAC request signing. */
  | { kind: 'hmac'; key: string; header: string; timestampHeader: string; algorithm: 'sha256' | 'sha512'; description?: string; pointer: JsonPointer };

/** One alternative of a security requirement: all the listed schemes together (scheme key -> scopes). Empty = anonymous allowed. */
export type IrSecurityRequirement = Array<{ scheme: string; scopes: string[] }>;

/**
 * A contract's retry policy (`x-speakeasy-retries` / `x-concord-retries`) in the runtime's own terms, read by the
 * runtime's `retryPolicyFromContract` (retry-contract.ts): the generated client prints it as it is.
 */
export type IrRetryPolicy = Partial<RetryPolicy>;

export interface IrOperation {
  /** Unique, valid camelCase identifier derived from operationId, else from method + path. */
  name: string;
  /** As written in the document, if any. */
  operationId?: string;
  method: HttpMethod;
  /** Path template as written: `/pets/{petId}`. */
  path: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  tags: string[];
  /** Sorted path, query, header, cookie; path-item parameters merged in, operation ones win. */
  parameters: IrParameter[];
  requestBody?: IrRequestBody;
  /** Sorted by status: explicit codes ascending, then ranges, then `default`. */
  responses: IrResponse[];
  /** Effective requirement: the operation's own, else the document's. Empty array = no auth. */
  security: IrSecurityRequirement[];
  idempotency: {
    mode: IdempotencyMode;
    /** Header that carries the key (default `Idempotency-Key`). */
    header: string;
    /** True when the contract requires the key (declared as a required header parameter). */
    required: boolean;
    /** Where the decision came from, for humans: `method`, `header-parameter`, `x-idempotency`, `config`. */
    source: 'method' | 'header-parameter' | 'x-idempotency' | 'config';
  };
  /**
   * The operation's own `x-speakeasy-retries` / `x-concord-retries`, else the document's (an operation's policy
   * replaces the document's, as in Speakeasy); absent when neither sets one.
   */
  retry?: IrRetryPolicy;
  /** `x-concord-critical: true` or config `alerts.critical`: gets its own alert rules. */
  critical?: true;
  /** 3.0 callbacks: name -> operations the provider will call. */
  callbacks: Array<{ name: string; operations: IrOperation[] }>;
  servers?: IrServer[];
  /** Set when a success response streams (see `IrMediaType.stream`); `resumable` from `x-concord-resumable: true`. */
  stream?: { resumable: boolean };
  /** Set when the operation is a paginated list. */
  pagination?: IrPagination;
  pointer: JsonPointer;
}
