import type { IrObject, IrSchema } from '../ir/types.js';

/** JSON's instance types (`number` covers integers). */
export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

type SchemaOf = (name: string) => IrSchema | undefined;

/**
 * allOf members that constrain anything: `{ description: ... }` or `{ nullable: false }` beside a $ref do not,
 * and neither do keywords without `type` (`minLength`) beside a member that only admits another type (an
 * array). Such keywords beside a member that admits only their own type apply as if the type were declared,
 * so `allOf: [$ref Pet, { required: [id] }]` stays one object.
 */
export function constrainingMembers(all: IrSchema[], schemaOf: SchemaOf): IrSchema[] {
  const members = all.filter((m) => m.kind !== 'any');
  if (!members.some((m) => m.typeImplied)) return members;
  const forced = intersectTypes(members.filter((m) => !m.typeImplied).map((m) => instanceTypes(m, schemaOf, new Set())));
  if (!forced) return members;
  const nonNull: JsonType[] = [...forced].filter((t) => t !== 'null');
  return members.flatMap((member): IrSchema[] => {
    const own = member.typeImplied ? jsonTypeOf(member) : undefined;
    if (!own) return [member];
    if (!nonNull.includes(own)) return [];
    if (nonNull.length > 1) return [member];
    const { typeImplied: _implied, ...declared } = member;
    return [forced.has('null') ? { ...declared, nullable: true } : declared];
  });
}

/** The JSON types a schema admits; undefined when it admits every type. */
function instanceTypes(schema: IrSchema, schemaOf: SchemaOf, seen: Set<string>): Set<JsonType> | undefined {
  const own = ((): Set<JsonType> | undefined => {
    if (schema.typeImplied) return undefined;
    switch (schema.kind) {
      case 'ref': {
        const target = schemaOf(schema.name);
        if (!target || seen.has(schema.name)) return undefined;
        return instanceTypes(target, schemaOf, new Set([...seen, schema.name]));
      }
      case 'any':
        return undefined;
      case 'never':
        return new Set();
      case 'enum':
        return new Set(schema.values.map(valueType));
      case 'const':
        return new Set([valueType(schema.value)]);
      case 'union': {
        const sets = schema.members.map((m) => instanceTypes(m, schemaOf, seen));
        if (sets.some((s) => s === undefined)) return undefined;
        return new Set(sets.flatMap((s) => [...(s ?? [])]));
      }
      case 'intersection':
        return intersectTypes(schema.members.map((m) => instanceTypes(m, schemaOf, seen)));
      default:
        return new Set([jsonTypeOf(schema) ?? 'null']);
    }
  })();
  if (own && schema.nullable) own.add('null');
  return own;
}

/** The JSON type a schema of a single-type kind checks. */
export function jsonTypeOf(schema: IrSchema): JsonType | undefined {
  switch (schema.kind) {
    case 'null':
    case 'boolean':
    case 'string':
    case 'array':
    case 'object':
      return schema.kind;
    case 'number':
    case 'integer':
      return 'number';
    default:
      return undefined;
  }
}

function valueType(value: string | number | boolean | null): JsonType {
  return value === null ? 'null' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
}

/** The types every set admits; undefined sets (any type) do not narrow. */
function intersectTypes(sets: Array<Set<JsonType> | undefined>): Set<JsonType> | undefined {
  let result: Set<JsonType> | undefined;
  for (const set of sets) {
    if (!set) continue;
    result = result ? new Set([...result].filter((t) => set.has(t))) : new Set(set);
  }
  return result;
}

/** An object schema that describes keys (`properties` or `additionalProperties`), not only `required` ones. */
export function declaresKeys(schema: IrObject): boolean {
  return schema.additionalProperties !== true || schema.properties.some((p) => p.schema.pointer !== `${schema.pointer}/required`);
}
