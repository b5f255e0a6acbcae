import { ConcordError } from '../../errors.js';
import type { IrParameter, JsonPointer, ParameterLocation, ParameterStyle } from '../types.js';
import { buildSchema } from './schema.js';
import { child, deref, isObject, optionalString, warn, type BuildContext } from './context.js';

const LOCATIONS: ParameterLocation[] = ['path', 'query', 'header', 'cookie'];
const DEFAULT_STYLE: Record<ParameterLocation, ParameterStyle> = { path: 'simple', query: 'form', header: 'simple', cookie: 'form' };
const STYLES = new Set<string>(['matrix', 'label', 'simple', 'form', 'spaceDelimited', 'pipeDelimited', 'deepObject']);
// Headers the HTTP layer owns; OpenAPI says parameters with these names are ignored.
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** Path-item parameters merged with the operation's (operation wins on name + location), sorted by location then name. */
export function buildParameters(ctx: BuildContext, pathItemParams: unknown, opParams: unknown, pathItemPointer: JsonPointer, opPointer: JsonPointer): IrParameter[] {
  const byKey = new Map<string, IrParameter>();
  const add = (list: unknown, pointer: JsonPointer): void => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, index) => {
      const parameter = buildParameter(ctx, raw, child(pointer, 'parameters', index));
      if (parameter) byKey.set(`${parameter.in}:${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`, parameter);
    });
  };
  add(pathItemParams, pathItemPointer);
  add(opParams, opPointer);
  return [...byKey.values()].sort((a, b) => LOCATIONS.indexOf(a.in) - LOCATIONS.indexOf(b.in) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * OpenAPI 3.2 `in: querystring`: the whole query string as one parameter. Form-encoded content (the usual case)
 * is exactly an object parameter in `query` with style form, exploded: each property is one `key=value` pair.
 */
function fromQuerystring(ctx: BuildContext, node: Record<string, unknown>, pointer: JsonPointer): Record<string, unknown> {
  const content = isObject(node['content']) ? node['content'] : {};
  const [first] = Object.entries(content);
  const type = first?.[0].split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && type !== 'application/x-www-form-urlencoded') {
    warn(ctx, 'QUERYSTRING_CONTENT', `in: querystring with ${type} is sent as one query parameter "${String(node['name'])}" holding the encoded value; only application/x-www-form-urlencoded maps exactly.`, pointer);
    return { ...node, in: 'query' };
  }
  const schema = first && isObject(first[1]) ? first[1]['schema'] : undefined;
  const { content: _content, ...rest } = node;
  return { ...rest, in: 'query', style: 'form', explode: true, ...(schema === undefined ? {} : { schema }) };
}

function buildParameter(ctx: BuildContext, raw: unknown, at: JsonPointer): IrParameter | undefined {
  const resolved = deref(ctx, raw, at);
  const pointer = resolved.pointer;
  const node = resolved.node['in'] === 'querystring' ? fromQuerystring(ctx, resolved.node, pointer) : resolved.node;
  const name = optionalString(node['name']);
  const location = node['in'];
  if (name === undefined || !LOCATIONS.includes(location as ParameterLocation)) {
    throw new ConcordError('SPEC_INVALID', `Parameter needs a "name" and "in" (one of ${LOCATIONS.join(', ')}).`, {
      location: { file: ctx.file, pointer },
      hint: 'Add the missing field to the parameter object.',
    });
  }
  const where = location as ParameterLocation;
  if (where === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) {
    warn(ctx, 'PARAMETER_IGNORED', `Header parameter "${name}" is ignored (OpenAPI: Accept, Content-Type and Authorization are set by the HTTP layer).`, pointer);
    return undefined;
  }
  const rawStyle = optionalString(node['style']);
  const style = rawStyle !== undefined && STYLES.has(rawStyle) ? (rawStyle as ParameterStyle) : DEFAULT_STYLE[where];
  let schemaNode = node['schema'];
  let contentType: string | undefined;
  if (schemaNode === undefined && isObject(node['content'])) {
    const [first] = Object.entries(node['content']);
    if (first) {
      contentType = first[0];
      schemaNode = isObject(first[1]) ? first[1]['schema'] : undefined;
    }
  }
  const parameter: IrParameter = {
    name,
    in: where,
    // Path parameters are always required, whatever the document says.
    required: where === 'path' ? true : node['required'] === true,
    deprecated: node['deprecated'] === true,
    style,
    explode: typeof node['explode'] === 'boolean' ? node['explode'] : style === 'form',
    allowReserved: node['allowReserved'] === true,
    schema: buildSchema(ctx, schemaNode, child(pointer, contentType === undefined ? 'schema' : 'content')),
    pointer,
  };
  if (contentType !== undefined) parameter.contentType = contentType;
  const description = optionalString(node['description']);
  if (description !== undefined) parameter.description = description;
  return parameter;
}
