import type { IrNamedSchema, IrObject, IrOperation, IrSchema, IrUnion } from '../ir/types.js';
import { arg, chain, json, list, z, type ZArg, type ZExpr } from './expr.js';
import { discriminatorNarrowings, narrowSchema, operationRoots, type Narrowing } from './discriminators.js';
import { mergeAllOf, type MergedShape } from './merge-all-of.js';
import { compilePattern, defaultFits, enumExpr, numberExpr, stringExpr } from './primitives.js';
import { discriminatedOptions } from './discriminated-union.js';
import { constrainingMembers, declaresKeys, jsonTypeOf } from './instance-types.js';

/** Which shape of a schema is wanted: as declared, as sent by a client (no readOnly), as returned (no writeOnly). */
export type Variant = 'full' | 'request' | 'response';

/** Unions larger than this are not distributed over an allOf (the merged objects would multiply the code). */
const MAX_DISTRIBUTED = 8;

/** A property carried in the other direction only: accepted with any value, dropped from the output. */
const IGNORED: ZExpr = { k: 'helper', base: z('unknown'), helper: 'ignored', args: [] };

export interface FlatProperty {
  name: string;
  required: boolean;
  schema: IrSchema;
}

/**
 * IR schema -> zod expression. Holds the facts about named schemas the decisions need (variants, recursion,
 * discriminator narrowing, which ones are plain objects that can be extended), computed lazily and cached.
 */
export class ZodExprBuilder {
  private readonly byName: Map<string, IrNamedSchema>;
  private readonly objectLike = new Map<string, boolean>();
  private readonly flat = new Map<string, FlatProperty[]>();
  private readonly narrowed = new Map<string, IrSchema>();
  private readonly narrowings: Map<string, Narrowing>;

  /** `operations`: their schemas are searched for oneOf discriminators too (they narrow their members). */
  constructor(schemas: IrNamedSchema[], operations: readonly IrOperation[] = []) {
    this.byName = new Map(schemas.map((s) => [s.name, s]));
    this.narrowings = discriminatorNarrowings(schemas, operationRoots(operations));
    for (const [name, narrowing] of this.narrowings) {
      const named = this.byName.get(name);
      if (named) this.narrowed.set(name, narrowSchema(named.schema, narrowing));
    }
  }

  named(name: string): IrNamedSchema | undefined {
    return this.byName.get(name);
  }

  /** The discriminator property a oneOf/allOf narrowed this named schema's to, if any. */
  narrowedProperty(name: string): string | undefined {
    return this.narrowings.get(name)?.propertyName;
  }

  /** A named schema's body as the validators see it (discriminator property narrowed where applicable). */
  schemaOf(name: string): IrSchema | undefined {
    return this.narrowed.get(name) ?? this.byName.get(name)?.schema;
  }

  /** The identifier a reference to `name` uses in the given variant. */
  variantName(name: string, variant: Variant): string {
    const target = this.byName.get(name);
    if (!target) return name;
    if (variant === 'request' && target.requestName) return target.requestName;
    if (variant === 'response' && target.responseName) return target.responseName;
    return name;
  }

  /** Expression for a named schema's body in one variant. */
  buildNamed(named: IrNamedSchema, variant: Variant): ZExpr {
    return this.build(this.schemaOf(named.name) ?? named.schema, variant);
  }

  build(schema: IrSchema, variant: Variant): ZExpr {
    let core = this.core(schema, variant);
    // A keyword without `type` constrains only values of its own type (`{ minLength: 1 }` accepts 5).
    const implied = schema.typeImplied === true ? jsonTypeOf(schema) : undefined;
    if (implied === 'object' && schema.kind === 'object' && declaresKeys(schema)) core = { k: 'helper', base: core, helper: 'ifObject', args: [] };
    else if (implied) core = { k: 'helper', base: core, helper: 'ifType', args: [json(implied)] };
    return schema.nullable && schema.kind !== 'null' && schema.kind !== 'any' ? chain(core, 'nullable') : core;
  }

  /**
   * A property or parameter value: optional unless required. An absent optional value with a primitive default
   * gets the default, in every shape: types.ts (openapi-typescript's `defaultNonNullable`) types such a property
   * as always present, and filling it in makes that true of validated data.
   */
  member(schema: IrSchema, required: boolean, variant: Variant): ZExpr {
    const expr = this.build(schema, variant);
    if (required) return expr;
    if (defaultFits(schema)) return chain(expr, 'default', json(schema.default));
    return chain(expr, 'optional');
  }

  /** An object property: like `member`, but readOnly ones are ignored in requests and writeOnly ones in responses. */
  property(schema: IrSchema, required: boolean, variant: Variant): ZExpr {
    if ((variant === 'request' && schema.readOnly === true) || (variant === 'response' && schema.writeOnly === true)) return IGNORED;
    return this.member(schema, required, variant);
  }

  private core(schema: IrSchema, variant: Variant): ZExpr {
    switch (schema.kind) {
      case 'ref':
        return { k: 'ref', name: this.variantName(schema.name, variant), lazy: this.byName.get(schema.name)?.recursive === true };
      case 'any':
        return z('unknown');
      case 'never':
        return z('never');
      case 'null':
        return z('null');
      case 'boolean':
        return z('boolean');
      case 'string':
        return stringExpr(schema);
      case 'number':
      case 'integer':
        return numberExpr(schema);
      case 'enum':
        return enumExpr(schema.values);
      case 'const':
        return schema.value === null ? z('null') : z('literal', json(schema.value));
      case 'array':
        return this.arrayExpr(schema, variant);
      case 'object':
        return this.objectExpr(schema, variant);
      case 'union':
        return this.unionExpr(schema, variant);
      case 'intersection':
        return this.intersectionExpr(schema.members, variant);
    }
  }

  private arrayExpr(schema: Extract<IrSchema, { kind: 'array' }>, variant: Variant): ZExpr {
    let expr: ZExpr;
    if (schema.prefixItems && schema.prefixItems.length > 0) {
      expr = this.tupleExpr(schema, schema.prefixItems, variant);
    } else {
      expr = z('array', arg(this.build(schema.items, variant)));
      if (schema.minItems !== undefined) expr = chain(expr, 'min', json(schema.minItems));
      if (schema.maxItems !== undefined) expr = chain(expr, 'max', json(schema.maxItems));
    }
    return schema.uniqueItems ? { k: 'helper', base: expr, helper: 'uniqueItems', args: [] } : expr;
  }

  /**
   * `prefixItems` as a zod tuple. JSON Schema checks a prefix position only when the array reaches it, so each is
   * optional (zod then accepts shorter arrays); the rest follows `items` (`never` only for `items: false`) and is
   * dropped when maxItems leaves no room for it. A closed tuple makes the positions minItems requires required,
   * so its type is as exact as the document (`[A, B]` for a pair with minItems = maxItems = 2): zod checks a
   * closed tuple's length on the input. With a rest it does not, and fills absent required positions whose
   * schema takes `undefined` (`{}`), so there every position stays optional and the helper checks the length.
   */
  private tupleExpr(schema: Extract<IrSchema, { kind: 'array' }>, prefixItems: IrSchema[], variant: Variant): ZExpr {
    const length = prefixItems.length;
    const min = schema.minItems ?? 0;
    const max = schema.maxItems ?? Infinity;
    const closed = schema.items.kind === 'never' || max <= length;
    const required = closed ? Math.min(min, length) : 0;
    const prefix = prefixItems.map((item, index) => (index < required ? this.build(item, variant) : chain(this.build(item, variant), 'optional')));
    const expr = z('tuple', list(prefix), ...(closed ? [] : [arg(this.build(schema.items, variant))]));
    const exact = closed && min <= length && max >= length;
    if (exact || (schema.minItems === undefined && schema.maxItems === undefined)) return expr;
    return { k: 'helper', base: expr, helper: 'itemCount', args: [json(schema.minItems ?? null), json(schema.maxItems ?? null)] };
  }

  private objectExpr(schema: IrObject, variant: Variant): ZExpr {
    const entries = schema.properties.map((p) => ({ key: p.name, e: this.property(p.schema, p.required, variant), ...docOf(p.schema) }));
    const shape: ZArg = { k: 'shape', spreads: [], entries };
    const extra = schema.additionalProperties;
    const patterns = (schema.patternProperties ?? []).flatMap((p) => {
      const compiled = compilePattern(p.pattern);
      return compiled ? [{ ...compiled, e: this.build(p.schema, variant) }] : [];
    });
    let expr: ZExpr;
    if (patterns.length > 0) {
      // `additionalProperties` only governs keys no pattern matches, which a zod object cannot express: the
      // helper checks those keys itself.
      const rest: ZArg[] = extra === true ? [] : [json(schema.properties.map((p) => p.name)), extra === false ? json(false) : arg(this.build(extra, variant))];
      expr = { k: 'helper', base: z('looseObject', shape), helper: 'patternProperties', args: [{ k: 'patterns', items: patterns }, ...rest] };
    } else {
      expr = extra === true ? z('looseObject', shape) : extra === false ? z('strictObject', shape) : chain(z('object', shape), 'catchall', arg(this.build(extra, variant)));
    }
    if (schema.minProperties !== undefined || schema.maxProperties !== undefined) {
      expr = { k: 'helper', base: expr, helper: 'propertyCount', args: [json(schema.minProperties ?? null), json(schema.maxProperties ?? null)] };
    }
    return expr;
  }

  /**
   * Whether a schema prints as a plain loose or strict `ZodObject`, so it can be spread into an allOf merge or
   * extended in a discriminated union. Objects whose extra keys follow a schema are not: spreading their shape
   * would drop that rule.
   */
  isObjectLike(schema: IrSchema, variant: Variant): boolean {
    if (schema.nullable || schema.typeImplied) return false;
    if (schema.kind === 'object') {
      return !schema.patternProperties && schema.minProperties === undefined && schema.maxProperties === undefined && typeof schema.additionalProperties === 'boolean';
    }
    if (schema.kind === 'intersection') return this.mergesAll(this.constraining(schema.members), variant);
    if (schema.kind !== 'ref') return false;
    const cached = this.objectLike.get(schema.name);
    if (cached !== undefined) return cached;
    const target = this.byName.get(schema.name);
    this.objectLike.set(schema.name, false); // guards cycles; recursive schemas are lazy, never plain objects
    const result = target !== undefined && !target.recursive && this.isObjectLike(this.schemaOf(schema.name) ?? target.schema, variant);
    this.objectLike.set(schema.name, result);
    return result;
  }

  /**
   * Whether allOf members merge into one object: each is object-like but for being nullable (a nullable $ref is
   * spread through `.unwrap()`), and at least one is not nullable, so the allOf does not admit null either.
   */
  private mergesAll(members: IrSchema[], variant: Variant): boolean {
    return members.length > 0 && members.every((m) => this.mergeable(m, variant)) && members.some((m) => !this.nullableConst(m) && !m.nullable);
  }

  private mergeable(member: IrSchema, variant: Variant): boolean {
    if (member.kind !== 'ref') return this.isObjectLike({ ...member, nullable: false }, variant);
    const target = this.schemaOf(member.name);
    return target !== undefined && this.byName.get(member.name)?.recursive === false && this.isObjectLike({ ...target, nullable: false }, variant);
  }

  /** A ref whose target's const is itself nullable (spread as `Target.unwrap().shape`). */
  private nullableConst(member: IrSchema): boolean {
    return member.kind === 'ref' && this.schemaOf(member.name)?.nullable === true;
  }

  /** The properties an object-like schema ends up with (through refs and allOf merges). */
  flatProperties(schema: IrSchema): FlatProperty[] {
    switch (schema.kind) {
      case 'object':
        return schema.properties;
      case 'intersection':
        return [...this.merge(this.constraining(schema.members)).slots].map(([name, slot]) => ({ name, required: slot.required, schema: slot.schema }));
      case 'ref': {
        const cached = this.flat.get(schema.name);
        if (cached) return cached;
        const target = this.schemaOf(schema.name);
        const result = target && !this.byName.get(schema.name)?.recursive ? this.flatProperties(target) : [];
        this.flat.set(schema.name, result);
        return result;
      }
      default:
        return [];
    }
  }

  private merge(members: IrSchema[]): MergedShape {
    return mergeAllOf(members, (ref) => this.flatProperties(ref));
  }

  // allOf of objects merges into one object (so it stays extendable and usable in a discriminated union); an
  // allOf of objects and one union distributes over the union (a union of merged objects); anything else is a
  // zod intersection.
  private intersectionExpr(all: IrSchema[], variant: Variant): ZExpr {
    const members = this.constraining(all);
    if (this.mergesAll(members, variant)) {
      const merged = this.merge(members);
      const entries: Array<{ key: string; e: ZExpr; doc?: string }> = [];
      for (const [key, slot] of merged.slots) {
        // Spread keys print as they are; a key an inline member declares, or whose requiredness the merge
        // changed, is written out after the spreads, so it wins.
        if (slot.own || slot.required !== slot.spreadRequired) entries.push({ key, e: this.property(slot.schema, slot.required, variant), ...docOf(slot.schema) });
      }
      const spreads = merged.spreads.map((ref) => (this.nullableConst(ref) ? chain(this.core(ref, variant), 'unwrap') : this.core(ref, variant)));
      return z(merged.closed ? 'strictObject' : 'looseObject', { k: 'shape', spreads, entries });
    }
    if (members.length === 1) return this.build(members[0] as IrSchema, variant);
    const distributed = this.distribute(members, variant);
    if (distributed) return this.unionExpr(distributed, variant);
    // zod merges the operands' outputs and throws on a key they disagree on; in a request or response shape one
    // operand may drop a key (readOnly/writeOnly) that another passes through, so dropped keys are removed first.
    const built = members.map((m) => (variant === 'full' || !mayCarryKeys(m) ? this.build(m, variant) : { k: 'helper', base: this.build(m, variant), helper: 'compact', args: [] } satisfies ZExpr));
    if (built.length === 0) return z('unknown');
    return built.slice(1).reduce((acc, next) => z('intersection', arg(acc), arg(next)), built[0] as ZExpr);
  }

  /**
   * allOf [A, oneOf [X, Y], B] is oneOf [allOf [A, X, B], allOf [A, Y, B]] (exactly, for oneOf and anyOf alike).
   * When every piece is an object this yields a union of merged objects instead of a zod intersection.
   */
  private distribute(members: IrSchema[], variant: Variant): IrUnion | undefined {
    let found: { index: number; union: IrUnion } | undefined;
    for (const [index, member] of members.entries()) {
      if (this.mergeable(member, variant)) continue;
      const union = member.nullable ? undefined : member.kind === 'union' ? member : member.kind === 'ref' && !this.byName.get(member.name)?.recursive ? this.schemaOf(member.name) : undefined;
      if (found || union?.kind !== 'union' || union.nullable || union.members.length > MAX_DISTRIBUTED) return undefined;
      if (!union.members.every((m) => this.isObjectLike(m, variant))) return undefined;
      found = { index, union };
    }
    if (!found) return undefined;
    const { index, union } = found;
    const branches = union.members.map((branch): IrSchema => ({ kind: 'intersection', pointer: branch.pointer, members: members.map((m, i) => (i === index ? branch : m)) }));
    if (!branches.every((b) => this.isObjectLike(b, variant))) return undefined;
    return { kind: 'union', mode: union.mode, pointer: union.pointer, members: branches, ...(union.discriminator ? { discriminator: { propertyName: union.discriminator.propertyName, mapping: [] } } : {}) };
  }

  /** allOf members that constrain anything (see `constrainingMembers`). */
  private constraining(all: IrSchema[]): IrSchema[] {
    return constrainingMembers(all, (name) => this.schemaOf(name));
  }

  private unionExpr(schema: IrUnion, variant: Variant): ZExpr {
    const discriminated = discriminatedOptions(this, schema, variant);
    if (discriminated) return z('discriminatedUnion', json(discriminated.propertyName), list(discriminated.options));
    const members = schema.members.map((m) => this.build(m, variant));
    return members.length === 1 ? (members[0] as ZExpr) : z('union', list(members));
  }
}


/** Whether a schema's values can be objects (whose keys an intersection's operands might disagree on). */
function mayCarryKeys(schema: IrSchema): boolean {
  return schema.kind === 'ref' || schema.kind === 'object' || schema.kind === 'array' || schema.kind === 'union' || schema.kind === 'intersection' || schema.kind === 'any';
}

/** A property's description, carried to the printed TypeScript type as JSDoc. */
function docOf(schema: IrSchema): { doc?: string } {
  return schema.description ? { doc: schema.description } : {};
}
