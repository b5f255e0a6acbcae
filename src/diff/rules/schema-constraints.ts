import type { IrArray, IrEnum, IrNumber, IrObject, IrString } from '../../ir/types.js';
import type { DiffContext, Finding } from '../context.js';
import { describe, enumFamily, type Concrete } from '../schema-model.js';
import { emitSchema, typeChanged, type SchemaScope } from './schema.js';

/** Schema family, part 2: bounds, lengths, patterns, formats and enums. Tightening hurts senders, loosening receivers. */

type Node = { pointer: string };

function lowerBound(ctx: DiffContext, scope: SchemaScope, name: string, from: number | undefined, to: number | undefined, b: Node, r: Node): Finding[] {
  if (from === to) return [];
  const what = `${name} changed from ${from ?? 'none'} to ${to ?? 'none'}`;
  const tighter = from === undefined || (to !== undefined && to > from);
  return [emitSchema(ctx, scope, tighter ? 'constraint-tightened' : 'constraint-loosened', what, nodeOf(b), nodeOf(r))];
}

function upperBound(ctx: DiffContext, scope: SchemaScope, name: string, from: number | undefined, to: number | undefined, b: Node, r: Node): Finding[] {
  if (from === to) return [];
  const what = `${name} changed from ${from ?? 'none'} to ${to ?? 'none'}`;
  const tighter = from === undefined || (to !== undefined && to < from);
  return [emitSchema(ctx, scope, tighter ? 'constraint-tightened' : 'constraint-loosened', what, nodeOf(b), nodeOf(r))];
}

// emitSchema takes schemas for their pointers only.
function nodeOf(node: Node): { kind: 'any'; pointer: string } {
  return { kind: 'any', pointer: node.pointer };
}

const FORMAT_WIDTH: Record<string, { family: string; rank: number }> = {
  int32: { family: 'int', rank: 1 },
  int64: { family: 'int', rank: 2 },
  float: { family: 'float', rank: 1 },
  double: { family: 'float', rank: 2 },
};

function compareFormats(ctx: DiffContext, scope: SchemaScope, from: string | undefined, to: string | undefined, b: Node, r: Node): Finding[] {
  if (from === to) return [];
  const pointers = [nodeOf(b), nodeOf(r)] as const;
  if (from === undefined) return [emitSchema(ctx, scope, 'constraint-tightened', `format ${to} added`, ...pointers)];
  if (to === undefined) return [emitSchema(ctx, scope, 'constraint-loosened', `format ${from} removed`, ...pointers)];
  const wf = FORMAT_WIDTH[from];
  const wt = FORMAT_WIDTH[to];
  if (wf && wt && wf.family === wt.family) {
    return [emitSchema(ctx, scope, wt.rank > wf.rank ? 'constraint-loosened' : 'constraint-tightened', `format ${wt.rank > wf.rank ? 'widened' : 'narrowed'} from ${from} to ${to}`, ...pointers)];
  }
  return [emitSchema(ctx, scope, 'format-changed', `format changed from ${from} to ${to}`, ...pointers)];
}

export function compareStrings(ctx: DiffContext, b: IrString, r: IrString, scope: SchemaScope): Finding[] {
  const out = [
    ...compareFormats(ctx, scope, b.format, r.format, b, r),
    ...lowerBound(ctx, scope, 'minLength', b.minLength, r.minLength, b, r),
    ...upperBound(ctx, scope, 'maxLength', b.maxLength, r.maxLength, b, r),
  ];
  if (b.pattern !== r.pattern) {
    const what = b.pattern === undefined ? `pattern ${JSON.stringify(r.pattern)} added` : r.pattern === undefined ? `pattern ${JSON.stringify(b.pattern)} removed` : `pattern changed from ${JSON.stringify(b.pattern)} to ${JSON.stringify(r.pattern)}`;
    out.push(emitSchema(ctx, scope, b.pattern === undefined ? 'constraint-tightened' : r.pattern === undefined ? 'constraint-loosened' : 'pattern-changed', what, b, r));
  }
  return out;
}

/** Exclusive and inclusive bounds folded into one comparable bound: [value, exclusive]. */
function bound(inclusive: number | undefined, exclusive: number | undefined, lower: boolean): [number, boolean] | undefined {
  if (inclusive === undefined) return exclusive === undefined ? undefined : [exclusive, true];
  if (exclusive === undefined) return [inclusive, false];
  const exclusiveIsStricter = lower ? exclusive >= inclusive : exclusive <= inclusive;
  return exclusiveIsStricter ? [exclusive, true] : [inclusive, false];
}

function showBound(value: [number, boolean] | undefined, lower: boolean): string {
  if (!value) return 'none';
  return `${lower ? (value[1] ? '>' : '>=') : value[1] ? '<' : '<='} ${value[0]}`;
}

function compareBound(ctx: DiffContext, scope: SchemaScope, lower: boolean, from: [number, boolean] | undefined, to: [number, boolean] | undefined, b: Node, r: Node): Finding[] {
  if (from?.[0] === to?.[0] && from?.[1] === to?.[1]) return [];
  let tighter: boolean;
  if (!from) tighter = true;
  else if (!to) tighter = false;
  else if (from[0] === to[0]) tighter = to[1] && !from[1];
  else tighter = lower ? to[0] > from[0] : to[0] < from[0];
  const what = `${lower ? 'lower' : 'upper'} bound changed from ${showBound(from, lower)} to ${showBound(to, lower)}`;
  return [emitSchema(ctx, scope, tighter ? 'constraint-tightened' : 'constraint-loosened', what, nodeOf(b), nodeOf(r))];
}

export function compareNumbers(ctx: DiffContext, b: IrNumber, r: IrNumber, scope: SchemaScope): Finding[] {
  const out: Finding[] = [];
  if (b.kind === 'integer' && r.kind === 'number') out.push(emitSchema(ctx, scope, 'constraint-loosened', 'type widened from integer to number', b, r));
  if (b.kind === 'number' && r.kind === 'integer') out.push(emitSchema(ctx, scope, 'constraint-tightened', 'type narrowed from number to integer', b, r));
  out.push(...compareFormats(ctx, scope, b.format, r.format, b, r));
  out.push(...compareBound(ctx, scope, true, bound(b.minimum, b.exclusiveMinimum, true), bound(r.minimum, r.exclusiveMinimum, true), b, r));
  out.push(...compareBound(ctx, scope, false, bound(b.maximum, b.exclusiveMaximum, false), bound(r.maximum, r.exclusiveMaximum, false), b, r));
  if (b.multipleOf !== r.multipleOf) {
    const what = `multipleOf changed from ${b.multipleOf ?? 'none'} to ${r.multipleOf ?? 'none'}`;
    const from = b.multipleOf;
    const to = r.multipleOf;
    const tighter = from === undefined || (to !== undefined && isMultiple(to, from));
    const looser = to === undefined || (from !== undefined && isMultiple(from, to));
    // Neither a multiple of the other: some values became valid and some invalid.
    if (tighter || !looser) out.push(emitSchema(ctx, scope, 'constraint-tightened', what, b, r));
    if (looser || !tighter) out.push(emitSchema(ctx, scope, 'constraint-loosened', what, b, r));
  }
  return out;
}

function isMultiple(value: number, of: number): boolean {
  const ratio = value / of;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}

export function compareArrayBounds(ctx: DiffContext, b: IrArray, r: IrArray, scope: SchemaScope): Finding[] {
  const out = [...lowerBound(ctx, scope, 'minItems', b.minItems, r.minItems, b, r), ...upperBound(ctx, scope, 'maxItems', b.maxItems, r.maxItems, b, r)];
  if (!b.uniqueItems && r.uniqueItems) out.push(emitSchema(ctx, scope, 'constraint-tightened', 'items must now be unique', b, r));
  if (b.uniqueItems && !r.uniqueItems) out.push(emitSchema(ctx, scope, 'constraint-loosened', 'items no longer need to be unique', b, r));
  return out;
}

export function compareObjectBounds(ctx: DiffContext, b: IrObject, r: IrObject, scope: SchemaScope): Finding[] {
  return [...lowerBound(ctx, scope, 'minProperties', b.minProperties, r.minProperties, b, r), ...upperBound(ctx, scope, 'maxProperties', b.maxProperties, r.maxProperties, b, r)];
}

const valueKey = (value: string | number | boolean): string => `${typeof value}:${String(value)}`;

export function compareEnums(ctx: DiffContext, b: IrEnum, r: IrEnum, scope: SchemaScope): Finding[] {
  const bf = enumFamily(b);
  const rf = enumFamily(r);
  const out: Finding[] = [];
  const numeric = (family: string): boolean => family === 'integer' || family === 'number';
  if (bf !== rf && !(numeric(bf) && numeric(rf))) return [typeChanged(ctx, b, r, scope)];
  const baseKeys = new Set(b.values.map(valueKey));
  const revisionKeys = new Set(r.values.map(valueKey));
  const removed = b.values.filter((value) => !revisionKeys.has(valueKey(value)));
  const added = r.values.filter((value) => !baseKeys.has(valueKey(value)));
  const list = (values: Array<string | number | boolean>): string => values.map((value) => JSON.stringify(value)).join(', ');
  if (removed.length > 0) out.push(emitSchema(ctx, scope, 'enum-value-removed', `enum value${removed.length > 1 ? 's' : ''} ${list(removed)} removed`, b, r));
  if (added.length > 0) out.push(emitSchema(ctx, scope, 'enum-value-added', `enum value${added.length > 1 ? 's' : ''} ${list(added)} added`, b, r));
  return out;
}

/** An enum on one side and a plain primitive on the other: a restriction added or lifted, or a real type change. */
export function compareEnumWithPrimitive(ctx: DiffContext, b: Concrete, r: Concrete, scope: SchemaScope): Finding[] | undefined {
  const family = (schema: Concrete): string | undefined => (schema.kind === 'enum' ? enumFamily(schema) : schema.kind === 'string' || schema.kind === 'integer' || schema.kind === 'number' || schema.kind === 'boolean' ? schema.kind : undefined);
  const bf = family(b);
  const rf = family(r);
  if (bf === undefined || rf === undefined) return undefined;
  const compatible = bf === rf || (bf === 'integer' && rf === 'number') || (bf === 'number' && rf === 'integer' && b.kind === 'enum');
  if (!compatible) return undefined;
  if (r.kind === 'enum') return [emitSchema(ctx, scope, 'constraint-tightened', `now restricted to ${describe(ctx.revision, r)}`, b, r)];
  return [emitSchema(ctx, scope, 'constraint-loosened', `no longer restricted to ${describe(ctx.base, b)}; now any ${describe(ctx.revision, r)}`, b, r)];
}
