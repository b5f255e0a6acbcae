/**
 * Parameter serialisation as OpenAPI 3 defines it, for the styles most contracts use (simple in paths and headers,
 * form in queries and cookies), and JSON, text and binary bodies. The other styles and the form and multipart body
 * encodings come as a plug-in, which the generated client passes only when its contract uses them.
 */
import type { BodyEncoding } from './operation-spec.js';

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

/** How path and query parameters and bodies are written (the plug-in's set covers every style). */
export interface Serializers {
  path(spec: ParamSpec, value: unknown): string;
  query(spec: ParamSpec, value: unknown): string[];
  body(encoding: BodyEncoding, mediaType: string, body: unknown): { body: BodyInit; contentType: string | undefined };
}

export class ParameterError extends Error {
  override readonly name = 'ParameterError';
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
  }
}

export function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

export const isRecord = (value: unknown): value is object =>
  value !== null && typeof value === 'object' && !(value instanceof Date);

export function entriesOf(value: object): Array<[string, unknown]> {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

/** Array items, or an object's keys and values (exploded: `k=v` pairs), each encoded by `enc`. */
export function pieces(value: unknown, explode: boolean, enc: (text: string) => string = String): string[] | undefined {
  if (Array.isArray(value)) return value.map((v) => enc(scalar(v)));
  if (!isRecord(value)) return undefined;
  return entriesOf(value).flatMap(([k, v]) => (explode ? [`${enc(k)}=${enc(scalar(v))}`] : [enc(k), enc(scalar(v))]));
}

/** A path segment's value, checked: `.` and `..` are refused, since URL parsers treat them as navigation. */
export function pathValue(spec: ParamSpec, value: unknown): unknown {
  if (value === undefined || value === null)
    throw new ParameterError(`Path parameter "${spec.name}" is required`, spec.name);
  // A scalar label or matrix value is prefixed (`.x`, `;id=x`), so it cannot navigate.
  const texts = pieces(value, false) ?? (spec.style === 'simple' ? [scalar(value)] : []);
  for (const text of texts)
    if (text === '.' || text === '..')
      throw new ParameterError(
        `Path parameter "${spec.name}" must not be "${text}" (it would change the path)`,
        spec.name,
      );
  return value;
}

/** Style simple. */
export function serializePath(spec: ParamSpec, value: unknown): string {
  return (
    pieces(pathValue(spec, value), spec.explode, encodeURIComponent)?.join(',') ?? encodeURIComponent(scalar(value))
  );
}

/** `name=value` pairs (already encoded) for one query parameter, style form. */
export function serializeQuery(spec: ParamSpec, value: unknown): string[] {
  if (value === undefined) return [];
  const key = encodeURIComponent(spec.name);
  if (spec.contentType !== undefined) return [`${key}=${encodeURIComponent(JSON.stringify(value))}`];
  if (value === null) return [`${key}=`];
  const list = pieces(value, spec.explode, encodeURIComponent);
  if (list === undefined) return [`${key}=${encodeURIComponent(scalar(value))}`];
  // Exploded: one `key=item` per array item; an exploded object's pairs stand for themselves.
  if (spec.explode) return Array.isArray(value) ? list.map((v) => `${key}=${v}`) : list;
  return [`${key}=${list.join(',')}`];
}

/** Header value (style simple). */
export function serializeHeader(spec: ParamSpec, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (spec.contentType !== undefined) return JSON.stringify(value);
  return pieces(value, spec.explode)?.join(',') ?? scalar(value);
}

/** `name=value` for a Cookie header (style form). */
export function serializeCookie(spec: ParamSpec, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return `${spec.name}=${encodeURIComponent(pieces(value, false)?.join(',') ?? scalar(value))}`;
}

/** JSON, text and binary bodies with the Content-Type to send. */
export function encodeBody(
  encoding: BodyEncoding,
  mediaType: string,
  body: unknown,
): { body: BodyInit; contentType: string | undefined } {
  if (encoding === 'json') return { body: JSON.stringify(body), contentType: mediaType };
  if (encoding === 'text') return { body: typeof body === 'string' ? body : scalar(body), contentType: mediaType };
  if (encoding === 'binary')
    return { body: body as BodyInit, contentType: mediaType.includes('*') ? 'application/octet-stream' : mediaType };
  // The generator passes the full set whenever a contract has such a body.
  throw new ParameterError(`no encoder for a ${encoding} body`, 'body');
}

export const basicSerializers: Serializers = { path: serializePath, query: serializeQuery, body: encodeBody };
