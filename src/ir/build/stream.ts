import type { IrSchema, IrStream, JsonPointer, StreamFormat } from '../types.js';
import { buildSchema } from './schema.js';
import { child, isObject, type BuildContext, type JsonObject } from './context.js';

/** Sequential media types and their framing. `application/stream+json` is the old name some APIs still use for NDJSON. */
const FORMATS: Readonly<Record<string, StreamFormat>> = {
  'text/event-stream': 'sse',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'application/stream+json': 'ndjson',
  'application/json-seq': 'json-seq',
};

export function streamFormatOf(mediaType: string): StreamFormat | undefined {
  const base = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  return FORMATS[base];
}

/**
 * The per-event schema of a streaming media type object, in a fixed order of precedence (documented on `IrStream`).
 * `schema` is the already built `schema` of the media type.
 */
export function buildStream(ctx: BuildContext, node: JsonObject, schema: IrSchema, format: StreamFormat, at: JsonPointer): IrStream {
  if (node['itemSchema'] !== undefined) return { format, item: buildSchema(ctx, node['itemSchema'], child(at, 'itemSchema')), itemSource: 'itemSchema' };
  const extension = node['x-concord-stream-item'];
  if (isObject(extension)) return { format, item: buildSchema(ctx, extension, child(at, 'x-concord-stream-item')), itemSource: 'x-concord-stream-item' };
  // A JSON-lines body described as an array of lines: each line is one item.
  if (format !== 'sse' && schema.kind === 'array') return { format, item: schema.items, itemSource: 'array-items' };
  return { format, item: schema, itemSource: 'schema' };
}
