import type { IrDocument, IrMediaType, IrOperation, IrPagination, IrResponse, IrSchema } from '../../ir/types.js';
import { printJson } from '../print/print-expr.js';

/**
 * The client's streaming and pagination surface, kept apart from the core printer: an SSE/NDJSON response's data
 * is an `EventStream` of typed events, and a paginated list gets `.paginate()` and `.pages()`.
 */

export const usesStreams = (ir: IrDocument): boolean => ir.operations.some((op) => op.stream !== undefined);
export const usesPagination = (ir: IrDocument): boolean => ir.operations.some((op) => op.pagination !== undefined);

/** Imports client.ts needs for these features (nothing when the contract has neither). */
export function extraImports(ir: IrDocument): string[] {
  const out: string[] = [];
  if (usesStreams(ir)) out.push(`import { openEventStream, streamOf, type EventStream } from './runtime/stream.js';`);
  if (usesPagination(ir)) out.push(`import { pages, paginate, type ItemsAt, type Page, type PageGuards } from './runtime/paginate.js';`);
  if (usesBinaryResponses(ir)) out.push(`import type { BinaryBody } from './runtime/body-stream.js';`);
  return out;
}

export function extraExports(ir: IrDocument): string[] {
  const out: string[] = [];
  if (usesStreams(ir)) out.push(`export { EventStream, StreamEventValidationError, StreamInterruptedError, type StreamEvent } from './runtime/stream.js';`);
  if (usesPagination(ir)) out.push(`export type { Page, PageGuards } from './runtime/paginate.js';`);
  out.push(`export { BinaryBody, type FilePart } from './runtime/body-stream.js';`);
  return out;
}

/** The third argument of `createCore`. */
export function coreFeatures(ir: IrDocument): string {
  return usesStreams(ir) ? ', { openStream: openEventStream }' : '';
}

const isText = (schema: IrSchema): boolean => schema.kind === 'string' || (schema.kind === 'enum' && schema.values.every((v) => typeof v === 'string'));

/** Extra fields of a media type in the operation spec the runtime reads. */
export function mediaSpecExtras(media: IrMediaType): Record<string, unknown> {
  if (!media.stream) return {};
  return { stream: media.stream.format, ...(isText(media.stream.item) ? { text: true } : {}) };
}

export function operationSpecExtras(op: IrOperation): Record<string, unknown> {
  return op.stream?.resumable === true ? { resumable: true } : {};
}

/** The type of a response body as the client returns it: typed events for streaming media, unread bytes for binary. */
export function streamedType(response: IrResponse, mediaType: string, type: string): string {
  const media = response.content.find((m) => m.mediaType === mediaType);
  if (media?.stream) return `EventStream<${type}>`;
  return media?.encoding === 'binary' && !media.streaming ? 'BinaryBody' : type;
}

const usesBinaryResponses = (ir: IrDocument): boolean =>
  ir.operations.some((op) => op.responses.some((r) => r.content.some((m) => m.encoding === 'binary' && !m.streaming)));

function pagination(p: IrPagination): Record<string, unknown> {
  const { itemSchema: _item, source: _source, ...rest } = p;
  return rest;
}

/** Statements after an operation's function: its pagination spec, when it paginates. */
export function printPaginationSpec(op: IrOperation): string {
  return op.pagination ? `const ${op.name}Pagination = ${printJson(pagination(op.pagination))} as const;\n` : '';
}

/** The streaming media type `.stream()` asks for: the first streaming one of the first success response. */
function streamMedia(op: IrOperation): { status: string; media: IrMediaType } | undefined {
  for (const response of op.responses) {
    const media = /^2/.test(response.status) ? response.content.find((m) => m.stream !== undefined) : undefined;
    if (media) return { status: response.status, media };
  }
  return undefined;
}

/** The member type of `Client` for an operation, when it has more than the call itself. */
export function clientMemberType(op: IrOperation, call: string, input: string, result: string, inputOptional: boolean): string | undefined {
  const members: string[] = [];
  const arg = (extra: string): string => `input${inputOptional ? '?' : ''}: ${input}, options?: CallOptions${extra}`;
  const streamed = streamMedia(op);
  const ok = `rt.Returned<${result}, true>['data']`;
  if (streamed) {
    members.push(`/** Asks for \`${safe(streamed.media.mediaType)}\` and returns the typed event stream (an error status throws \`ApiError\`). */\n    stream(${arg('')}): Promise<Extract<${ok}, EventStream<unknown>>>;`);
  }
  if (op.pagination) {
    const body = ok;
    const item = `ItemsAt<${body}, ${printJson(op.pagination.items)}>`;
    members.push(`/** Every item of every page, in order (\`maxItems\`/\`maxPages\` stop early). */\n    paginate(${arg(' & PageGuards')}): AsyncGenerator<${item}, void, undefined>;`);
    members.push(`/** Every page with its items and response. */\n    pages(${arg(' & PageGuards')}): AsyncGenerator<Page<${item}, ${body}>, void, undefined>;`);
  }
  return members.length === 0 ? undefined : `{\n    ${call};\n    ${members.join('\n    ')}\n  }`;
}

const safe = (text: string): string => text.replace(/\*\//g, '*\\/');

/** The implementation of the member in `createClient`. */
export function clientMemberImpl(op: IrOperation, input: string, direct: string): string | undefined {
  const streamed = streamMedia(op);
  if (!op.pagination && !streamed) return undefined;
  const id = JSON.stringify(op.operationId ?? op.name);
  const call = `(i: ${input}, o?: CallOptions) => ${op.name}(core, i, o)`;
  const lines = [`Object.assign(${direct}, {`];
  if (streamed) lines.push(`      stream: (input?: ${input}, options?: CallOptions) => streamOf(${id}, ${call}, ${JSON.stringify(streamed.media.mediaType)}, (input ?? {}) as ${input}, options),`);
  if (op.pagination) {
    lines.push(`      paginate: (input?: ${input}, options?: CallOptions & PageGuards) => paginate(${id}, ${call}, ${op.name}Pagination, (input ?? {}) as ${input}, options),`);
    lines.push(`      pages: (input?: ${input}, options?: CallOptions & PageGuards) => pages(${id}, ${call}, ${op.name}Pagination, (input ?? {}) as ${input}, options),`);
  }
  lines.push(`    }) as never`);
  return lines.join('\n');
}
