import { copyValue, isExtension, isRecord, ptr, refNode, resolveInSource, warn } from './context.js';
import type { JsonObject, UpgradeContext } from './context.js';
import { setIfAbsent, styleOf } from './parameters.js';
import { VALUE_KEYWORDS, convertSchema, valueSchema } from './schema.js';

const RESPONSE_KEYS = new Set(['description', 'schema', 'headers', 'examples']);
const HEADER_KEYS = new Set<string>(['description', 'collectionFormat', ...VALUE_KEYWORDS]);

/** The responses map of an operation: status code (or `default`) -> Response, plus extensions. */
export function convertResponses(ctx: UpgradeContext, responses: unknown, pointer: string, produces: readonly string[]): JsonObject {
  const out: JsonObject = {};
  if (!isRecord(responses)) {
    warn(ctx, pointer, '`responses` must be a map of status codes; dropped');
    return out;
  }
  const sameProduces = produces.length === ctx.produces.length && produces.every((mediaType, index) => mediaType === ctx.produces[index]);
  for (const [code, response] of Object.entries(responses)) {
    const at = ptr(pointer, code);
    if (isExtension(code)) {
      out[code] = copyValue(ctx, response, at);
      continue;
    }
    // A shared response was built with the document's media types; an operation producing others gets its own copy.
    const shared = sameProduces ? undefined : resolveInSource(ctx, response, at);
    const inline = shared?.ref !== undefined && (shared.value['schema'] !== undefined || shared.value['examples'] !== undefined);
    out[code] = inline ? convertResponse(ctx, shared.value, shared.pointer, produces, at) : convertResponse(ctx, response, at, produces, at);
  }
  return out;
}

/**
 * A 2.0 Response -> 3.0 Response: the one `schema` is offered under every media type the operation produces, and
 * `examples` (keyed by media type) become the `example` of the matching content entry.
 */
export function convertResponse(ctx: UpgradeContext, response: unknown, pointer: string, produces: readonly string[], outPointer: string): JsonObject {
  if (!isRecord(response)) {
    warn(ctx, pointer, 'response is not an object; replaced by an empty response');
    return { description: '' };
  }
  if (typeof response['$ref'] === 'string') return refNode(ctx, response['$ref'], ptr(pointer, '$ref'));
  const out: JsonObject = {};
  if (typeof response['description'] === 'string') {
    out['description'] = response['description'];
  } else {
    warn(ctx, pointer, 'response has no description, which OpenAPI requires; set to ""');
    out['description'] = '';
  }
  if (response['headers'] !== undefined) out['headers'] = convertHeaders(ctx, response['headers'], ptr(pointer, 'headers'), ptr(outPointer, 'headers'));
  const content = responseContent(ctx, response, pointer, produces);
  if (Object.keys(content).length > 0) out['content'] = content;
  for (const [key, value] of Object.entries(response)) {
    if (isExtension(key)) out[key] = copyValue(ctx, value, ptr(pointer, key));
    else if (!RESPONSE_KEYS.has(key)) warn(ctx, ptr(pointer, key), `"${key}" is not a response field; dropped`);
  }
  const first = Object.keys(content)[0];
  if (first !== undefined) setIfAbsent(ctx.moved, ptr(pointer, 'schema'), ptr(outPointer, 'content', first, 'schema'));
  return out;
}

function responseContent(ctx: UpgradeContext, response: JsonObject, pointer: string, produces: readonly string[]): JsonObject {
  const schema = response['schema'];
  const hasSchema = schema !== undefined;
  let examples: JsonObject = {};
  if (isRecord(response['examples'])) examples = response['examples'];
  else if (response['examples'] !== undefined) warn(ctx, ptr(pointer, 'examples'), '`examples` must be a map of media type to example; dropped');
  const mediaTypes = hasSchema ? [...produces] : [];
  for (const mediaType of Object.keys(examples)) {
    if (!mediaTypes.includes(mediaType)) mediaTypes.push(mediaType);
  }
  const content: JsonObject = {};
  for (const mediaType of mediaTypes) {
    const entry: JsonObject = {};
    if (hasSchema) entry['schema'] = convertSchema(ctx, schema, ptr(pointer, 'schema'));
    if (Object.hasOwn(examples, mediaType)) entry['example'] = structuredClone(examples[mediaType]);
    content[mediaType] = entry;
  }
  return content;
}

function convertHeaders(ctx: UpgradeContext, headers: unknown, pointer: string, outPointer: string): JsonObject {
  const out: JsonObject = {};
  if (!isRecord(headers)) {
    warn(ctx, pointer, '`headers` must be a map of header objects; dropped');
    return out;
  }
  for (const [name, header] of Object.entries(headers)) {
    const at = ptr(pointer, name);
    out[name] = convertHeader(ctx, header, at);
    setIfAbsent(ctx.moved, ptr(at, 'items'), ptr(outPointer, name, 'schema', 'items'));
  }
  return out;
}

/** 2.0 headers carry their type inline; in 3.0 it moves into `schema` (style `simple` is the only and default one). */
function convertHeader(ctx: UpgradeContext, header: unknown, pointer: string): JsonObject {
  if (!isRecord(header)) {
    warn(ctx, pointer, 'header is not an object; replaced by an untyped header');
    return { schema: {} };
  }
  if (typeof header['$ref'] === 'string') return refNode(ctx, header['$ref'], ptr(pointer, '$ref'));
  const out: JsonObject = {};
  if (typeof header['description'] === 'string') out['description'] = header['description'];
  styleOf(ctx, 'header', header, pointer);
  if (VALUE_KEYWORDS.some((key) => Object.hasOwn(header, key))) {
    out['schema'] = valueSchema(ctx, header, pointer);
  } else {
    warn(ctx, pointer, 'header declares no type; it accepts any value');
    out['schema'] = {};
  }
  for (const [key, value] of Object.entries(header)) {
    if (isExtension(key)) {
      if (key !== 'x-nullable') out[key] = copyValue(ctx, value, ptr(pointer, key));
    } else if (!HEADER_KEYS.has(key)) {
      warn(ctx, ptr(pointer, key), `"${key}" is not a header field; dropped`);
    }
  }
  return out;
}
