import type { ZArg, ZExpr } from '../../zod-expr/expr.js';
import { jsDoc } from './doc.js';
import { printKey } from './print-expr.js';

export type TypeMode = 'output' | 'input';

/**
 * The TypeScript type of an expression, written out: every named schema's const is annotated with it
 * (`const Pet: z.ZodType<Pet, PetInput> = ...`), so tsc checks each schema once instead of inferring deep zod
 * types wherever one is used (and a recursive schema needs the annotation anyway). The printed type may be
 * narrower than zod's inferred one, never wider: unknown keys of loose objects and ignored properties are left
 * out. `refType` names the type of a referenced schema.
 */
/** What a request may pass for `format: binary`: streamed, not buffered, when it is a Blob, stream or file part. */
const BINARY_INPUT =
  '(Blob | string | Uint8Array | ReadableStream<Uint8Array> | { body: Blob | Uint8Array | ReadableStream<Uint8Array>; filename?: string; contentType?: string })';

export function printType(expr: ZExpr, mode: TypeMode, refType: (name: string, mode: TypeMode) => string): string {
  const recur = (e: ZExpr): string => printType(e, mode, refType);
  switch (expr.k) {
    case 'ref':
      return refType(expr.name, mode);
    case 'iso':
      return 'string';
    case 'helper':
      if (expr.helper === 'ifType' || (expr.helper === 'ifObject' && mode === 'input')) return 'unknown';
      if (expr.helper === 'binary') return mode === 'input' ? BINARY_INPUT : '(Blob | string)';
      return expr.helper === 'ignored' ? 'undefined' : recur(expr.base);
    case 'chain':
      return chainType(expr, mode, recur, refType);
    case 'z':
      return zType(expr.fn, expr.args, mode, recur, refType);
  }
}

function chainType(expr: Extract<ZExpr, { k: 'chain' }>, mode: TypeMode, recur: (e: ZExpr) => string, refType: (name: string, mode: TypeMode) => string): string {
  const base = recur(expr.base);
  switch (expr.method) {
    case 'nullable':
      return `(${base} | null)`;
    case 'optional':
      return `(${base} | undefined)`;
    case 'default':
      return mode === 'input' ? `(${base} | undefined)` : base;
    case 'extend':
      return `(${omitType(base, extendedKeys(expr.args[0]))} & ${shapeType(expr.args[0], mode, recur, refType)})`;
    case 'catchall': {
      const first = expr.args[0];
      const value = first?.k === 'expr' ? recur(first.e) : 'unknown';
      return `(${base} & { [key: string]: ${value} })`;
    }
    default:
      // min/max/regex/gte/...: refinements keep the type.
      return base;
  }
}

/**
 * `type` without `keys`. Not `Omit<>`: on a type with an index signature (every loose object) `Omit` keeps only
 * the index signature and loses the declared properties; key remapping keeps both.
 */
function omitType(type: string, keys: string): string {
  return keys === 'never' ? type : `{ [K in keyof ${type} as K extends ${keys} ? never : K]: ${type}[K] }`;
}

function extendedKeys(shape: ZArg | undefined): string {
  if (shape?.k !== 'shape' || shape.entries.length === 0) return 'never';
  return shape.entries.map((e) => JSON.stringify(e.key)).join(' | ');
}

function zType(fn: string, args: ZArg[], mode: TypeMode, recur: (e: ZExpr) => string, refType: (name: string, mode: TypeMode) => string): string {
  const first = args[0];
  switch (fn) {
    case 'unknown':
      return 'unknown';
    case 'never':
      return 'never';
    case 'null':
      return 'null';
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return 'boolean';
    case 'string':
    case 'guid':
    case 'email':
    case 'url':
    case 'ipv4':
    case 'ipv6':
      return 'string';
    case 'number':
    case 'int':
    case 'int32':
    case 'uint32':
      return 'number';
    case 'enum':
    case 'literal': {
      const values = first?.k === 'json' ? (Array.isArray(first.v) ? first.v : [first.v]) : [];
      return values.length === 0 ? 'never' : `(${values.map((v) => JSON.stringify(v)).join(' | ')})`;
    }
    case 'array':
      return `Array<${first?.k === 'expr' ? recur(first.e) : 'unknown'}>`;
    case 'tuple': {
      // Optional elements (`prefixItems` positions an array may stop before) keep zod's `X | undefined`, which
      // exactOptionalPropertyTypes tells apart from `X?` alone.
      const items = first?.k === 'list' ? first.items.map((e) => `${recur(e)}${isOptional(e, mode) ? '?' : ''}`) : [];
      const rest = args[1]?.k === 'expr' ? [`...Array<${recur(args[1].e)}>`] : [];
      return `[${[...items, ...rest].join(', ')}]`;
    }
    case 'union':
    case 'discriminatedUnion': {
      const options = (fn === 'union' ? first : args[1]);
      return options?.k === 'list' ? `(${options.items.map(recur).join(' | ')})` : 'never';
    }
    case 'intersection':
      return `(${args.map((a) => (a.k === 'expr' ? recur(a.e) : 'unknown')).join(' & ')})`;
    case 'object':
      return shapeType(first, mode, recur, refType);
    case 'strictObject':
      return shapeType(first, mode, recur, refType);
    case 'looseObject':
      // A free-form object (no declared properties): its keys are all there is to read.
      return first?.k === 'shape' && first.entries.length === 0 && first.spreads.length === 0 ? '{ [key: string]: unknown }' : shapeType(first, mode, recur, refType);
    default:
      return 'unknown';
  }
}

function shapeType(shape: ZArg | undefined, mode: TypeMode, recur: (e: ZExpr) => string, refType: (name: string, mode: TypeMode) => string): string {
  if (shape?.k !== 'shape') return '{}';
  // A property ignored in this direction (readOnly in a request, writeOnly in a response) is left out of the type.
  const entries = shape.entries.filter((entry) => !(entry.e.k === 'helper' && entry.e.helper === 'ignored'));
  const members = entries.map((entry) => `${jsDoc(entry.doc)}${printKey(entry.key)}${isOptional(entry.e, mode) ? '?' : ''}: ${recur(entry.e)}`);
  const keys = shape.entries.length === 0 ? 'never' : shape.entries.map((e) => JSON.stringify(e.key)).join(' | ');
  const spread = (s: ZExpr): string => {
    if (s.k === 'ref') return omitType(refType(s.name, mode), keys);
    // `...Target.unwrap().shape`: the object inside a nullable const.
    if (s.k === 'chain' && s.method === 'unwrap' && s.base.k === 'ref') return omitType(`NonNullable<${refType(s.base.name, mode)}>`, keys);
    return 'unknown';
  };
  // Loose objects (additionalProperties absent or true) accept unknown keys at run time, but the type does not
  // advertise them: a typo in a property name stays a compile error.
  const own = printMembers(members);
  return shape.spreads.length === 0 ? own : `(${[...shape.spreads.map(spread), own].join(' & ')})`;
}

/** An object type literal; one member per line when any carries documentation. */
export function printMembers(members: string[]): string {
  if (members.length === 0) return '{}';
  return members.some((m) => m.startsWith('/**')) ? `{\n${members.map((m) => `${m};\n`).join('')}}` : `{ ${members.join('; ')} }`;
}

function isOptional(expr: ZExpr, mode: TypeMode): boolean {
  if (expr.k === 'helper' && expr.helper === 'ignored') return true;
  if (expr.k !== 'chain') return false;
  if (expr.method === 'optional') return true;
  if (expr.method === 'default') return mode === 'input';
  return false;
}
