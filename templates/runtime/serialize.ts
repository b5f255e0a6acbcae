/**
 * Parameter serialisation as OpenAPI 3 defines it (style + explode per location), and request body encoding.
 * Browser-safe: URLSearchParams, FormData and Blob are web standards.
 */

export type ParamStyle = 'matrix' | 'label' | 'simple' | 'form' | 'spaceDelimited' | 'pipeDelimited' | 'deepObject';

export interface ParamSpec {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly style: ParamStyle;
  readonly explode: boolean;
  readonly allowReserved?: boolean;
  /** Set when the parameter is declared with `content` (value sent serialised, e.g. as JSON). */
  readonly contentType?: string;
}

export class ParameterError extends Error {
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
    this.name = 'ParameterError';
  }
}

type Scalar = string | number | boolean;

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

const encode = (value: string, allowReserved = false): string =>
  allowReserved
    ? encodeURI(value).replace(/[#&+=?]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    : encodeURIComponent(value);

function entriesOf(value: object): Array<[string, unknown]> {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

/** One path segment value. `.` and `..` are refused: URL parsers treat them (and %2e%2e) as navigation. */
export function serializePath(spec: ParamSpec, value: unknown): string {
  if (value === undefined || value === null)
    throw new ParameterError(`Path parameter "${spec.name}" is required`, spec.name);
  const pieces = pathPieces(spec, value);
  for (const piece of pieces) {
    if (piece === '.' || piece === '..')
      throw new ParameterError(
        `Path parameter "${spec.name}" must not be "${piece}" (it would change the path)`,
        spec.name,
      );
  }
  const encoded = (v: string): string => encodeURIComponent(v);
  const { style, explode, name } = spec;
  if (Array.isArray(value)) {
    const items = value.map((v) => encoded(scalar(v)));
    if (style === 'label') return `.${items.join(explode ? '.' : ',')}`;
    if (style === 'matrix') return explode ? items.map((v) => `;${name}=${v}`).join('') : `;${name}=${items.join(',')}`;
    return items.join(',');
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const pairs = entriesOf(value).map(([k, v]) => [encoded(k), encoded(scalar(v))] as const);
    const joined = explode ? pairs.map(([k, v]) => `${k}=${v}`) : pairs.flatMap(([k, v]) => [k, v]);
    if (style === 'label') return `.${joined.join(explode ? '.' : ',')}`;
    if (style === 'matrix')
      return explode ? pairs.map(([k, v]) => `;${k}=${v}`).join('') : `;${name}=${joined.join(',')}`;
    return joined.join(',');
  }
  const text = encoded(scalar(value));
  if (style === 'label') return `.${text}`;
  if (style === 'matrix') return `;${name}=${text}`;
  return text;
}

function pathPieces(spec: ParamSpec, value: unknown): string[] {
  if (Array.isArray(value)) return value.map(scalar);
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return entriesOf(value).flatMap(([k, v]) => [k, scalar(v)]);
  return spec.style === 'simple' ? [scalar(value)] : [];
}

/** `name=value` pairs (already encoded) for one query parameter. */
export function serializeQuery(spec: ParamSpec, value: unknown): string[] {
  if (value === undefined) return [];
  const { name, explode, style } = spec;
  const key = encode(name);
  const enc = (v: string): string => encode(v, spec.allowReserved);
  if (spec.contentType !== undefined) return [`${key}=${enc(JSON.stringify(value))}`];
  if (value === null) return [`${key}=`];
  if (Array.isArray(value)) {
    const items = value.map((v) => enc(scalar(v)));
    if (style === 'spaceDelimited') return [`${key}=${items.join('%20')}`];
    if (style === 'pipeDelimited') return [`${key}=${items.join('|')}`];
    return explode ? items.map((v) => `${key}=${v}`) : [`${key}=${items.join(',')}`];
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    if (style === 'deepObject') return deepObject(key, value, enc);
    const pairs = entriesOf(value);
    if (explode) return pairs.map(([k, v]) => `${encode(k)}=${enc(scalar(v))}`);
    const separator = style === 'spaceDelimited' ? '%20' : style === 'pipeDelimited' ? '|' : ',';
    return [`${key}=${pairs.map(([k, v]) => `${encode(k)}${separator}${enc(scalar(v))}`).join(separator)}`];
  }
  return [`${key}=${enc(scalar(value))}`];
}

function deepObject(prefix: string, value: object, enc: (v: string) => string): string[] {
  const out: string[] = [];
  for (const [k, v] of entriesOf(value)) {
    const key = `${prefix}%5B${encode(k)}%5D`;
    if (Array.isArray(v)) v.forEach((item) => out.push(`${key}=${enc(scalar(item))}`));
    else if (v !== null && typeof v === 'object' && !(v instanceof Date)) out.push(...deepObject(key, v, enc));
    else out.push(`${key}=${enc(scalar(v))}`);
  }
  return out;
}

/** Header value (style simple). */
export function serializeHeader(spec: ParamSpec, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (spec.contentType !== undefined) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(scalar).join(',');
  if (typeof value === 'object' && !(value instanceof Date)) {
    return entriesOf(value)
      .flatMap(([k, v]) => (spec.explode ? [`${k}=${scalar(v)}`] : [k, scalar(v)]))
      .join(',');
  }
  return scalar(value);
}

/** `name=value` for a Cookie header (style form). */
export function serializeCookie(spec: ParamSpec, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = Array.isArray(value)
    ? value.map(scalar).join(',')
    : typeof value === 'object' && !(value instanceof Date)
      ? entriesOf(value)
          .flatMap(([k, v]) => [k, scalar(v)])
          .join(',')
      : scalar(value);
  return `${spec.name}=${encodeURIComponent(text)}`;
}

export type { BodyEncoding } from './operation-spec.js';
import type { BodyEncoding } from './operation-spec.js';

/** Body and the Content-Type to send (undefined for multipart: fetch adds the boundary). */
export function encodeBody(
  encoding: BodyEncoding,
  mediaType: string,
  body: unknown,
): { body: BodyInit; contentType: string | undefined } {
  switch (encoding) {
    case 'json':
      return { body: JSON.stringify(body), contentType: mediaType };
    case 'form': {
      const params = new URLSearchParams();
      for (const [key, value] of entriesOf((body ?? {}) as object))
        appendForm(key, value, (k, v) => params.append(k, v));
      return { body: params.toString(), contentType: mediaType };
    }
    case 'multipart': {
      const form = new FormData();
      for (const [key, value] of entriesOf((body ?? {}) as object)) {
        const items = Array.isArray(value) ? value : [value];
        for (const item of items) {
          if (typeof Blob !== 'undefined' && item instanceof Blob)
            form.append(key, item, 'name' in item && typeof item.name === 'string' ? item.name : key);
          else
            form.append(
              key,
              typeof item === 'object' && item !== null && !(item instanceof Date)
                ? JSON.stringify(item)
                : scalar(item),
            );
        }
      }
      return { body: form, contentType: undefined };
    }
    case 'text':
      return { body: typeof body === 'string' ? body : scalar(body), contentType: mediaType };
    case 'binary':
      return { body: body as BodyInit, contentType: mediaType.includes('*') ? 'application/octet-stream' : mediaType };
  }
}

function appendForm(key: string, value: unknown, append: (k: string, v: string) => void): void {
  if (Array.isArray(value)) value.forEach((item) => append(key, scalar(item)));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) append(key, JSON.stringify(value));
  else if (value !== undefined) append(key, value === null ? '' : scalar(value as Scalar));
}
