import type { IrDocument, IrMediaType, IrOperation, IrPagination, IrResponse, IrSchema } from '../../ir/types.js';
import { printJson } from '../print/print-expr.js';

/**
 * The client's streaming and pagination surface, kept apart from the core printer: an SSE/NDJSON response's data
 * is an `EventStream` of typed events, and a paginated list gets `.paginate()` and `.pages()`.
 */

export const usesStreams = (ir: IrDocument): boolean => ir.operations.some((op) => op.stream !== undefined);
export const usesPagination = (ir: IrDocument): boolean => ir.operations.some((op) => op.pagination !== undefined);

/**
 * The runtime features a client carries, decided from the contract: auth only with security schemes (OAuth 2.0
 * and HMAC only with such a scheme), files only with binary or multipart bodies, event streams only with streaming
 * responses. Prometheus metrics and OpenTelemetry spans come with the `node` or `alerts` target.
 */
export interface ClientFeatures {
  auth: boolean;
  oauth2: boolean;
  hmac: boolean;
  files: boolean;
  streams: boolean;
  pagination: boolean;
  observability: boolean;
  /** Parameter styles or body encodings beyond serialize.ts's common ones. */
  styles: boolean;
}

export function clientFeatures(ir: IrDocument, targets: ReadonlySet<string>): ClientFeatures {
  const kinds = new Set(ir.securitySchemes.map((s) => s.kind));
  return {
    auth: ir.securitySchemes.length > 0,
    oauth2: kinds.has('oauth2'),
    hmac: kinds.has('hmac'),
    files: usesFiles(ir),
    streams: usesStreams(ir),
    pagination: usesPagination(ir),
    observability: targets.has('node') || targets.has('alerts'),
    styles: usesStyles(ir),
  };
}

/** Imports client.ts needs for these features (nothing when the contract uses none). */
export function extraImports(ir: IrDocument, features: ClientFeatures): string[] {
  const out: string[] = [];
  if (features.auth) out.push(`import * as sec from './runtime/auth.js';`);
  if (features.oauth2) out.push(`import { oauth2Scheme } from './runtime/oauth2.js';`);
  if (features.hmac) out.push(`import { hmacScheme } from './runtime/auth-hmac.js';`);
  if (features.files) out.push(`import { filePlugin } from './runtime/body-stream.js';`);
  if (features.styles) out.push(`import { styledSerializers } from './runtime/serialize-styles.js';`);
  if (features.streams) out.push(`import { openEventStream, streamOf, type EventStream } from './runtime/stream.js';`);
  if (features.pagination) out.push(`import { pages, paginate, type ItemsAt, type Page, type PageGuards } from './runtime/paginate.js';`);
  if (features.observability) {
    out.push(`import { prometheusMetrics } from './runtime/client-metrics.js';`);
    out.push(`import { openTelemetry } from './runtime/client-tracing.js';`);
  }
  if (usesBinaryResponses(ir)) out.push(`import type { BinaryBody } from './runtime/body-stream.js';`);
  return out;
}

export function extraExports(features: ClientFeatures): string[] {
  const out: string[] = [];
  if (features.streams) out.push(`export { EventStream, StreamEventValidationError, StreamInterruptedError, type StreamEvent } from './runtime/stream.js';`);
  if (features.pagination) out.push(`export type { Page, PageGuards } from './runtime/paginate.js';`);
  if (features.files) out.push(`export { BinaryBody, type FilePart } from './runtime/body-stream.js';`);
  return out;
}

/** The plug-ins argument of `createCore` (nothing when the contract needs none). */
export function corePlugins(features: ClientFeatures): string {
  const kinds = [...(features.oauth2 ? ['oauth2: oauth2Scheme'] : []), ...(features.hmac ? ['hmac: hmacScheme'] : [])];
  const plugins = [
    ...(features.auth ? [`auth: sec.authPlugin(securitySchemes${kinds.length > 0 ? `, { ${kinds.join(', ')} }` : ''})`] : []),
    ...(features.files ? ['files: filePlugin'] : []),
    ...(features.styles ? ['serializers: styledSerializers'] : []),
    ...(features.streams ? ['openStream: openEventStream'] : []),
    ...(features.observability ? ['metrics: prometheusMetrics', 'tracing: openTelemetry'] : []),
  ];
  return plugins.length === 0 ? '' : `, { ${plugins.join(', ')} }`;
}

const COMMON_STYLES: ReadonlySet<string> = new Set(['simple', 'form']);

/** Label, matrix, delimited, deepObject or allowReserved parameters; form or multipart bodies. */
function usesStyles(ir: IrDocument): boolean {
  return ir.operations.some(
    (op) =>
      op.parameters.some((p) => p.allowReserved || !COMMON_STYLES.has(p.style)) ||
      (op.requestBody?.content ?? []).some((m) => m.encoding === 'form' || m.encoding === 'multipart'),
  );
}

/** Files travel unbuffered: binary or multipart request bodies, binary responses. */
function usesFiles(ir: IrDocument): boolean {
  return (
    usesBinaryResponses(ir) ||
    ir.operations.some((op) => (op.requestBody?.content ?? []).some((m) => m.encoding === 'binary' || m.encoding === 'multipart'))
  );
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

/**
 * `createClient`'s statements that add `.stream()`, `.paginate()` and `.pages()` to the bound functions: two local
 * helpers (checked once) and one call per operation. `Client` declares each member's type; a typed generic call
 * per operation here cost tsc ~10 ms each.
 */
export function clientMemberBindings(ir: IrDocument): string[] {
  const calls: string[] = [];
  for (const op of ir.operations) {
    const id = JSON.stringify(op.operationId ?? op.name);
    const streamed = streamMedia(op);
    if (streamed) calls.push(`  streamed(${JSON.stringify(op.name)}, ${id}, ${JSON.stringify(streamed.media.mediaType)});`);
    if (op.pagination) calls.push(`  paged(${JSON.stringify(op.name)}, ${id}, ${op.name}Pagination);`);
  }
  if (calls.length === 0) return [];
  const helpers = [`  const bound = (name: string) => client[name] as (input: rt.OperationInput, options?: CallOptions) => Promise<rt.ApiResult>;`];
  if (usesStreams(ir)) {
    helpers.push(`  const streamed = (name: string, id: string, mediaType: string): void => {`);
    helpers.push(`    const call = bound(name);`);
    helpers.push(`    Object.assign(call, { stream: (input?: rt.OperationInput, o?: CallOptions) => streamOf(id, call, mediaType, input ?? {}, o) });`);
    helpers.push(`  };`);
  }
  if (usesPagination(ir)) {
    helpers.push(`  const paged = (name: string, id: string, spec: PaginationSpec): void => {`);
    helpers.push(`    const call = bound(name);`);
    helpers.push(`    Object.assign(call, {`);
    helpers.push(`      paginate: (input?: rt.OperationInput, o?: CallOptions & PageGuards) => paginate(id, call, spec, input ?? {}, o),`);
    helpers.push(`      pages: (input?: rt.OperationInput, o?: CallOptions & PageGuards) => pages(id, call, spec, input ?? {}, o),`);
    helpers.push(`    });`);
    helpers.push(`  };`);
  }
  return [...helpers, ...calls];
}
