import type { IrDiscriminator, IrObject, IrProperty, IrSchema, JsonPointer } from '../types.js';
import { typeIdentifier } from '../naming.js';
import { child, isObject, optionalNumber, optionalString, refToPointer, resolvePointer, warn, type BuildContext, type JsonObject } from './context.js';

const COMPONENT_SCHEMA = /^\/components\/schemas\/([^/]+)$/;
/**
 * Keywords that constrain a value by themselves: beside allOf/oneOf/anyOf they are one more member (a parent's
 * `required: [...]` next to `allOf: [{ $ref }]` makes the ref's keys required; `maxLength` next to `oneOf` caps
 * every branch).
 */
const OWN_KEYWORDS = [
  'properties', 'additionalProperties', 'patternProperties', 'required', 'minProperties', 'maxProperties',
  'enum', 'const', 'items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems',
  'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
];
type Primitive = string | number | boolean;

/** JSON Schema (OpenAPI 3.0 or 3.1 dialect) -> IR. Never throws on odd schemas: the worst case is `any` + a warning. */
export function buildSchema(ctx: BuildContext, node: unknown, pointer: JsonPointer): IrSchema {
  if (node === true || node === undefined) return { kind: 'any', pointer };
  if (node === false) return { kind: 'never', pointer };
  if (!isObject(node)) {
    warn(ctx, 'SCHEMA_INVALID', 'A schema must be an object or boolean; treated as any value.', pointer);
    return { kind: 'any', pointer };
  }
  if (typeof node['$ref'] === 'string') return withAnnotations(buildRef(ctx, node['$ref'], pointer), node, true);
  return withAnnotations(buildShape(ctx, node, pointer), node, false);
}

function buildRef(ctx: BuildContext, ref: string, pointer: JsonPointer): IrSchema {
  const target = refToPointer(ref);
  const componentName = target === undefined ? undefined : ctx.componentNames.get(target);
  if (componentName) return { kind: 'ref', name: componentName, pointer };
  if (target === undefined || resolvePointer(ctx.doc, target) === undefined) {
    warn(ctx, 'SCHEMA_REF_UNRESOLVED', `Schema $ref "${ref}" cannot be resolved; treated as any value.`, pointer);
    return { kind: 'any', pointer };
  }
  const hoistedName = ctx.hoistedNames.get(target);
  if (hoistedName) return { kind: 'ref', name: hoistedName, pointer };
  if (ctx.inlineStack.includes(target)) return hoist(ctx, target, pointer);
  ctx.inlineStack.push(target);
  try {
    // A bundled document points repeated schemas at their first occurrence; inline it with its own pointer.
    return buildSchema(ctx, resolvePointer(ctx.doc, target), target);
  } finally {
    ctx.inlineStack.pop();
  }
}

// A cycle through non-component refs: give the target a name derived from where it lives (its property path),
// never from the ref string, and build it once.
function hoist(ctx: BuildContext, target: string, pointer: JsonPointer): IrSchema {
  const tail = target.split('/').filter((token) => token && !['properties', 'items', 'schema', 'content', 'paths', 'components', 'schemas', 'allOf', 'oneOf', 'anyOf'].includes(token));
  const name = ctx.schemaNames.claim(typeIdentifier(tail.slice(-3).join(' '), 'Schema'));
  ctx.hoistedNames.set(target, name);
  const entry = { name, originalName: target, pointer: target, schema: { kind: 'any', pointer: target } as IrSchema, recursive: true, hasReadOnly: false, hasWriteOnly: false };
  ctx.hoisted.push(entry);
  entry.schema = buildSchema(ctx, resolvePointer(ctx.doc, target), target);
  return { kind: 'ref', name, pointer };
}

function withAnnotations(schema: IrSchema, node: JsonObject, isRef: boolean): IrSchema {
  const description = optionalString(node['description']);
  if (description !== undefined) schema.description = description;
  const title = optionalString(node['title']);
  if (title !== undefined && !isRef) schema.title = title;
  if (node['deprecated'] === true) schema.deprecated = true;
  if (node['readOnly'] === true) schema.readOnly = true;
  if (node['writeOnly'] === true) schema.writeOnly = true;
  if (node['nullable'] === true || node['x-nullable'] === true) schema.nullable = true;
  if (node['default'] !== undefined) schema.default = node['default'];
  const examples: unknown[] = [];
  if (node['example'] !== undefined) examples.push(node['example']);
  if (Array.isArray(node['examples'])) examples.push(...node['examples']);
  if (examples.length > 0) schema.examples = examples;
  return schema;
}

function typesOf(node: JsonObject): { types: string[]; nullable: boolean } {
  const raw = node['type'];
  const list = Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : typeof raw === 'string' ? [raw] : [];
  return { types: list.filter((t) => t !== 'null'), nullable: list.includes('null') && list.length > 1 };
}

function buildShape(ctx: BuildContext, node: JsonObject, pointer: JsonPointer): IrSchema {
  const { types, nullable } = typesOf(node);
  const onlyNull = node['type'] === 'null' || (Array.isArray(node['type']) && node['type'].length === 1 && node['type'][0] === 'null');
  // `{ type: 'null', allOf: [{ $ref }] }` is how some 3.1 converters (Swashbuckle) spell a nullable $ref: read
  // the intent, not the letter (which no value satisfies).
  if (onlyNull && !['allOf', 'oneOf', 'anyOf'].some((key) => Array.isArray(node[key]) && (node[key] as unknown[]).length > 0)) return { kind: 'null', pointer };
  const shape = buildComposition(ctx, node, pointer, types);
  if (nullable || onlyNull) shape.nullable = true;
  return shape;
}

function buildComposition(ctx: BuildContext, node: JsonObject, pointer: JsonPointer, types: string[]): IrSchema {
  const allOf = compositionList(ctx, node, 'allOf', pointer);
  const oneOf = compositionList(ctx, node, 'oneOf', pointer);
  const anyOf = compositionList(ctx, node, 'anyOf', pointer);
  const hasOwnKeywords = OWN_KEYWORDS.some((key) => node[key] !== undefined);
  const hasOwnShape = types.length > 0 || hasOwnKeywords;
  const parts: IrSchema[] = [];
  if (allOf) allOf.forEach((member, index) => parts.push(buildSchema(ctx, member, child(pointer, 'allOf', index))));
  const union = oneOf ?? anyOf;
  if (union) parts.push(buildUnion(ctx, node, union, child(pointer, oneOf ? 'oneOf' : 'anyOf'), oneOf ? 'oneOf' : 'anyOf', pointer));
  if (parts.length === 0) return buildPlain(ctx, node, pointer, types);
  // Composition keywords next to `type: object` without properties add nothing to validate.
  const ownIsEmptyObject = types.length <= 1 && (types[0] === 'object' || types.length === 0) && !hasOwnKeywords;
  if (hasOwnShape && !ownIsEmptyObject) parts.push(buildPlain(ctx, node, pointer, types));
  const discriminator = buildDiscriminator(ctx, node, pointer, []);
  // Beside oneOf/anyOf the discriminator is the union's own (buildUnion keeps it), not an allOf parent's.
  if (parts.length === 1 && (!discriminator || union)) {
    const [only] = parts;
    if (only) return only.kind === 'ref' ? { ...only, pointer } : only;
  }
  return { kind: 'intersection', members: parts, pointer, ...(discriminator && !union ? { discriminator } : {}) };
}

/**
 * A composition keyword's members. JSON Schema requires a non-empty array; an empty one (Discord writes
 * `type: integer, oneOf: []` for enums it lists nowhere) is read as absent rather than as "no value fits".
 */
function compositionList(ctx: BuildContext, node: JsonObject, key: 'allOf' | 'oneOf' | 'anyOf', pointer: JsonPointer): unknown[] | undefined {
  const list = node[key];
  if (!Array.isArray(list)) return undefined;
  if (list.length > 0) return list;
  warn(ctx, 'SCHEMA_EMPTY_COMPOSITION', `\`${key}: []\` lists no schema; ignored.`, child(pointer, key));
  return undefined;
}

function buildUnion(ctx: BuildContext, parent: JsonObject, members: unknown[], membersPointer: JsonPointer, mode: 'oneOf' | 'anyOf', pointer: JsonPointer): IrSchema {
  let nullable = false;
  const built: IrSchema[] = [];
  members.forEach((member, index) => {
    const schema = buildSchema(ctx, member, child(membersPointer, index));
    if (schema.kind === 'null') nullable = true;
    else built.push(schema);
  });
  const discriminator = buildDiscriminator(ctx, parent, pointer, built);
  if (built.length === 0) return { kind: 'null', pointer };
  if (built.length === 1 && !discriminator) {
    const only = built[0] as IrSchema;
    return nullable ? { ...only, nullable: true } : only;
  }
  return { kind: 'union', mode, members: built, pointer, ...(nullable ? { nullable } : {}), ...(discriminator ? { discriminator } : {}) };
}

function buildDiscriminator(ctx: BuildContext, node: JsonObject, pointer: JsonPointer, members: IrSchema[]): IrDiscriminator | undefined {
  const raw = node['discriminator'];
  if (!isObject(raw) || typeof raw['propertyName'] !== 'string') return undefined;
  const mapping: IrDiscriminator['mapping'] = [];
  const seen = new Set<string>();
  if (isObject(raw['mapping'])) {
    for (const [value, target] of Object.entries(raw['mapping'])) {
      if (typeof target !== 'string') continue;
      const targetPointer = target.startsWith('#') ? refToPointer(target) : `/components/schemas/${target}`;
      const name = targetPointer === undefined ? undefined : ctx.componentNames.get(targetPointer);
      if (!name) {
        warn(ctx, 'DISCRIMINATOR_MAPPING', `Discriminator mapping "${value}" -> "${target}" names no component schema; ignored.`, child(pointer, 'discriminator', 'mapping', value));
        continue;
      }
      mapping.push({ value, schema: name });
      seen.add(name);
    }
  }
  // Implicit mapping: a member without an explicit value is matched by its component key.
  for (const member of members) {
    if (member.kind !== 'ref' || seen.has(member.name)) continue;
    const key = componentKeyOf(ctx, member.name);
    if (key) mapping.push({ value: decodeComponentKey(key), schema: member.name });
  }
  return { propertyName: raw['propertyName'], mapping };
}

function decodeComponentKey(pointer: string): string {
  const match = COMPONENT_SCHEMA.exec(pointer);
  return (match?.[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
}

function buildPlain(ctx: BuildContext, node: JsonObject, pointer: JsonPointer, types: string[]): IrSchema {
  if (node['const'] !== undefined) {
    const value = node['const'];
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return { kind: 'const', value: value as Primitive | null, pointer };
    warn(ctx, 'SCHEMA_CONST', 'Non-primitive const values are validated as any value.', pointer);
    return { kind: 'any', pointer };
  }
  if (Array.isArray(node['enum'])) return buildEnum(ctx, node, node['enum'], pointer, types);
  if (types.length > 1) {
    const members = types.map((type) => buildPlain(ctx, node, pointer, [type]));
    return { kind: 'union', mode: 'anyOf', members, pointer };
  }
  if (types.length === 0) return buildImplied(ctx, node, pointer);
  return buildTyped(ctx, node, pointer, types[0] as string);
}

/**
 * No `type`: each keyword family present (string, number, array, object keywords) is a schema of that kind that
 * only constrains values of its JSON type (`typeImplied`); several families are all checked (an allOf of them).
 */
function buildImplied(ctx: BuildContext, node: JsonObject, pointer: JsonPointer): IrSchema {
  const parts = impliedTypes(node).map((type): IrSchema => ({ ...buildTyped(ctx, node, pointer, type), typeImplied: true }));
  if (parts.length === 0) return { kind: 'any', pointer };
  if (parts.length === 1) return parts[0] as IrSchema;
  return { kind: 'intersection', members: parts, pointer };
}

function buildTyped(ctx: BuildContext, node: JsonObject, pointer: JsonPointer, type: string): IrSchema {
  switch (type) {
    case 'string':
      return {
        kind: 'string',
        pointer,
        ...pick(node, ['format', 'pattern', 'contentMediaType'], 'string'),
        ...pick(node, ['minLength', 'maxLength'], 'number'),
      };
    case 'number':
    case 'integer':
      return { kind: type, pointer, ...pick(node, ['format'], 'string'), ...numberBounds(node) };
    case 'boolean':
      return { kind: 'boolean', pointer };
    case 'array':
      return buildArray(ctx, node, pointer);
    case 'object':
      return buildObject(ctx, node, pointer);
    case 'file':
      return { kind: 'string', format: 'binary', pointer };
    case 'any':
      return { kind: 'any', pointer };
    default:
      warn(ctx, 'SCHEMA_TYPE', `Unknown type "${type}"; treated as any value.`, child(pointer, 'type'));
      return { kind: 'any', pointer };
  }
}

/** The JSON types whose keywords a schema without `type` uses. */
function impliedTypes(node: JsonObject): string[] {
  const types: string[] = [];
  if (isObject(node['properties']) || node['additionalProperties'] !== undefined || node['patternProperties'] !== undefined || Array.isArray(node['required']) || node['minProperties'] !== undefined || node['maxProperties'] !== undefined) types.push('object');
  if (node['items'] !== undefined || node['prefixItems'] !== undefined || node['minItems'] !== undefined || node['maxItems'] !== undefined || node['uniqueItems'] === true) types.push('array');
  if (node['minLength'] !== undefined || node['maxLength'] !== undefined || node['pattern'] !== undefined) types.push('string');
  if (node['minimum'] !== undefined || node['maximum'] !== undefined || node['multipleOf'] !== undefined || typeof node['exclusiveMinimum'] === 'number' || typeof node['exclusiveMaximum'] === 'number') types.push('number');
  return types;
}

function pick(node: JsonObject, keys: string[], type: 'string' | 'number'): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const key of keys) {
    const value = type === 'string' ? optionalString(node[key]) : optionalNumber(node[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

// 3.0 spells exclusive bounds as booleans beside minimum/maximum; 3.1 as numbers. The IR keeps 3.1's form.
function numberBounds(node: JsonObject): Record<string, number> {
  const out: Record<string, number> = {};
  const minimum = optionalNumber(node['minimum']);
  const maximum = optionalNumber(node['maximum']);
  if (minimum !== undefined) out[node['exclusiveMinimum'] === true ? 'exclusiveMinimum' : 'minimum'] = minimum;
  if (maximum !== undefined) out[node['exclusiveMaximum'] === true ? 'exclusiveMaximum' : 'maximum'] = maximum;
  const exclusiveMinimum = optionalNumber(node['exclusiveMinimum']);
  const exclusiveMaximum = optionalNumber(node['exclusiveMaximum']);
  if (exclusiveMinimum !== undefined) out['exclusiveMinimum'] = exclusiveMinimum;
  if (exclusiveMaximum !== undefined) out['exclusiveMaximum'] = exclusiveMaximum;
  const multipleOf = optionalNumber(node['multipleOf']);
  if (multipleOf !== undefined && multipleOf > 0) out['multipleOf'] = multipleOf;
  return out;
}

function buildEnum(ctx: BuildContext, node: JsonObject, raw: unknown[], pointer: JsonPointer, types: string[]): IrSchema {
  const values: Primitive[] = [];
  let nullable = false;
  for (const value of raw) {
    if (value === null) nullable = true;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      if (!values.includes(value)) values.push(value);
    } else {
      warn(ctx, 'SCHEMA_ENUM', 'Enums with object or array members are validated as any value.', child(pointer, 'enum'));
      return { kind: 'any', pointer };
    }
  }
  if (values.length === 0) return nullable ? { kind: 'null', pointer } : { kind: 'never', pointer };
  const baseType = types[0];
  return {
    kind: 'enum',
    values,
    pointer,
    ...(nullable ? { nullable } : {}),
    ...(baseType === 'string' || baseType === 'number' || baseType === 'integer' || baseType === 'boolean' ? { baseType } : {}),
  };
}

function buildArray(ctx: BuildContext, node: JsonObject, pointer: JsonPointer): IrSchema {
  const prefix = Array.isArray(node['prefixItems']) ? node['prefixItems'] : undefined;
  const items = node['items'];
  return {
    kind: 'array',
    pointer,
    // Absent `items` leaves the elements after any `prefixItems` unconstrained; only `items: false` closes a tuple.
    items: items === undefined ? { kind: 'any', pointer: child(pointer, 'items') } : buildSchema(ctx, items, child(pointer, 'items')),
    ...(prefix ? { prefixItems: prefix.map((item, index) => buildSchema(ctx, item, child(pointer, 'prefixItems', index))) } : {}),
    ...pick(node, ['minItems', 'maxItems'], 'number'),
    ...(node['uniqueItems'] === true ? { uniqueItems: true } : {}),
  };
}

function buildObject(ctx: BuildContext, node: JsonObject, pointer: JsonPointer): IrObject {
  const required = new Set(Array.isArray(node['required']) ? node['required'].filter((key): key is string => typeof key === 'string') : []);
  const properties: IrProperty[] = [];
  const rawProperties = isObject(node['properties']) ? node['properties'] : {};
  for (const [name, schema] of Object.entries(rawProperties)) {
    properties.push({ name, required: required.has(name), schema: buildSchema(ctx, schema, child(pointer, 'properties', name)) });
  }
  // `required` may name keys that `properties` does not describe: they must still be present.
  for (const name of required) {
    if (!Object.prototype.hasOwnProperty.call(rawProperties, name)) properties.push({ name, required: true, schema: { kind: 'any', pointer: child(pointer, 'required') } });
  }
  const additional = node['additionalProperties'];
  const patternProperties = isObject(node['patternProperties'])
    ? Object.entries(node['patternProperties']).map(([pattern, schema]) => ({ pattern, schema: buildSchema(ctx, schema, child(pointer, 'patternProperties', pattern)) }))
    : undefined;
  const discriminator = buildDiscriminator(ctx, node, pointer, []);
  return {
    kind: 'object',
    pointer,
    properties,
    additionalProperties: additional === undefined || additional === true ? true : additional === false ? false : isObject(additional) && Object.keys(additional).length === 0 ? true : buildSchema(ctx, additional, child(pointer, 'additionalProperties')),
    ...(patternProperties && patternProperties.length > 0 ? { patternProperties } : {}),
    ...pick(node, ['minProperties', 'maxProperties'], 'number'),
    ...(discriminator ? { discriminator } : {}),
  };
}

// Component pointer of a schema name; the reverse map is built once per document on first use.
const componentKeys = new WeakMap<BuildContext, Map<string, string>>();
function componentKeyOf(ctx: BuildContext, name: string): string | undefined {
  let reverse = componentKeys.get(ctx);
  if (!reverse) {
    reverse = new Map([...ctx.componentNames.entries()].map(([pointer, schemaName]) => [schemaName, pointer]));
    componentKeys.set(ctx, reverse);
  }
  return reverse.get(name);
}
