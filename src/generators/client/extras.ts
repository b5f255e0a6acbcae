import type { IrDocument, IrMediaType, IrOperation, IrPagination, IrSchema } from '../../ir/types.js';
import { printJson } from '../zod/print-expr.js';

/**
 * The client's streaming and pagination surface, kept apart from the core printer: an SSE/NDJSON response's data
 * is an `EventStream` of typed events, and a paginated list gets `.paginate()` and `.pages()`.
 */

export const usesStreams = (ir: IrDocument): boolean => ir.operations.some((op) => op.stream !== undefined);
export const usesPagination = (ir: IrDocument): boolean => ir.operations.some((op) => op.pagination !== undefined);

/** Imports client.ts needs for these features (nothing when the contract has neither). */
export function extraImports(ir: IrDocument): string[] {
  const out: string[] = [];
  if (usesStreams(ir)) out.push(`import { openEventStream, type EventStream } from './runtime/stream.js';`);
  if (usesPagination(ir)) out.push(`import { pages, paginate, type ItemsAt, type Page, type PageGuards } from './runtime/paginate.js';`);
  return out;
}

export function extraExports(ir: IrDocument): string[] {
  const out: string[] = [];
  if (usesStreams(ir)) out.push(`export { EventStream, StreamEventValidationError, StreamInterruptedError, type StreamEvent } from './runtime/stream.js';`);
  if (usesPagination(ir)) out.push(`export type { Page, PageGuards } from './runtime/paginate.js';`);
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

/** The type of a response body as the client returns it: a stream of typed events for streaming media. */
export function mediaDataType(byStatus: string, media: IrMediaType): string {
  const output = `z.output<${byStatus}[${JSON.stringify(media.mediaType)}]>`;
  return media.stream ? `EventStream<${output}>` : output;
}

function pagination(p: IrPagination): Record<string, unknown> {
  const { itemSchema: _item, source: _source, ...rest } = p;
  return rest;
}

/** Statements after an operation's function: its pagination spec, when it paginates. */
export function printPaginationSpec(op: IrOperation): string {
  return op.pagination ? `const ${op.name}Pagination = ${printJson(pagination(op.pagination))} as const;\n` : '';
}

/** The member type of `Client` for an operation, when it has more than the call itself. */
export function clientMemberType(op: IrOperation, call: string, input: string, result: string, inputOptional: boolean): string | undefined {
  if (!op.pagination) return undefined;
  const body = `Ok<${result}>['data']`;
  const item = `ItemsAt<${body}, ${printJson(op.pagination.items)}>`;
  const arg = `input${inputOptional ? '?' : ''}: ${input}, options?: CallOptions & PageGuards`;
  return `{\n    ${call};\n    /** Every item of every page, in order (\`maxItems\`/\`maxPages\` stop early). */\n    paginate(${arg}): AsyncGenerator<${item}, void, undefined>;\n    /** Every page with its items and response. */\n    pages(${arg}): AsyncGenerator<Page<${item}, ${body}>, void, undefined>;\n  }`;
}

/** The implementation of the member in `createClient`. */
export function clientMemberImpl(op: IrOperation, input: string): string | undefined {
  if (!op.pagination) return undefined;
  const id = JSON.stringify(op.operationId ?? op.name);
  const call = `(i: ${input}, o?: CallOptions) => ${op.name}(core, i, o)`;
  return [
    `Object.assign((input?: ${input}, options?: CallOptions) => ${op.name}(core, input as ${input}, options), {`,
    `      paginate: (input?: ${input}, options?: CallOptions & PageGuards) => paginate(${id}, ${call}, ${op.name}Pagination, (input ?? {}) as ${input}, options),`,
    `      pages: (input?: ${input}, options?: CallOptions & PageGuards) => pages(${id}, ${call}, ${op.name}Pagination, (input ?? {}) as ${input}, options),`,
    `    }) as never`,
  ].join('\n');
}
