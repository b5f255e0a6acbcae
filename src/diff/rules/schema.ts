import type { IrNamedSchema, IrObject, IrProperty, IrSchema } from '../../ir/types.js';
import type { DiffContext, Finding, Side } from '../context.js';
import { describe, resolve, sameJson, signature, type Concrete, type Resolved } from '../schema-model.js';
import { compareArrayBounds, compareEnums, compareEnumWithPrimitive, compareNumbers, compareObjectBounds, compareStrings } from './schema-constraints.js';
import { linkPair, pairKey, withTypes } from './schema-graph.js';
import { comparePropertyLifecycle } from './deprecation.js';
import { compareKeywords, watchedRaw } from './schema-keywords.js';
import { compareDiscriminators, compareIntersections, compareUnions, flattenIntersection, isMemberOf } from './schema-composition.js';

/**
 * Schema family: structural comparison of two schemas by content. Refs are followed into each side's named
 * schemas (names never decide equality). A pair of named schemas (base type, revision type, direction) is compared
 * once, on its own, and only linked from where it is used (rules/schema-graph.ts): shared components cost once, and
 * recursion never nests deeper than one schema's inline structure, whatever the cycles between named schemas.
 */

export interface SchemaScope {
  direction: 'request' | 'response';
  /** A named type (`Pet`) or a description of the place (`request body (application/json)`). */
  root: string;
  rootIsType: boolean;
  /** Path below the root: `.owner.name`, `[]`, `.*`. */
  path: string;
  /** The root is a parameter: its own default is a parameter default (its own rule). */
  parameter?: boolean;
}

export function subject(scope: SchemaScope): string {
  if (scope.rootIsType) return `\`${scope.root}${scope.path}\``;
  return scope.path === '' ? scope.root : `${scope.root} at \`${scope.path}\``;
}

export function at(scope: SchemaScope, suffix: string): SchemaScope {
  // Spelled out rather than spread: one object shape for every scope, on the comparison's hottest path.
  const next: SchemaScope = { direction: scope.direction, root: scope.root, rootIsType: scope.rootIsType, path: scope.path + suffix };
  if (scope.parameter !== undefined) next.parameter = scope.parameter;
  return next;
}

export function emitSchema(ctx: DiffContext, scope: SchemaScope, id: string, what: string, base: IrSchema | undefined, revision: IrSchema | undefined): Finding {
  return ctx.emit(id, scope.direction, subject(scope), what, { base: base?.pointer, revision: revision?.pointer });
}

export function compareSchemas(ctx: DiffContext, base: IrSchema, revision: IrSchema, scope: SchemaScope): Finding[] {
  const b = resolve(ctx.base, base);
  const r = resolve(ctx.revision, revision);
  // Nullability and defaults belong to the place the schema is used (a ref site may add them), so they are
  // reported there; the shape is reported against the named type, once for all its uses.
  const out = compareAnnotations(ctx, b, r, scope, base, revision);
  if (!b.named && !r.named) {
    out.push(...compareShapes(ctx, b.schema, r.schema, scope));
    return out;
  }
  const name = (b.owner ?? r.owner)?.name ?? '';
  const inner: SchemaScope = { direction: scope.direction, root: name, rootIsType: true, path: '' };
  const { direction } = scope;
  const typesOf = (...named: Array<IrNamedSchema | undefined>): string[] => [...new Set(named.map((n) => typeName(n, direction)).filter((t): t is string => t !== undefined))];
  if (!b.owner || !r.owner || !b.named || !r.named) {
    out.push(...withTypes(compareShapes(ctx, b.schema, r.schema, inner), typesOf(b.named, b.owner, r.named, r.owner)));
    return out;
  }
  const bs = b.schema;
  const rs = r.schema;
  const state = ctx.schemaState;
  const ownerKey = pairKey(direction, b.owner.name, r.owner.name);
  const ownerTypes = typesOf(b.owner, r.owner);
  const run = (): Finding[] => compareShapes(ctx, bs, rs, inner);
  // `directional` is false only when buildIr found no readOnly/writeOnly mark the type reaches (absent: unknown).
  const neutral = (...named: IrNamedSchema[]): boolean => named.every((n) => n.directional === false);
  if (b.named === b.owner && r.named === r.owner) linkPair(state, ownerKey, ownerTypes, run, neutral(b.owner, r.owner));
  // An alias (`Item: {$ref: Node}`) is a node of its own that only leads to its target: Node's shape is compared
  // once, and its findings still count as inside Item.
  else {
    const owner = { key: ownerKey, types: ownerTypes, neutral: neutral(b.owner, r.owner) };
    linkPair(state, pairKey(direction, b.named.name, r.named.name), typesOf(b.named, r.named), () => {
      linkPair(state, owner.key, owner.types, run, owner.neutral);
      return [];
    }, neutral(b.named, r.named, b.owner, r.owner));
  }
  return out;
}

function compareAnnotations(ctx: DiffContext, b: Resolved, r: Resolved, scope: SchemaScope, base: IrSchema, revision: IrSchema): Finding[] {
  const out: Finding[] = [];
  const bs = b.schema;
  const rs = r.schema;
  if (!b.nullable && r.nullable && rs.kind !== 'any' && rs.kind !== 'null') out.push(emitSchema(ctx, scope, 'nullable-added', 'may now be null', base, revision));
  if (b.nullable && !r.nullable && bs.kind !== 'any' && bs.kind !== 'null') out.push(emitSchema(ctx, scope, 'nullable-removed', 'may no longer be null', base, revision));
  if (b.hasDefault !== r.hasDefault || (b.hasDefault && !sameJson(b.default, r.default))) {
    const from = b.hasDefault ? JSON.stringify(b.default) : 'none';
    const to = r.hasDefault ? JSON.stringify(r.default) : 'none';
    out.push(emitSchema(ctx, scope, scope.parameter && scope.path === '' ? 'parameter-default-changed' : 'default-changed', `default changed from ${from} to ${to}`, base, revision));
  }
  return out;
}

function typeName(named: IrNamedSchema | undefined, direction: 'request' | 'response'): string | undefined {
  if (!named) return undefined;
  return (direction === 'request' ? named.requestName : named.responseName) ?? named.name;
}


function compareShapes(ctx: DiffContext, b: Concrete, r: Concrete, scope: SchemaScope): Finding[] {
  const keywords = compareKeywords(ctx, b, r, scope);
  const shapes = compareStructure(ctx, b, r, scope);
  return keywords.length === 0 ? shapes : [...keywords, ...shapes];
}

function compareStructure(ctx: DiffContext, b: Concrete, r: Concrete, scope: SchemaScope): Finding[] {
  if (b.kind === 'union' || r.kind === 'union') {
    if (!(b.kind === 'intersection' || r.kind === 'intersection')) return compareUnions(ctx, b, r, scope);
  }
  if (b.kind === 'intersection' || r.kind === 'intersection') {
    const { signatures } = ctx.schemaState;
    const fb = b.kind === 'intersection' ? flattenIntersection(ctx.base, b, (s) => signature(ctx.base, s, signatures.base, signatures.intern)) : b;
    const fr = r.kind === 'intersection' ? flattenIntersection(ctx.revision, r, (s) => signature(ctx.revision, s, signatures.revision, signatures.intern)) : r;
    const out: Finding[] = [];
    const flat = fb?.kind === 'object' && fr?.kind === 'object';
    if (!flat) out.push(...compareIntersections(ctx, b, r, scope, false));
    // Membership is reported when both sides are allOf, or when the plain side is one of the other's members
    // (`X` -> `allOf [X, Y]`); rewriting an object as an allOf of its parts is not a change of membership.
    else if ((b.kind === 'intersection' && r.kind === 'intersection') || isMemberOf(ctx, b, r)) out.push(...compareIntersections(ctx, b, r, scope, true));
    if (flat) out.push(...compareObjects(ctx, fb, fr, scope));
    return out;
  }
  // The schema `false` (`items: false` closing a tuple, an empty enum) admits nothing: a subset of anything.
  if (r.kind === 'never' && b.kind !== 'never') return [emitSchema(ctx, scope, 'constraint-tightened', `became false (no value allowed); was ${describe(ctx.base, b)}`, b, r)];
  if (b.kind === 'never' && r.kind !== 'never') return [emitSchema(ctx, scope, 'constraint-loosened', `was false (no value allowed); now ${describe(ctx.revision, r)}`, b, r)];
  if (b.kind === 'any' && r.kind !== 'any') return [emitSchema(ctx, scope, 'constraint-tightened', `was any value, now only ${describe(ctx.revision, r)}`, b, r)];
  if (r.kind === 'any' && b.kind !== 'any') return [emitSchema(ctx, scope, 'constraint-loosened', `was ${describe(ctx.base, b)}, now any value`, b, r)];
  if (b.kind === 'enum' && r.kind === 'enum') return compareEnums(ctx, b, r, scope);
  if (b.kind === 'enum' || r.kind === 'enum') {
    const handled = compareEnumWithPrimitive(ctx, b, r, scope);
    if (handled) return handled;
    return [typeChanged(ctx, b, r, scope)];
  }
  if ((b.kind === 'integer' || b.kind === 'number') && (r.kind === 'integer' || r.kind === 'number')) return compareNumbers(ctx, b, r, scope);
  if (b.kind !== r.kind) return [typeChanged(ctx, b, r, scope)];
  switch (b.kind) {
    case 'string':
      return r.kind === 'string' ? compareStrings(ctx, b, r, scope) : [];
    case 'array':
      return r.kind === 'array' ? compareArrays(ctx, b, r, scope) : [];
    case 'object':
      return r.kind === 'object' ? compareObjects(ctx, b, r, scope) : [];
    default:
      return [];
  }
}

export function typeChanged(ctx: DiffContext, b: Concrete, r: Concrete, scope: SchemaScope): Finding {
  return emitSchema(ctx, scope, 'type-changed', `type changed from ${describe(ctx.base, b)} to ${describe(ctx.revision, r)}`, b, r);
}

function compareArrays(ctx: DiffContext, b: Extract<Concrete, { kind: 'array' }>, r: Extract<Concrete, { kind: 'array' }>, scope: SchemaScope): Finding[] {
  const out = compareArrayBounds(ctx, b, r, scope);
  const bp = b.prefixItems ?? [];
  const rp = r.prefixItems ?? [];
  // Each position is governed by its prefix schema, or by `items` past the prefix: compare what governs it on each
  // side, so a position that moves between `items` and a fixed schema is reported only when what it accepts changes
  // (a prefix entry equal to `items` changes nothing; oasdiff's prefix_items_same_as_items).
  const positions = Math.max(bp.length, rp.length);
  for (let index = 0; index < positions; index++) {
    out.push(...compareSchemas(ctx, bp[index] ?? b.items, rp[index] ?? r.items, at(scope, `[${index}]`)));
  }
  const rest = at(scope, '[]');
  const closedBefore = b.items.kind === 'never';
  const closedAfter = r.items.kind === 'never';
  // `items: false` after a prefix closes the tuple (oasdiff: *-schema-became-false on `items`).
  if (rp.length > 0 && closedAfter && !closedBefore) out.push(emitSchema(ctx, rest, 'constraint-tightened', `items became false: nothing allowed past the ${rp.length} fixed items (was ${restOf(ctx.base, b.items)})`, b.items, r.items));
  else if (bp.length > 0 && closedBefore && !closedAfter) out.push(emitSchema(ctx, rest, 'constraint-loosened', `items no longer false: ${restOf(ctx.revision, r.items)} allowed past the ${bp.length} fixed items`, b.items, r.items));
  else out.push(...compareSchemas(ctx, b.items, r.items, rest));
  return out;
}

function restOf(side: Side, items: IrSchema): string {
  return items.kind === 'any' ? 'any value' : describe(side, items);
}

/** Whether a property is part of the message in this direction (readOnly ones are not sent, writeOnly ones not received). */
function visible(side: Side, property: IrProperty, direction: 'request' | 'response'): boolean {
  const resolved = resolve(side, property.schema);
  return direction === 'request' ? !resolved.readOnly : !resolved.writeOnly;
}

export function compareObjects(ctx: DiffContext, b: IrObject, r: IrObject, scope: SchemaScope): Finding[] {
  const out: Finding[] = [];
  const { direction } = scope;
  const revisionByName = new Map(r.properties.map((property) => [property.name, property]));
  const baseNames = new Set(b.properties.map((property) => property.name));
  for (const bp of b.properties) {
    const rp = revisionByName.get(bp.name);
    const here = at(scope, `.${bp.name}`);
    const bVisible = visible(ctx.base, bp, direction);
    const rVisible = rp !== undefined && visible(ctx.revision, rp, direction);
    if (!bVisible) {
      if (rp && rVisible && direction === 'request') out.push(added(ctx, rp, here, b, ' (no longer readOnly)'));
      else if (rp && rVisible) out.push(emitSchema(ctx, here, 'property-became-not-write-only', `${rp.required ? 'required' : 'optional'} property no longer writeOnly`, bp.schema, rp.schema));
      continue;
    }
    if (!rp) {
      out.push(emitSchema(ctx, here, bp.required ? 'required-property-removed' : 'optional-property-removed', `${bp.required ? 'required' : 'optional'} property removed`, bp.schema, r));
      continue;
    }
    if (!rVisible) {
      out.push(emitSchema(ctx, here, direction === 'request' ? 'property-became-read-only' : 'property-became-write-only', direction === 'request' ? 'became readOnly' : 'became writeOnly', bp.schema, rp.schema));
      continue;
    }
    const lifecycle = watchedRaw(ctx, bp.schema, rp.schema);
    if (lifecycle) comparePropertyLifecycle(ctx, lifecycle[0], lifecycle[1], (id, what) => void out.push(emitSchema(ctx, here, id, what, bp.schema, rp.schema)));
    if (!bp.required && rp.required) out.push(emitSchema(ctx, here, 'property-became-required', 'became required', bp.schema, rp.schema));
    if (bp.required && !rp.required) out.push(emitSchema(ctx, here, 'property-became-optional', 'became optional', bp.schema, rp.schema));
    out.push(...compareSchemas(ctx, bp.schema, rp.schema, here));
  }
  for (const rp of r.properties) {
    if (baseNames.has(rp.name) || !visible(ctx.revision, rp, direction)) continue;
    out.push(added(ctx, rp, at(scope, `.${rp.name}`), b, ''));
  }
  out.push(...compareAdditional(ctx, b, r, scope));
  out.push(...compareObjectBounds(ctx, b, r, scope));
  out.push(...compareDiscriminators(ctx, b, r, scope));
  return out;
}

function added(ctx: DiffContext, property: IrProperty, scope: SchemaScope, baseObject: IrObject, note: string): Finding {
  const what = `${property.required ? 'required' : 'optional'} property added${note}`;
  return emitSchema(ctx, scope, property.required ? 'property-added-required' : 'property-added-optional', what, baseObject, property.schema);
}

function compareAdditional(ctx: DiffContext, b: IrObject, r: IrObject, scope: SchemaScope): Finding[] {
  const ba = b.additionalProperties;
  const ra = r.additionalProperties;
  if (typeof ba === 'object' && typeof ra === 'object') return compareSchemas(ctx, ba, ra, at(scope, '.*'));
  if (ba === ra) return [];
  const show = (value: boolean | IrSchema, side: Side): string => (typeof value === 'boolean' ? String(value) : describe(side, value));
  const what = `additionalProperties changed from ${show(ba, ctx.base)} to ${show(ra, ctx.revision)}`;
  const closed = ra === false || (ba === true && typeof ra === 'object');
  return [ctx.emit(closed ? 'additional-properties-closed' : 'additional-properties-opened', scope.direction, subject(scope), what, { base: b.pointer, revision: r.pointer })];
}
