import type { IrMediaType, IrNamedSchema, IrOperation, IrResponse, IrResponseHeader } from '../../ir/types.js';
import type { ServerMediaSpec } from '../../../templates/runtime/server-types.js';
import { code, printJson, printKey } from '../print/print-expr.js';
import { routeMediaSpec, wireHint } from '../../ir/wire-hint.js';

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;

export interface OperationNames {
  input: string;
  result: string;
  handler: string;
}

/** The `RouteSpec` literal the router reads. */
export function routeSpecLiteral(op: IrOperation, schemas: ReadonlyMap<string, IrNamedSchema>): string {
  const media = (m: IrMediaType, withHint: boolean): ServerMediaSpec => routeMediaSpec(m, schemas, withHint);
  const spec = {
    name: op.name,
    id: op.operationId ?? op.name,
    method: op.method.toUpperCase(),
    path: op.path,
    params: op.parameters.map((p) => ({ name: p.name, in: p.in, style: p.style, explode: p.explode, hint: wireHint(p.schema, schemas), ...(p.contentType ? { contentType: p.contentType } : {}) })),
    body: (op.requestBody?.content ?? []).map((m) => media(m, true)),
    bodyRequired: op.requestBody?.required === true,
    responses: Object.fromEntries(op.responses.map((r) => [r.status, r.content.map((m) => media(m, false))])),
    idempotency: { mode: op.idempotency.mode, header: op.idempotency.header, required: op.idempotency.required },
    ...(op.security.length === 0 ? {} : { security: op.security }),
    schemas: code(`s.${op.name}Schemas`),
  };
  return printJson(spec);
}


/** The `WebhookSpec` literal the webhook receiver and sender read. */
export function webhookSpecLiteral(op: IrOperation, schemas: ReadonlyMap<string, IrNamedSchema>, event: string, expression: string | undefined): string {
  const spec = {
    name: op.name,
    event,
    id: op.operationId ?? op.name,
    method: op.method.toUpperCase(),
    ...(expression === undefined ? {} : { expression }),
    body: (op.requestBody?.content ?? []).map((m) => routeMediaSpec(m, schemas, true)),
    bodyRequired: op.requestBody?.required === true,
    schemas: code(`s.${op.name}Schemas`),
  };
  return printJson(spec);
}

/** `{ path: ...; query: ... } & (body variants)`: what a handler receives, after parsing and validation. */
export function inputType(op: IrOperation): string {
  const S = `s.${op.name}Schemas`;
  const fields = LOCATIONS.filter((location) => op.parameters.some((p) => p.in === location)).map((location) => `${location}: z.output<typeof ${S}.${location}>`);
  const base = fields.length === 0 ? 'Record<string, never>' : `{ ${fields.join('; ')} }`;
  const bodies = op.requestBody?.content ?? [];
  if (bodies.length === 0) return base;
  const variants = bodies.map((m) => `{ contentType: ${JSON.stringify(m.mediaType)}; body: z.output<(typeof ${S}.body)[${JSON.stringify(m.mediaType)}]> }`);
  if (op.requestBody?.required !== true) variants.push('{ contentType?: undefined; body?: undefined }');
  const body = variants.length === 1 ? (variants[0] ?? '') : `(${variants.join(' | ')})`;
  return fields.length === 0 ? body : `${base} & ${body}`;
}

function statusType(response: IrResponse, all: readonly IrResponse[]): string {
  const explicit = all.filter((r) => /^\d{3}$/.test(r.status)).map((r) => r.status);
  const ranges = all.filter((r) => /^[1-5]XX$/.test(r.status)).map((r) => r.status[0] ?? '');
  if (/^\d{3}$/.test(response.status)) return response.status;
  if (/^[1-5]XX$/.test(response.status)) {
    const inRange = explicit.filter((code) => code[0] === response.status[0]);
    const range = `StatusInRange<${response.status[0]}>`;
    return inRange.length === 0 ? range : `Exclude<${range}, ${inRange.join(' | ')}>`;
  }
  const excluded = [...explicit, ...ranges.map((c) => `StatusInRange<${c}>`)];
  return excluded.length === 0 ? 'HttpStatus' : `Exclude<HttpStatus, ${excluded.join(' | ')}>`;
}

function headersField(headers: readonly IrResponseHeader[]): string {
  const declared = headers.filter((h) => h.name.toLowerCase() !== 'content-type');
  if (declared.length === 0) return 'headers?: ResponseHeaders';
  const fields = declared.map((h) => `${printKey(h.name)}${h.required ? '' : '?'}: string | number`).join('; ');
  const required = declared.some((h) => h.required);
  return `headers${required ? '' : '?'}: { ${fields} } & ResponseHeaders`;
}

function bodyType(S: string, response: IrResponse, media: IrMediaType): string {
  const declared = `z.input<(typeof ${S}.responses)[${JSON.stringify(response.status)}][${JSON.stringify(media.mediaType)}]>`;
  // A stream's schema is the per-event one: the handler answers with events (or bytes it framed itself).
  if (media.stream) return `AsyncIterable<${declared} | ServerSentEvent<${declared}>> | ReadableStream<Uint8Array>`;
  if (media.streaming) return `${declared} | ReadableStream<Uint8Array>`;
  if (media.encoding === 'binary') return `${declared} | Uint8Array | ReadableStream<Uint8Array>`;
  return declared;
}

/** The union of every declared response: the type system refuses any status or body the contract does not list. */
export function resultType(op: IrOperation): string {
  const S = `s.${op.name}Schemas`;
  if (op.responses.length === 0) return '{ status: HttpStatus; body?: unknown; contentType?: string; headers?: ResponseHeaders }';
  const variants: string[] = [];
  for (const response of op.responses) {
    const status = statusType(response, op.responses);
    const headers = headersField(response.headers);
    if (response.content.length === 0) {
      variants.push(`{ status: ${status}; body?: undefined; contentType?: undefined; ${headers} }`);
      continue;
    }
    response.content.forEach((media, index) => {
      const contentType = `contentType${index === 0 ? '?' : ''}: ${JSON.stringify(media.mediaType)}`;
      variants.push(`{ status: ${status}; ${contentType}; body: ${bodyType(S, response, media)}; ${headers} }`);
    });
  }
  return `\n  | ${variants.join('\n  | ')}`;
}
