import type { IrMediaType, IrOperation, ParameterLocation } from '../ir/types.js';
import { z, type ZExpr } from './expr.js';
import type { ZodExprBuilder } from './build-expr.js';

/** The validators of one operation, as expressions. Shared by the schemas.ts printer and the mock/server engines. */
export interface OperationExprs {
  /** One object schema per parameter location that has parameters. */
  params: Partial<Record<ParameterLocation, ZExpr>>;
  /** Request body per media type (request variant: readOnly omitted, defaults filled). */
  body: Array<{ mediaType: string; e: ZExpr }>;
  /** Response body per status and media type (response variant: writeOnly omitted). */
  responses: Array<{ status: string; mediaType: string; e: ZExpr }>;
}

const LOCATIONS: ParameterLocation[] = ['path', 'query', 'header', 'cookie'];

export function buildOperationExprs(builder: ZodExprBuilder, operation: IrOperation): OperationExprs {
  const params: OperationExprs['params'] = {};
  for (const location of LOCATIONS) {
    const list = operation.parameters.filter((p) => p.in === location);
    if (list.length === 0) continue;
    const entries = list.map((p) => ({ key: p.name, e: builder.member(p.schema, p.required, 'request'), ...(p.description ? { doc: p.description } : {}) }));
    params[location] = z('object', { k: 'shape', spreads: [], entries });
  }
  const body = (operation.requestBody?.content ?? []).map((media) => ({ mediaType: media.mediaType, e: bodyExpr(builder, media, 'request') }));
  const responses = operation.responses.flatMap((response) =>
    response.content.map((media) => ({ status: response.status, mediaType: media.mediaType, e: bodyExpr(builder, media, 'response') })),
  );
  return { params, body, responses };
}

/**
 * What a body of this media type is on the wire for the client: JSON and forms carry the schema's shape; bytes
 * (images, protobuf, YAML sent as a file) are a Blob whatever JSON schema the document attaches; a stream is
 * validated one event at a time, so its validator is the per-event schema the IR chose.
 */
function bodyExpr(builder: ZodExprBuilder, media: IrMediaType, variant: 'request' | 'response'): ZExpr {
  if (media.stream) return builder.build(media.stream.item, variant);
  if (media.streaming) return z('unknown');
  if (media.encoding === 'binary') return { k: 'helper', base: z('unknown'), helper: 'binary', args: [] };
  if (media.encoding === 'text' && media.schema.kind !== 'string' && media.schema.kind !== 'enum' && media.schema.kind !== 'const' && media.schema.kind !== 'ref') {
    return z('string');
  }
  return builder.build(media.schema, variant);
}
