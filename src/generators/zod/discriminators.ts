import type { IrDiscriminator, IrNamedSchema, IrOperation, IrSchema } from '../../ir/types.js';
import { childSchemas } from '../../ir/walk.js';

export interface Narrowing {
  propertyName: string;
  /** The discriminator values that select this schema. */
  values: string[];
}

/**
 * Which named schemas have their discriminator property narrowed to the values that select them. The rules are
 * openapi-typescript's, so that the zod type and types.ts agree (and the validator enforces what the type claims):
 * - every target of a oneOf discriminator (its `$ref` members and mapping targets) gets the mapping values that
 *   name it, else its component key;
 * - a schema that extends, through `allOf`, a parent with a discriminator (directly or via another subtype) gets
 *   the parent's mapping values for it, else (if it declares no discriminator itself) its component key.
 * Only object and allOf schemas are narrowed; openapi-typescript leaves other kinds alone.
 */
export function discriminatorNarrowings(schemas: readonly IrNamedSchema[], roots: readonly IrSchema[]): Map<string, Narrowing> {
  const byName = new Map(schemas.map((s) => [s.name, s]));
  const narrowable = (name: string): boolean => {
    const kind = byName.get(name)?.schema.kind;
    return kind === 'object' || kind === 'intersection';
  };
  const result = new Map<string, Narrowing>();

  const fromUnion = (discriminator: IrDiscriminator): void => {
    const values = new Map<string, string[]>();
    for (const entry of discriminator.mapping) values.set(entry.schema, [...(values.get(entry.schema) ?? []), entry.value]);
    for (const [name, list] of values) {
      if (!result.has(name) && narrowable(name)) result.set(name, { propertyName: discriminator.propertyName, values: list });
    }
  };
  const visit = (schema: IrSchema): void => {
    if (schema.kind === 'union' && schema.mode === 'oneOf' && schema.discriminator) fromUnion(schema.discriminator);
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
    if (result.has(named.name) || named.schema.kind !== 'intersection') continue;
    const own = named.schema.discriminator;
    for (const member of named.schema.members) {
      if (member.kind !== 'ref') continue;
      const parent = discriminatorOf(member.name, new Set([named.name]));
      if (!parent) continue;
      const mapped = parent.mapping.filter((m) => m.schema === named.name).map((m) => m.value);
      if (mapped.length > 0) result.set(named.name, { propertyName: parent.propertyName, values: mapped });
      else if (!own) result.set(named.name, { propertyName: parent.propertyName, values: [named.originalName] });
      break;
    }
  }
  return result;
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
