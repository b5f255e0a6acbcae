import type { IrDiscriminator, IrNamedSchema, IrObject, IrSchema, IrUnion } from '../../ir/types.js';
import { arg, chain, iso, json, list, z, type ZArg, type ZExpr } from './expr.js';

/** Which shape of a schema is wanted: as declared, as sent by a client (no readOnly), as returned (no writeOnly). */
export type Variant = 'full' | 'request' | 'response';

/**
 * IR schema -> zod expression. Holds the facts about named schemas the decisions need (variants, recursion,
 * which ones are plain objects that can be extended), computed lazily and cached.
 */
export class ZodExprBuilder {
  private readonly byName: Map<string, IrNamedSchema>;
  private readonly objectLike = new Map<string, boolean>();

  constructor(schemas: IrNamedSchema[]) {
    this.byName = new Map(schemas.map((s) => [s.name, s]));
  }

  named(name: string): IrNamedSchema | undefined {
    return this.byName.get(name);
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
    return this.build(named.schema, variant);
  }

  build(schema: IrSchema, variant: Variant): ZExpr {
    const core = this.core(schema, variant);
    return schema.nullable && schema.kind !== 'null' && schema.kind !== 'any' ? chain(core, 'nullable') : core;
  }

  /** A property or parameter value: optional unless required; request shapes fill primitive defaults. */
  member(schema: IrSchema, required: boolean, variant: Variant): ZExpr {
    const expr = this.build(schema, variant);
    if (required) return expr;
    if (variant === 'request' && defaultFits(schema)) return chain(expr, 'default', json(schema.default));
    return chain(expr, 'optional');
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
      case 'enum': {
        const values = schema.values;
        if (values.every((v): v is string => typeof v === 'string')) return z('enum', json(values));
        return z('literal', json(values.length === 1 ? values[0] : values));
      }
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
      const rest = schema.items.kind === 'never' ? [] : [arg(this.build(schema.items, variant))];
      expr = z('tuple', list(schema.prefixItems.map((item) => this.build(item, variant))), ...rest);
    } else {
      expr = z('array', arg(this.build(schema.items, variant)));
      if (schema.minItems !== undefined) expr = chain(expr, 'min', json(schema.minItems));
      if (schema.maxItems !== undefined) expr = chain(expr, 'max', json(schema.maxItems));
    }
    return schema.uniqueItems ? { k: 'helper', base: expr, helper: 'uniqueItems', args: [] } : expr;
  }

  private shapeEntries(schema: IrObject, variant: Variant): Array<{ key: string; e: ZExpr }> {
    return schema.properties
      .filter((p) => !(variant === 'request' && p.schema.readOnly) && !(variant === 'response' && p.schema.writeOnly))
      .map((p) => ({ key: p.name, e: this.member(p.schema, p.required, variant) }));
  }

  private objectExpr(schema: IrObject, variant: Variant): ZExpr {
    const shape: ZArg = { k: 'shape', spreads: [], entries: this.shapeEntries(schema, variant) };
    const extra = schema.additionalProperties;
    let expr: ZExpr =
      extra === true ? z('looseObject', shape) : extra === false ? z('strictObject', shape) : chain(z('object', shape), 'catchall', arg(this.build(extra, variant)));
    if (schema.patternProperties) {
      const items = schema.patternProperties.filter((p) => isValidPattern(p.pattern)).map((p) => ({ source: p.pattern, e: this.build(p.schema, variant) }));
      if (items.length > 0) expr = { k: 'helper', base: expr, helper: 'patternProperties', args: [{ k: 'patterns', items }] };
    }
    if (schema.minProperties !== undefined || schema.maxProperties !== undefined) {
      expr = { k: 'helper', base: expr, helper: 'propertyCount', args: [json(schema.minProperties ?? null), json(schema.maxProperties ?? null)] };
    }
    return expr;
  }

  /** Whether a schema (in a variant) prints as a plain `ZodObject`, so it can be extended or spread. */
  isObjectLike(schema: IrSchema, variant: Variant): boolean {
    if (schema.nullable) return false;
    if (schema.kind === 'object') return !schema.patternProperties && schema.minProperties === undefined && schema.maxProperties === undefined;
    if (schema.kind === 'intersection') return schema.members.every((m) => this.isObjectLike(m, variant));
    if (schema.kind !== 'ref') return false;
    const key = `${schema.name}|${variant}`;
    const cached = this.objectLike.get(key);
    if (cached !== undefined) return cached;
    const target = this.byName.get(schema.name);
    this.objectLike.set(key, false); // guards cycles; recursive schemas are lazy, never plain objects
    const result = target !== undefined && !target.recursive && this.isObjectLike(target.schema, variant);
    this.objectLike.set(key, result);
    return result;
  }

  // allOf of objects merges into one object (so it stays extendable and usable in a discriminated union);
  // anything else is a zod intersection.
  private intersectionExpr(members: IrSchema[], variant: Variant): ZExpr {
    if (members.length > 0 && members.every((m) => this.isObjectLike(m, variant))) {
      const spreads: ZExpr[] = [];
      const entries: Array<{ key: string; e: ZExpr }> = [];
      let closed = true;
      const collect = (member: IrSchema): void => {
        if (member.kind === 'ref') {
          spreads.push(this.core(member, variant));
          closed = false;
        } else if (member.kind === 'object') {
          for (const entry of this.shapeEntries(member, variant)) {
            const existing = entries.findIndex((e) => e.key === entry.key);
            if (existing >= 0) entries.splice(existing, 1);
            entries.push(entry);
          }
          if (member.additionalProperties !== false) closed = false;
        } else if (member.kind === 'intersection') {
          member.members.forEach(collect);
        }
      };
      members.forEach(collect);
      // Spread keys are overridden by later inline keys; keep entries that a spread would shadow last.
      return z(closed ? 'strictObject' : 'looseObject', { k: 'shape', spreads, entries });
    }
    const built = members.map((m) => this.build(m, variant));
    if (built.length === 0) return z('unknown');
    return built.slice(1).reduce((acc, next) => z('intersection', arg(acc), arg(next)), built[0] as ZExpr);
  }

  private unionExpr(schema: IrUnion, variant: Variant): ZExpr {
    const discriminated = this.discriminatedMembers(schema.members, schema.discriminator, variant);
    if (discriminated && schema.discriminator) return z('discriminatedUnion', json(schema.discriminator.propertyName), list(discriminated));
    const members = schema.members.map((m) => this.build(m, variant));
    return members.length === 1 ? (members[0] as ZExpr) : z('union', list(members));
  }

  /**
   * `z.discriminatedUnion` needs every option to be an object whose discriminator is a literal. OpenAPI members
   * usually declare the property as a plain string, so each member is extended with the literal values the
   * mapping gives it. Returns undefined (plain union) when that is not possible.
   */
  private discriminatedMembers(members: IrSchema[], discriminator: IrDiscriminator | undefined, variant: Variant): ZExpr[] | undefined {
    if (!discriminator || discriminator.mapping.length === 0 || members.length < 2) return undefined;
    const options: ZExpr[] = [];
    const seenValues = new Set<string>();
    for (const member of members) {
      if (member.kind !== 'ref' || !this.isObjectLike(member, variant)) return undefined;
      const values = discriminator.mapping.filter((m) => m.schema === member.name).map((m) => m.value);
      if (values.length === 0 || values.some((v) => seenValues.has(v))) return undefined;
      values.forEach((v) => seenValues.add(v));
      const literal = z('literal', json(values.length === 1 ? values[0] : values));
      options.push(chain(this.core(member, variant), 'extend', { k: 'shape', spreads: [], entries: [{ key: discriminator.propertyName, e: literal }] }));
    }
    return options;
  }
}

function defaultFits(schema: IrSchema): boolean {
  const value = schema.default;
  if (value === undefined || value === null) return false;
  switch (schema.kind) {
    case 'string':
      return typeof value === 'string' && !schema.format;
    case 'number':
    case 'integer':
      return typeof value === 'number' && (schema.kind === 'number' || Number.isInteger(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return schema.values.includes(value as string | number | boolean);
    default:
      return false;
  }
}

export function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const STRING_FORMATS: Record<string, () => ZExpr> = {
  'date-time': () => iso('datetime', json({ offset: true })),
  date: () => iso('date'),
  time: () => iso('time'),
  duration: () => iso('duration'),
  uuid: () => z('guid'),
  email: () => z('email'),
  uri: () => z('url'),
  ipv4: () => z('ipv4'),
  ipv6: () => z('ipv6'),
};

function stringExpr(schema: Extract<IrSchema, { kind: 'string' }>): ZExpr {
  if (schema.format === 'binary') return { k: 'helper', base: z('unknown'), helper: 'binary', args: [] };
  let expr = (schema.format ? STRING_FORMATS[schema.format] : undefined)?.() ?? z('string');
  if (schema.minLength !== undefined) expr = chain(expr, 'min', json(schema.minLength));
  if (schema.maxLength !== undefined) expr = chain(expr, 'max', json(schema.maxLength));
  if (schema.pattern !== undefined && isValidPattern(schema.pattern)) expr = chain(expr, 'regex', { k: 'regex', source: schema.pattern });
  return expr;
}

function numberExpr(schema: Extract<IrSchema, { kind: 'number' | 'integer' }>): ZExpr {
  let expr: ZExpr;
  if (schema.kind === 'integer') {
    // int64 values beyond 2^53 cannot be represented exactly anyway; z.int() would reject them outright.
    expr = schema.format === 'int32' ? z('int32') : schema.format === 'uint32' ? z('uint32') : schema.format === 'int64' || schema.format === 'uint64' ? { k: 'helper', base: z('number'), helper: 'integer', args: [] } : z('int');
  } else {
    expr = z('number');
  }
  if (schema.minimum !== undefined) expr = chain(expr, 'gte', json(schema.minimum));
  if (schema.exclusiveMinimum !== undefined) expr = chain(expr, 'gt', json(schema.exclusiveMinimum));
  if (schema.maximum !== undefined) expr = chain(expr, 'lte', json(schema.maximum));
  if (schema.exclusiveMaximum !== undefined) expr = chain(expr, 'lt', json(schema.exclusiveMaximum));
  if (schema.multipleOf !== undefined) expr = chain(expr, 'multipleOf', json(schema.multipleOf));
  return expr;
}
