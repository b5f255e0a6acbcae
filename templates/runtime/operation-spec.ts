/**
 * What the generator tells the runtime about an operation, shared by the client core and the provider router,
 * so both sides read one description of the contract.
 */
import type { z } from 'zod/v4';

/** How a media type travels: decided once by the generator from the media type. */
export type BodyEncoding = 'json' | 'form' | 'multipart' | 'text' | 'binary';

/** The operation's idempotency mode, as concord decided it from the contract. */
export interface IdempotencySpec {
  readonly mode: 'safe' | 'idempotent' | 'keyed' | 'none';
  readonly header: string;
  readonly required: boolean;
}

/** The generated `<operation>Schemas` object: validators per parameter location, body and response. */
export interface OperationSchemas {
  readonly path?: z.ZodType;
  readonly query?: z.ZodType;
  readonly header?: z.ZodType;
  readonly cookie?: z.ZodType;
  readonly body?: Readonly<Record<string, z.ZodType>>;
  readonly responses: Readonly<Record<string, Readonly<Record<string, z.ZodType>>>>;
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
