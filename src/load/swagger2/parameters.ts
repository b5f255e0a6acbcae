import { copyValue, isExtension, isRecord, ptr, warn } from './context.js';
import type { JsonObject, UpgradeContext } from './context.js';
import { VALUE_KEYWORDS, convertSchema, convertSchemaMap, valueSchema } from './schema.js';

const NON_BODY_KEYS = new Set<string>([
  'name', 'in', 'description', 'required', 'allowEmptyValue', 'collectionFormat', 'schema', 'deprecated', 'example',
  '$ref', 'properties', 'additionalProperties', ...VALUE_KEYWORDS,
]);
const BODY_KEYS = new Set(['name', 'in', 'description', 'required', 'schema']);
const LOCATIONS = new Set(['query', 'header', 'path']);
const FORM_URLENCODED = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';

type Style = { style?: string; explode?: boolean };

export function setIfAbsent(map: Map<string, string>, from: string, to: string): void {
  if (!map.has(from)) map.set(from, to);
}

function mediaBase(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * 2.0 `collectionFormat` (default csv) -> 3.0 `style`/`explode`. Query strings and form bodies share the `form`
 * family; path and header values only know `simple`, which is what csv already means there.
 */
export function styleOf(ctx: UpgradeContext, location: string, param: JsonObject, pointer: string): Style {
  const format = param['collectionFormat'];
  const at = ptr(pointer, 'collectionFormat');
  if (param['type'] !== 'array') {
    if (format !== undefined) warn(ctx, at, 'collectionFormat only applies to arrays; ignored');
    return {};
  }
  const formLike = location === 'query' || location === 'formData';
  const simple: Style = formLike ? { style: 'form', explode: false } : { style: 'simple' };
  switch (format ?? 'csv') {
    case 'csv':
      return simple;
    case 'multi':
      if (formLike) return { style: 'form', explode: true };
      break;
    case 'ssv':
      if (formLike) return { style: 'spaceDelimited', explode: false };
      break;
    case 'pipes':
      if (formLike) return { style: 'pipeDelimited', explode: false };
      break;
    case 'tsv':
      warn(ctx, at, `collectionFormat "tsv" has no OpenAPI 3.0 equivalent; using style "${simple.style ?? ''}" (comma-separated)`);
      return simple;
    default:
      warn(ctx, at, `unknown collectionFormat "${String(format)}"; using style "${simple.style ?? ''}"`);
      return simple;
  }
  warn(ctx, at, `collectionFormat "${String(format)}" is not possible in a ${location} parameter in OpenAPI 3.0; using style "simple"`);
  return simple;
}

/** A 2.0 query/header/path parameter -> 3.0 Parameter Object; undefined (with a warning) if it cannot exist in 3.0. */
export function convertParameter(ctx: UpgradeContext, param: JsonObject, pointer: string): JsonObject | undefined {
  const location = param['in'];
  if (typeof location !== 'string' || !LOCATIONS.has(location)) {
    warn(ctx, ptr(pointer, 'in'), `parameter location "${String(location)}" does not exist in OpenAPI 3.0; parameter dropped`);
    return undefined;
  }
  const out: JsonObject = {};
  if (typeof param['name'] === 'string') out['name'] = param['name'];
  else warn(ctx, pointer, 'parameter has no name');
  out['in'] = location;
  if (typeof param['description'] === 'string') out['description'] = param['description'];
  if (location === 'path') {
    if (param['required'] !== true) warn(ctx, pointer, 'path parameters are always required; set `required: true`');
    out['required'] = true;
  } else if (typeof param['required'] === 'boolean') {
    out['required'] = param['required'];
  }
  if (typeof param['deprecated'] === 'boolean') out['deprecated'] = param['deprecated'];
  if (param['allowEmptyValue'] !== undefined) {
    if (location === 'query' && typeof param['allowEmptyValue'] === 'boolean') out['allowEmptyValue'] = param['allowEmptyValue'];
    else warn(ctx, ptr(pointer, 'allowEmptyValue'), `allowEmptyValue is only allowed on query parameters in OpenAPI 3.0; dropped`);
  }
  Object.assign(out, styleOf(ctx, location, param, pointer));
  out['schema'] = parameterSchema(ctx, param, pointer);
  if (Object.hasOwn(param, 'example')) out['example'] = structuredClone(param['example']);
  for (const [key, value] of Object.entries(param)) {
    if (isExtension(key)) {
      if (key !== 'x-nullable') out[key] = copyValue(ctx, value, ptr(pointer, key));
    } else if (!NON_BODY_KEYS.has(key)) {
      warn(ctx, ptr(pointer, key), `"${key}" is not a parameter field; dropped`);
    }
  }
  return out;
}

function parameterSchema(ctx: UpgradeContext, param: JsonObject, pointer: string): JsonObject {
  const hasValueKeywords = VALUE_KEYWORDS.some((key) => Object.hasOwn(param, key));
  if (typeof param['$ref'] === 'string') return referencedSchema(ctx, param, pointer, hasValueKeywords);
  if (hasValueKeywords) {
    const schema = valueSchema(ctx, param, pointer);
    // Not 2.0, but common: an object-typed query parameter that spells out its properties inline.
    if (param['properties'] !== undefined) schema['properties'] = convertSchemaMap(ctx, param['properties'], ptr(pointer, 'properties'));
    if (param['additionalProperties'] !== undefined) {
      const additional = param['additionalProperties'];
      schema['additionalProperties'] = typeof additional === 'boolean' ? additional : convertSchema(ctx, additional, ptr(pointer, 'additionalProperties'));
    }
    return schema;
  }
  if (isRecord(param['schema'])) return convertSchema(ctx, param['schema'], ptr(pointer, 'schema'));
  warn(ctx, pointer, 'parameter declares no type; it accepts any value');
  return {};
}

/**
 * `{ name, in, $ref: '#/definitions/X' }` is not 2.0, but generators read it as "a parameter typed by X". Value
 * keywords beside the ref (a default, say) would be ignored next to a 3.0 `$ref`, hence the allOf.
 */
function referencedSchema(ctx: UpgradeContext, param: JsonObject, pointer: string, hasValueKeywords: boolean): JsonObject {
  warn(ctx, ptr(pointer, '$ref'), 'a parameter with both `$ref` and its own fields is not valid 2.0; read as a parameter whose schema is the referenced one');
  const ref = convertSchema(ctx, { $ref: param['$ref'] }, pointer);
  if (!hasValueKeywords) return ref;
  const rest = Object.fromEntries(Object.entries(param).filter(([key]) => key !== '$ref'));
  return { allOf: [ref], ...valueSchema(ctx, rest, pointer) };
}

/** A 2.0 `in: body` parameter -> 3.0 Request Body, one content entry per media type. */
export function bodyRequest(ctx: UpgradeContext, param: JsonObject, pointer: string, mediaTypes: readonly string[], outPointer: string): JsonObject {
  const out: JsonObject = {};
  if (typeof param['description'] === 'string') out['description'] = param['description'];
  if (!isRecord(param['schema'])) warn(ctx, pointer, 'body parameter has no schema; it accepts any value');
  const content: JsonObject = {};
  for (const mediaType of mediaTypes) {
    content[mediaType] = { schema: isRecord(param['schema']) ? convertSchema(ctx, param['schema'], ptr(pointer, 'schema')) : {} };
  }
  out['content'] = content;
  if (param['required'] === true) out['required'] = true;
  for (const [key, value] of Object.entries(param)) {
    if (isExtension(key)) out[key] = copyValue(ctx, value, ptr(pointer, key));
    else if (!BODY_KEYS.has(key)) warn(ctx, ptr(pointer, key), `"${key}" is not a body parameter field; dropped`);
  }
  setIfAbsent(ctx.moved, pointer, outPointer);
  const first = mediaTypes[0];
  if (first !== undefined) setIfAbsent(ctx.moved, ptr(pointer, 'schema'), ptr(outPointer, 'content', first, 'schema'));
  return out;
}

export interface FormField {
  param: JsonObject;
  pointer: string;
}

/**
 * 2.0 `in: formData` parameters -> one 3.0 Request Body whose schema is an object with a property per field.
 * Files force multipart; otherwise the form media types the operation consumes are kept, urlencoded by default.
 */
export function formRequest(ctx: UpgradeContext, fields: readonly FormField[], consumes: readonly string[], outPointer: string): JsonObject {
  const hasFile = fields.some(({ param }) => param['type'] === 'file' || (isRecord(param['items']) && param['items']['type'] === 'file'));
  const declared = consumes.filter((mediaType) => [FORM_URLENCODED, MULTIPART].includes(mediaBase(mediaType)));
  let mediaTypes = declared;
  if (hasFile) {
    const multipart = declared.filter((mediaType) => mediaBase(mediaType) === MULTIPART);
    if (multipart.length === 0 && declared.length > 0) {
      warn(ctx, fields[0]?.pointer ?? '', 'a file upload needs multipart/form-data, which the operation does not consume; using it anyway');
    }
    mediaTypes = multipart.length > 0 ? multipart : [MULTIPART];
  } else if (mediaTypes.length === 0) {
    mediaTypes = [FORM_URLENCODED];
  }
  const content: JsonObject = {};
  for (const mediaType of mediaTypes) {
    content[mediaType] = formMediaType(ctx, fields, mediaBase(mediaType) === FORM_URLENCODED);
  }
  const first = mediaTypes[0] ?? FORM_URLENCODED;
  for (const { param, pointer } of fields) {
    if (typeof param['name'] === 'string') {
      setIfAbsent(ctx.moved, pointer, ptr(outPointer, 'content', first, 'schema', 'properties', param['name']));
    }
  }
  const out: JsonObject = { content };
  if (fields.some(({ param }) => param['required'] === true)) out['required'] = true;
  return out;
}

function formMediaType(ctx: UpgradeContext, fields: readonly FormField[], urlencoded: boolean): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  const encoding: JsonObject = {};
  for (const { param, pointer } of fields) {
    const name = param['name'];
    if (typeof name !== 'string') {
      warn(ctx, pointer, 'form parameter has no name; dropped');
      continue;
    }
    const property: JsonObject = {};
    if (typeof param['description'] === 'string') property['description'] = param['description'];
    Object.assign(property, parameterSchema(ctx, param, pointer));
    for (const [key, value] of Object.entries(param)) {
      if (isExtension(key) && key !== 'x-nullable') property[key] = copyValue(ctx, value, ptr(pointer, key));
    }
    if (Object.hasOwn(param, 'example')) property['example'] = structuredClone(param['example']);
    properties[name] = property;
    if (param['required'] === true) required.push(name);
    if (param['allowEmptyValue'] !== undefined) {
      warn(ctx, ptr(pointer, 'allowEmptyValue'), 'allowEmptyValue has no equivalent for form fields in OpenAPI 3.0; dropped');
    }
    const style = styleOf(ctx, 'formData', param, pointer);
    if (urlencoded && style.style !== undefined) encoding[name] = style;
    const format = param['collectionFormat'];
    if (!urlencoded && format !== undefined && format !== 'multi' && param['type'] === 'array') {
      warn(ctx, ptr(pointer, 'collectionFormat'), `collectionFormat "${String(format)}" cannot be expressed for multipart fields in OpenAPI 3.0; each item becomes its own part`);
    }
  }
  const schema: JsonObject = { type: 'object', properties };
  if (required.length > 0) schema['required'] = required;
  const mediaType: JsonObject = { schema };
  if (Object.keys(encoding).length > 0) mediaType['encoding'] = encoding;
  return mediaType;
}
