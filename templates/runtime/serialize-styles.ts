/**
 * The parameter styles and body encodings serialize.ts leaves out: label and matrix paths; space- and
 * pipe-delimited, deepObject and allowReserved queries; form and multipart bodies. A plug-in of the client core,
 * passed by the generated client when its contract uses one of them.
 */
import type { BodyEncoding } from './operation-spec.js';
import {
  encodeBody,
  entriesOf,
  isRecord,
  pathValue,
  pieces,
  scalar,
  serializePath,
  serializeQuery,
  type ParamSpec,
  type Serializers,
} from './serialize.js';

const encode = (value: string, allowReserved = false): string =>
  allowReserved
    ? encodeURI(value).replace(/[#&+=?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    : encodeURIComponent(value);

/** Any path style. */
export function styledPath(spec: ParamSpec, value: unknown): string {
  const { style, explode, name } = spec;
  if (style !== 'label' && style !== 'matrix') return serializePath(spec, value);
  pathValue(spec, value);
  const enc = (v: string): string => encodeURIComponent(v);
  const list = pieces(value, explode, enc) ?? [enc(scalar(value))];
  const scalarOrList = !isRecord(value) || Array.isArray(value);
  if (style === 'label') return `.${list.join(explode ? '.' : ',')}`;
  if (!explode) return `;${name}=${list.join(',')}`;
  // Exploded matrix: `;name=item` per array item, `;key=value` per object entry.
  return scalarOrList ? list.map((v) => `;${name}=${v}`).join('') : list.map((pair) => `;${pair}`).join('');
}

/** Any query style. */
export function styledQuery(spec: ParamSpec, value: unknown): string[] {
  const { name, explode, style, allowReserved } = spec;
  const delimited = style === 'spaceDelimited' || style === 'pipeDelimited';
  if (value === undefined || (allowReserved !== true && !delimited && style !== 'deepObject'))
    return serializeQuery(spec, value);
  const key = encode(name);
  const enc = (v: string): string => encode(v, allowReserved);
  if (spec.contentType !== undefined) return [`${key}=${enc(JSON.stringify(value))}`];
  if (value === null) return [`${key}=`];
  const separator = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '|' : ',';
  if (Array.isArray(value)) {
    const items = value.map((v) => enc(scalar(v)));
    if (delimited) return [`${key}=${items.join(separator)}`];
    return explode ? items.map((v) => `${key}=${v}`) : [`${key}=${items.join(',')}`];
  }
  if (isRecord(value)) {
    if (style === 'deepObject') return deepObject(key, value, enc);
    const pairs = entriesOf(value);
    if (explode) return pairs.map(([k, v]) => `${encode(k)}=${enc(scalar(v))}`);
    return [`${key}=${pairs.map(([k, v]) => `${encode(k)}${separator}${enc(scalar(v))}`).join(separator)}`];
  }
  return [`${key}=${enc(scalar(value))}`];
}

function deepObject(prefix: string, value: object, enc: (v: string) => string): string[] {
  const out: string[] = [];
  for (const [k, v] of entriesOf(value)) {
    const key = `${prefix}%5B${encode(k)}%5D`;
    if (Array.isArray(v)) v.forEach((item) => out.push(`${key}=${enc(scalar(item))}`));
    else if (isRecord(v)) out.push(...deepObject(key, v, enc));
    else out.push(`${key}=${enc(scalar(v))}`);
  }
  return out;
}

/** Any body encoding; undefined Content-Type for multipart, whose boundary fetch adds. */
export function styledBody(
  encoding: BodyEncoding,
  mediaType: string,
  body: unknown,
): { body: BodyInit; contentType: string | undefined } {
  if (encoding === 'form') {
    const params = new URLSearchParams();
    for (const [key, value] of entriesOf((body ?? {}) as object)) {
      if (Array.isArray(value)) value.forEach((item) => params.append(key, scalar(item)));
      else if (isRecord(value)) params.append(key, JSON.stringify(value));
      else params.append(key, value === null ? '' : scalar(value));
    }
    return { body: params.toString(), contentType: mediaType };
  }
  if (encoding !== 'multipart') return encodeBody(encoding, mediaType, body);
  const form = new FormData();
  for (const [key, value] of entriesOf((body ?? {}) as object)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof Blob !== 'undefined' && item instanceof Blob)
        form.append(key, item, 'name' in item && typeof item.name === 'string' ? item.name : key);
      else form.append(key, isRecord(item) ? JSON.stringify(item) : scalar(item));
    }
  }
  return { body: form, contentType: undefined };
}

export const styledSerializers: Serializers = { path: styledPath, query: styledQuery, body: styledBody };
