import { copyValue, isExtension, isRecord, ptr, refNode, warn } from './context.js';
import type { JsonObject, UpgradeContext } from './context.js';

/** Keywords a 2.0 schema and a 3.0 schema share with the same meaning: copied as plain data. */
const SHARED_KEYWORDS = new Set([
  'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties',
  'enum', 'format', 'readOnly', 'writeOnly', 'nullable', 'deprecated', 'example', 'xml', 'externalDocs',
]);

/** Keywords of a 2.0 non-body parameter, header or items object that describe the value and so move into `schema`. */
export const VALUE_KEYWORDS = [
  'type', 'format', 'items', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'enum', 'multipleOf',
] as const;

/** Converts a 2.0 Schema Object (definitions, body parameters, responses) into a 3.0 Schema Object. */
export function convertSchema(ctx: UpgradeContext, schema: unknown, pointer: string): JsonObject {
  if (!isRecord(schema)) {
    warn(ctx, pointer, 'schema is not an object; replaced by an empty schema');
    return {};
  }
  if (ctx.active.has(schema)) {
    warn(ctx, pointer, 'schema contains itself (the input was dereferenced, not bundled); the inner occurrence is left empty');
    return {};
  }
  ctx.active.add(schema);
  try {
    return convertSchemaObject(ctx, schema, pointer);
  } finally {
    ctx.active.delete(schema);
  }
}

function convertSchemaObject(ctx: UpgradeContext, schema: JsonObject, pointer: string): JsonObject {
  const out: JsonObject = {};
  const isFile = schema['type'] === 'file';
  for (const [key, value] of Object.entries(schema)) {
    const at = ptr(pointer, key);
    if (key === '$ref' || key === 'x-nullable') continue;
    if (isExtension(key)) {
      out[key] = copyValue(ctx, value, at);
    } else if (key === 'type') {
      convertType(ctx, value, out, at, 'anyOf' in schema);
    } else if (key === 'format' && isFile) {
      continue;
    } else if (key === 'required') {
      if (Array.isArray(value) && value.length > 0) out[key] = structuredClone(value);
      else if (!Array.isArray(value)) warn(ctx, at, '`required` inside a schema must be a list of property names; dropped');
    } else if (SHARED_KEYWORDS.has(key)) {
      out[key] = structuredClone(value);
    } else if (key === 'properties') {
      out[key] = convertSchemaMap(ctx, value, at);
    } else if (key === 'additionalProperties') {
      out[key] = typeof value === 'boolean' ? value : convertSchema(ctx, value, at);
    } else if (key === 'items') {
      convertItems(ctx, value, out, at);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = convertSchemaList(ctx, value, at);
    } else if (key === 'not') {
      out[key] = convertSchema(ctx, value, at);
    } else if (key === 'discriminator') {
      convertDiscriminator(ctx, value, out, at);
    } else {
      warn(ctx, at, `"${key}" is not an OpenAPI 3.0 schema keyword; dropped`);
    }
  }
  const nullable = schema['x-nullable'] === true;
  if (typeof schema['$ref'] === 'string') {
    const ref = refNode(ctx, schema['$ref'], ptr(pointer, '$ref'));
    // 3.0 ignores siblings of $ref, so a nullable reference has to become a one-member allOf.
    if (nullable) return { ...out, allOf: [ref], nullable: true };
    // The holder itself must end up in the output: the final pass rewrites its `$ref` in place.
    return Object.assign(ref, out);
  }
  if (nullable) out['nullable'] = true;
  return out;
}

function convertType(ctx: UpgradeContext, value: unknown, out: JsonObject, pointer: string, hasAnyOf: boolean): void {
  if (value === 'file') {
    out['type'] = 'string';
    out['format'] = 'binary';
    return;
  }
  if (value === 'null') {
    nullOnly(ctx, out, pointer);
    return;
  }
  if (typeof value === 'string') {
    out['type'] = value;
    return;
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    warn(ctx, pointer, '`type` must be a string; dropped');
    return;
  }
  const types = value.filter((item) => item !== 'null');
  if (types.length < value.length) out['nullable'] = true;
  if (types.length === 1 && types[0] !== undefined) {
    convertType(ctx, types[0], out, pointer, hasAnyOf);
  } else if (types.length === 0) {
    nullOnly(ctx, out, pointer);
  } else if (hasAnyOf) {
    warn(ctx, pointer, 'a list of types next to `anyOf` cannot be expressed in OpenAPI 3.0; `type` dropped');
  } else {
    out['anyOf'] = types.map((type) => (type === 'file' ? { type: 'string', format: 'binary' } : { type }));
  }
}

/** 3.0 has no `null` type; the closest is a nullable schema whose only allowed value is null. */
function nullOnly(ctx: UpgradeContext, out: JsonObject, pointer: string): void {
  warn(ctx, pointer, 'type "null" does not exist in OpenAPI 3.0; expressed as `nullable: true, enum: [null]`');
  out['nullable'] = true;
  out['enum'] = [null];
}

function convertItems(ctx: UpgradeContext, value: unknown, out: JsonObject, pointer: string): void {
  if (!Array.isArray(value)) {
    out['items'] = convertSchema(ctx, value, pointer);
    return;
  }
  warn(ctx, pointer, 'tuple `items` (a list) cannot be expressed in OpenAPI 3.0; items may be any of the listed schemas');
  out['items'] = value.length === 0 ? {} : { anyOf: value.map((item, index) => convertSchema(ctx, item, ptr(pointer, index))) };
}

function convertDiscriminator(ctx: UpgradeContext, value: unknown, out: JsonObject, pointer: string): void {
  if (typeof value === 'string') {
    out['discriminator'] = { propertyName: value };
  } else if (isRecord(value) && typeof value['propertyName'] === 'string') {
    out['discriminator'] = copyValue(ctx, value, pointer);
  } else {
    warn(ctx, pointer, '`discriminator` must name a property; dropped');
  }
}

export function convertSchemaMap(ctx: UpgradeContext, value: unknown, pointer: string): JsonObject {
  const out: JsonObject = {};
  if (!isRecord(value)) {
    warn(ctx, pointer, 'expected a map of schemas; dropped');
    return out;
  }
  for (const [name, schema] of Object.entries(value)) out[name] = convertSchema(ctx, schema, ptr(pointer, name));
  return out;
}

function convertSchemaList(ctx: UpgradeContext, value: unknown, pointer: string): JsonObject[] {
  if (!Array.isArray(value)) {
    warn(ctx, pointer, 'expected a list of schemas; dropped');
    return [];
  }
  return value.map((schema, index) => convertSchema(ctx, schema, ptr(pointer, index)));
}

/**
 * Builds a 3.0 schema from the value keywords of a 2.0 parameter, header or items object. `items` nest the same way;
 * a `$ref` in items (not allowed by 2.0, common in practice) is read as a schema reference.
 */
export function valueSchema(ctx: UpgradeContext, source: JsonObject, pointer: string, isItems = false): JsonObject {
  if (typeof source['$ref'] === 'string') return convertSchema(ctx, source, pointer);
  const out: JsonObject = {};
  // On a parameter or header the extensions stay on the outer object; an items object is itself the schema.
  if (isItems) {
    for (const [key, value] of Object.entries(source)) {
      if (isExtension(key) && key !== 'x-nullable') out[key] = copyValue(ctx, value, ptr(pointer, key));
    }
  }
  for (const key of VALUE_KEYWORDS) {
    if (!Object.hasOwn(source, key)) continue;
    const value = source[key];
    const at = ptr(pointer, key);
    if (key === 'type') {
      convertType(ctx, value, out, at, false);
    } else if (key === 'format') {
      if (source['type'] !== 'file') out[key] = structuredClone(value);
    } else if (key === 'items') {
      out[key] = isRecord(value) ? valueSchema(ctx, value, at, true) : convertSchema(ctx, value, at);
      if (isRecord(value)) nestedCollectionFormat(ctx, value, at);
    } else {
      out[key] = structuredClone(value);
    }
  }
  if (source['x-nullable'] === true) out['nullable'] = true;
  return out;
}

function nestedCollectionFormat(ctx: UpgradeContext, items: JsonObject, pointer: string): void {
  const format = items['collectionFormat'];
  if (format !== undefined && format !== 'csv') {
    warn(ctx, ptr(pointer, 'collectionFormat'), `nested collectionFormat "${String(format)}" cannot be expressed in OpenAPI 3.0; dropped`);
  }
}
