import type { IrSchema } from '../ir/types.js';
import { CHECKED_FORMATS } from '../../templates/runtime/zod-helpers.js';
import { chain, json, z, type ZExpr } from './expr.js';

/**
 * A JSON Schema `pattern` as a JavaScript regular expression, or undefined when JavaScript cannot compile it (the
 * keyword is then not checked). Patterns that use Unicode property or code point escapes only mean what they say
 * with the `u` flag; everything else compiles without it, because `u` rejects escapes many specs use (`\_`).
 */
export function compilePattern(pattern: string): { source: string; flags: string } | undefined {
  if (/\\[pP]\{|\\u\{/.test(pattern) && compiles(pattern, 'u')) return { source: pattern, flags: 'u' };
  return compiles(pattern, '') ? { source: pattern, flags: '' } : undefined;
}

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

export function isValidPattern(pattern: string): boolean {
  return compilePattern(pattern) !== undefined;
}

/**
 * `format` is checked by a refinement the runtime switches by direction (see zod-helpers `withDirection`), so a
 * received value is not rejected for it by default. Formats zod has no check for stay annotations.
 */
export function stringExpr(schema: Extract<IrSchema, { kind: 'string' }>): ZExpr {
  if (schema.format === 'binary') return { k: 'helper', base: z('unknown'), helper: 'binary', args: [] };
  let expr = z('string');
  if (schema.minLength !== undefined) expr = chain(expr, 'min', json(schema.minLength));
  if (schema.maxLength !== undefined) expr = chain(expr, 'max', json(schema.maxLength));
  const pattern = schema.pattern === undefined ? undefined : compilePattern(schema.pattern);
  if (pattern) expr = chain(expr, 'regex', { k: 'regex', ...pattern });
  if (schema.format !== undefined && CHECKED_FORMATS.includes(schema.format)) expr = { k: 'helper', base: expr, helper: 'format', args: [json(schema.format)] };
  return expr;
}

export function numberExpr(schema: Extract<IrSchema, { kind: 'number' | 'integer' }>): ZExpr {
  // z.int() stops at 2^53, but JSON integers do not (int64 ids, or any `integer` without a format): beyond it
  // they are whole numbers without exact digits, still valid.
  let expr: ZExpr = schema.kind === 'integer' ? { k: 'helper', base: z('number'), helper: 'integer', args: [] } : z('number');
  if (schema.minimum !== undefined) expr = chain(expr, 'gte', json(schema.minimum));
  if (schema.exclusiveMinimum !== undefined) expr = chain(expr, 'gt', json(schema.exclusiveMinimum));
  if (schema.maximum !== undefined) expr = chain(expr, 'lte', json(schema.maximum));
  if (schema.exclusiveMaximum !== undefined) expr = chain(expr, 'lt', json(schema.exclusiveMaximum));
  if (schema.multipleOf !== undefined) expr = chain(expr, 'multipleOf', json(schema.multipleOf));
  // Sized formats (int32, uint8, ...) are formats like any other: checked on what concord sends (see stringExpr).
  if (schema.format !== undefined && CHECKED_FORMATS.includes(schema.format)) expr = { k: 'helper', base: expr, helper: 'format', args: [json(schema.format)] };
  return expr;
}

export function enumExpr(values: Array<string | number | boolean>): ZExpr {
  if (values.every((v): v is string => typeof v === 'string')) return z('enum', json(values));
  return z('literal', json(values.length === 1 ? values[0] : values));
}

/** Whether `default` can be filled in by zod: a primitive the schema accepts without a format to check it against. */
export function defaultFits(schema: IrSchema): boolean {
  const value = schema.default;
  if (value === undefined || value === null) return false;
  switch (schema.kind) {
    case 'string': {
      // zod returns a default as is, unchecked: one that breaks the schema's own rules is not filled in.
      if (typeof value !== 'string' || schema.format) return false;
      const pattern = schema.pattern === undefined ? undefined : compilePattern(schema.pattern);
      return (schema.minLength ?? 0) <= value.length && value.length <= (schema.maxLength ?? Infinity) && (!pattern || new RegExp(pattern.source, pattern.flags).test(value));
    }
    case 'number':
    case 'integer':
      return (
        typeof value === 'number' &&
        (schema.kind === 'number' || Number.isInteger(value)) &&
        value >= (schema.minimum ?? -Infinity) &&
        value <= (schema.maximum ?? Infinity) &&
        value > (schema.exclusiveMinimum ?? -Infinity) &&
        value < (schema.exclusiveMaximum ?? Infinity)
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && schema.values.includes(value);
    default:
      return false;
  }
}
