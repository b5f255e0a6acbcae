/**
 * What the generator tells the runtime about an operation, shared by the client core (`http.ts`) and the
 * provider router (`server-types.ts`), so both sides read one description of the contract.
 */
import type { z } from 'zod/v4';

/** How a media type travels: decided once by the generator from the media type. */
export type BodyEncoding = 'json' | 'form' | 'multipart' | 'text' | 'binary';

/** The operation's idempotency mode, as the IR decided it (see DESIGN.md, Idempotency). */
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
