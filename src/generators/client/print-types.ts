import type { IrOperation, IrResponse, ParameterLocation } from '../../ir/types.js';
import { chain, type ZExpr } from '../../zod-expr/expr.js';
import { jsDoc } from '../print/doc.js';
import { printMembers } from '../print/print-type.js';
import type { SchemaModel } from '../print/schema-model.js';
import type { OperationExprs } from '../../zod-expr/operation-schemas.js';
import { streamedType } from './extras.js';

/** Input field name per parameter location (the client's input shape; validators keep the locations' names). */
export const INPUT_FIELDS: Record<ParameterLocation, string> = { path: 'path', query: 'query', header: 'headers', cookie: 'cookies' };
const LOCATIONS: ParameterLocation[] = ['path', 'query', 'header', 'cookie'];

export interface TypePrinter {
  model: SchemaModel;
  /** Named types the printed text refers to; client.ts imports them. */
  used: Set<string>;
}

function typeOf(printer: TypePrinter, expr: ZExpr, mode: 'input' | 'output'): string {
  return printer.model.typeOf(expr, mode, (name) => {
    printer.used.add(name);
    return name;
  });
}

/** The idempotency header of a keyed operation: the client fills it in, so it is never a required input. */
function isKeyHeader(op: IrOperation, location: ParameterLocation, name: string): boolean {
  return op.idempotency.mode === 'keyed' && location === 'header' && name.toLowerCase() === op.idempotency.header.toLowerCase();
}

function withOptionalKey(op: IrOperation, location: ParameterLocation, expr: ZExpr): ZExpr {
  if (expr.k !== 'z' || expr.args[0]?.k !== 'shape') return expr;
  const shape = expr.args[0];
  const entries = shape.entries.map((entry) => {
    if (!isKeyHeader(op, location, entry.key) || (entry.e.k === 'chain' && entry.e.method === 'optional')) return entry;
    return { ...entry, e: chain(entry.e, 'optional'), doc: `${entry.doc ? `${entry.doc}\n\n` : ''}Filled in by the client when absent (same key on every retry); or pass \`options.idempotencyKey\`.` };
  });
  return { ...expr, args: [{ ...shape, entries }, ...expr.args.slice(1)] };
}

/** Whether the caller must pass anything at all. */
export function inputRequired(op: IrOperation): boolean {
  return op.requestBody?.required === true || op.parameters.some((p) => p.required && !isKeyHeader(op, p.in, p.name));
}

/** `{ path: {...}; query?: {...}; body: Payment; contentType?: 'application/json' }` (a union over body media types). */
export function printInputType(printer: TypePrinter, op: IrOperation, exprs: OperationExprs): { text: string; isObject: boolean } {
  const members: string[] = [];
  for (const location of LOCATIONS) {
    const expr = exprs.params[location];
    if (!expr) continue;
    const required = op.parameters.some((p) => p.in === location && p.required && !isKeyHeader(op, location, p.name));
    members.push(`${INPUT_FIELDS[location]}${required ? '' : '?'}: ${typeOf(printer, withOptionalKey(op, location, expr), 'input')}`);
  }
  const bodyRequired = op.requestBody?.required === true;
  const bodyDoc = jsDoc(op.requestBody?.description);
  const variants = exprs.body.map((b, index) => [
    `contentType${index === 0 ? '?' : ''}: ${JSON.stringify(b.mediaType)}`,
    `${bodyDoc}body${bodyRequired ? '' : '?'}: ${typeOf(printer, b.e, 'input')}`,
  ]);
  if (variants.length <= 1) return { text: printMembers([...members, ...(variants[0] ?? [])]), isObject: true };
  const union = `(${variants.map((v) => printMembers(v)).join(' | ')})`;
  return { text: members.length === 0 ? union : `${printMembers(members)} & ${union}`, isObject: false };
}

const EXACT = /^\d{3}$/;
const RANGE = /^[2-5]XX$/;

/**
 * The result union: one variant per declared status, discriminated by a literal `status` (or the statuses of a
 * `4XX` range / `default` that no other variant declares), so `r.status === 404` narrows to exactly the 404
 * variant. Statuses the contract does not declare get a variant of their own over the remaining statuses, which
 * keeps them reachable without widening any declared one.
 */
export function printResultType(printer: TypePrinter, op: IrOperation, exprs: OperationExprs): string {
  const variants: string[] = [];
  const explicit = op.responses.filter((r) => EXACT.test(r.status)).map((r) => r.status);
  const ranges = op.responses.filter((r) => RANGE.test(r.status)).map((r) => r.status[0] ?? '');
  const bodyOf = (response: IrResponse): string => {
    const types = [...new Set(exprs.responses.filter((r) => r.status === response.status).map((r) => streamedType(response, r.mediaType, typeOf(printer, r.e, 'output'))))];
    return types.length === 0 ? 'undefined' : types.join(' | ');
  };
  const variant = (ok: boolean, status: string, body: string): string => `{ ok: ${ok}; status: ${status}; ${ok ? 'data' : 'error'}: ${body}; response: Response }`;
  for (const response of op.responses) {
    const body = bodyOf(response);
    if (EXACT.test(response.status)) {
      const code = Number(response.status);
      if (code < 200) continue;
      variants.push(variant(code < 300, response.status, body));
    } else if (RANGE.test(response.status)) {
      const c = response.status[0] ?? '';
      const inRange = explicit.filter((code) => code[0] === c);
      variants.push(variant(c === '2', excluding(`rt.StatusInRange<${c}>`, inRange), body));
    }
  }
  const declaredSuccess = op.responses.some((r) => r.status.startsWith('2') && (EXACT.test(r.status) || RANGE.test(r.status)));
  const fallback = op.responses.find((r) => r.status === 'default');
  const fallbackBody = fallback ? bodyOf(fallback) : 'unknown';
  const taken = [...explicit, ...ranges.map((c) => `rt.StatusInRange<${c}>`)];
  const errorsTaken = taken.filter((t) => !t.startsWith('2') && !t.endsWith('<2>'));
  variants.push(variant(false, excluding('rt.ErrorStatus', errorsTaken), fallbackBody));
  // Other successes are typed only when the contract declares none: otherwise `if (r.ok) r.data` would widen
  // every declared success body to unknown (or to the `default` body, conventionally an error).
  const successTaken = taken.filter((t) => t.startsWith('2') || t.endsWith('<2>'));
  if (!declaredSuccess) variants.push(variant(true, excluding('rt.StatusInRange<2>', successTaken), fallbackBody));
  return variants.map((v) => `\n  | ${v}`).join('');
}

function excluding(all: string, taken: string[]): string {
  return taken.length === 0 ? all : `Exclude<${all}, ${taken.join(' | ')}>`;
}
