import type { IrDiscriminator, IrNamedSchema, IrOperation, IrSchema } from '../ir/types.js';
import { childSchemas } from '../ir/walk.js';

export interface Narrowing {
  propertyName: string;
  /** The discriminator values that select this schema. */
  values: string[];
}

/**
 * Which named schemas have their discriminator property narrowed to the values that select them, following
 * openapi-typescript (so that the zod type and types.ts agree, and the validator enforces what the type claims):
 * - every target of a oneOf discriminator (its `$ref` members and mapping targets) gets the mapping values that
 *   name it, else its component key;
 * - a schema that extends, through `allOf`, a parent with a discriminator (directly or via another subtype) gets
 *   the parent's mapping values for it, else (if it declares no discriminator itself) its component key.
 * One departure: a schema that already limits the property to values of its own (`type: { enum: [function] }`,
 * as most real specs without a mapping do) keeps them instead of the implicit component key, which no real
 * payload carries. Only object and allOf schemas are narrowed; openapi-typescript leaves other kinds alone.
 */
export function discriminatorNarrowings(schemas: readonly IrNamedSchema[], roots: readonly IrSchema[]): Map<string, Narrowing> {
  const byName = new Map(schemas.map((s) => [s.name, s]));
  const result = new Map<string, Narrowing>();
  const narrow = (name: string, propertyName: string, candidates: string[]): void => {
    const named = byName.get(name);
    if (!named || result.has(name) || (named.schema.kind !== 'object' && named.schema.kind !== 'intersection')) return;
    const values = declaredValues(byName, named.schema, propertyName) ? candidates.filter((v) => v !== named.originalName) : candidates;
    if (values.length > 0) result.set(name, { propertyName, values });
  };

  const visit = (schema: IrSchema): void => {
    if (schema.kind === 'union' && schema.mode === 'oneOf' && schema.discriminator) {
      const { propertyName, mapping } = schema.discriminator;
      for (const name of new Set(mapping.map((m) => m.schema))) narrow(name, propertyName, mapping.filter((m) => m.schema === name).map((m) => m.value));
    }
    childSchemas(schema).forEach(visit);
  };
  schemas.forEach((s) => visit(s.schema));
  roots.forEach(visit);

  const inherited = new Map<string, IrDiscriminator | undefined>();
  const discriminatorOf = (name: string, seen: Set<string>): IrDiscriminator | undefined => {
    if (inherited.has(name)) return inherited.get(name);
    const named = byName.get(name);
    if (!named || seen.has(name)) return undefined;
    seen.add(name);
    const schema = named.schema;
    // Only an object parent makes a type hierarchy. (openapi-typescript also narrows an allOf over a oneOf with a
    // discriminator, to a value none of the oneOf's members allows; that is not followed.)
    let found = schema.kind === 'object' || schema.kind === 'intersection' ? schema.discriminator : undefined;
    if (!found && schema.kind === 'intersection') {
      for (const member of schema.members) {
        if (member.kind === 'ref') found ??= discriminatorOf(member.name, seen);
      }
    }
    inherited.set(name, found);
    return found;
  };
  for (const named of schemas) {
    if (named.schema.kind !== 'intersection') continue;
    const own = named.schema.discriminator;
    for (const member of named.schema.members) {
      const parent = member.kind === 'ref' ? discriminatorOf(member.name, new Set([named.name])) : undefined;
      if (!parent) continue;
      const mapped = parent.mapping.filter((m) => m.schema === named.name).map((m) => m.value);
      if (mapped.length > 0 || !own) narrow(named.name, parent.propertyName, mapped.length > 0 ? mapped : [named.originalName]);
      break;
    }
  }
  return result;
}

/**
 * The string values a schema itself limits `property` to (an enum or const, possibly behind a $ref), looking
 * through allOf members (the last one that declares the property wins, as in the merge).
 */
export function declaredValues(byName: ReadonlyMap<string, IrNamedSchema>, schema: IrSchema, property: string, seen = new Set<string>()): string[] | undefined {
  const literal = (s: IrSchema | undefined): string[] | undefined => {
    if (s?.kind === 'ref' && !seen.has(s.name)) return literal(byName.get(s.name)?.schema);
    if (!s || s.nullable) return undefined;
    if (s.kind === 'const') return typeof s.value === 'string' ? [s.value] : undefined;
    if (s.kind === 'enum') return s.values.every((v): v is string => typeof v === 'string') ? s.values : undefined;
    return undefined;
  };
  if (schema.kind === 'object') return literal(schema.properties.find((p) => p.name === property)?.schema);
  if (schema.kind === 'ref') {
    const target = byName.get(schema.name);
    if (!target || seen.has(schema.name)) return undefined;
    return declaredValues(byName, target.schema, property, new Set([...seen, schema.name]));
  }
  if (schema.kind !== 'intersection') return undefined;
  for (const member of [...schema.members].reverse()) {
    const found = declaredValues(byName, member, property, seen);
    if (found) return found;
  }
  return undefined;
}

/** The schema with its discriminator property replaced by (or extended with) a required enum of `values`. */
export function narrowSchema(schema: IrSchema, narrowing: Narrowing): IrSchema {
  const pointer = `${schema.pointer}/discriminator`;
  const property = { name: narrowing.propertyName, required: true, schema: { kind: 'enum', values: narrowing.values, baseType: 'string', pointer } as IrSchema };
  if (schema.kind === 'object') {
    const exists = schema.properties.some((p) => p.name === narrowing.propertyName);
    return { ...schema, properties: exists ? schema.properties.map((p) => (p.name === narrowing.propertyName ? property : p)) : [...schema.properties, property] };
  }
  if (schema.kind === 'intersection') {
    return { ...schema, members: [...schema.members, { kind: 'object', pointer, properties: [property], additionalProperties: true }] };
  }
  return schema;
}

/** Every schema an operation carries (parameters, bodies, responses, headers, callbacks), for the oneOf search. */
export function operationRoots(operations: readonly IrOperation[]): IrSchema[] {
  return operations.flatMap((op) => [
    ...op.parameters.map((p) => p.schema),
    ...(op.requestBody?.content ?? []).map((m) => m.schema),
    ...op.responses.flatMap((r) => [...r.content.map((m) => m.schema), ...r.headers.map((h) => h.schema)]),
    ...operationRoots(op.callbacks.flatMap((c) => c.operations)),
  ]);
}

/**
 * The values of `discriminator.propertyName` that select union member `member`, as the validators check them:
 * its mapping values, except the implicit component key when the member declares values of its own. For data
 * generators (the mock's fake data) that must produce values the validators accept.
 */
export function unionMemberValues(byName: ReadonlyMap<string, IrNamedSchema>, discriminator: IrDiscriminator, member: string): string[] {
  const named = byName.get(member);
  const own = named ? declaredValues(byName, named.schema, discriminator.propertyName) : undefined;
  const mapped = discriminator.mapping.filter((m) => m.schema === member && !(own && m.value === named?.originalName)).map((m) => m.value);
  return mapped.length > 0 ? mapped : (own ?? []);
}
