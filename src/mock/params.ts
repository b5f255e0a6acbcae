import type { IrNamedSchema, IrOperation, IrParameter, IrSchema, ParameterLocation } from '../ir/types.js';
import { safeDecode } from './router.js';

/**
 * Reads parameters off the wire as OpenAPI serialises them (style + explode per location) and turns the text
 * into the JSON types the schema names, so the same zod validators the client uses can judge them.
 */

export interface RawParameters {
  /** Path parameter name -> raw (percent-encoded) text from the router. */
  path: Record<string, string>;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  cookies: ReadonlyMap<string, string>;
}

export type ParameterValues = Record<ParameterLocation, Record<string, unknown>>;

export class SchemaResolver {
  private readonly byName: Map<string, IrNamedSchema>;
  constructor(schemas: readonly IrNamedSchema[]) {
    this.byName = new Map(schemas.map((s) => [s.name, s]));
  }
  /** Follows refs (bounded, so a ref cycle cannot hang a request). */
  resolve(schema: IrSchema): IrSchema {
    let current = schema;
    for (let i = 0; i < 32 && current.kind === 'ref'; i++) {
      const target = this.byName.get(current.name);
      if (!target) break;
      current = target.schema;
    }
    return current;
  }
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function coerceScalar(text: string, schema: IrSchema, resolver: SchemaResolver): unknown {
  const s = resolver.resolve(schema);
  switch (s.kind) {
    case 'integer':
    case 'number':
      return NUMBER.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'null':
      return text === '' || text === 'null' ? null : text;
    case 'enum':
      return s.values.find((v) => String(v) === text) ?? text;
    case 'const':
      return s.value !== null && String(s.value) === text ? s.value : text;
    case 'union':
      for (const member of s.members) {
        const resolved = resolver.resolve(member);
        if (resolved.kind === 'string' || resolved.kind === 'any') return text;
        const value = coerceScalar(text, member, resolver);
        if (value !== text) return value;
      }
      return text;
    case 'intersection':
      return s.members[0] ? coerceScalar(text, s.members[0], resolver) : text;
    default:
      return text;
  }
}

function propertySchema(object: IrSchema, key: string, resolver: SchemaResolver): IrSchema {
  const s = resolver.resolve(object);
  if (s.kind === 'object') {
    const property = s.properties.find((p) => p.name === key);
    if (property) return property.schema;
    if (typeof s.additionalProperties === 'object') return s.additionalProperties;
  }
  return { kind: 'string', pointer: '' };
}

function toObject(pairs: Array<[string, string]>, schema: IrSchema, resolver: SchemaResolver): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of pairs) out[key] = coerceScalar(value, propertySchema(schema, key, resolver), resolver);
  return { ...out };
}

function pairsOf(items: string[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i + 1 < items.length; i += 2) pairs.push([items[i] as string, items[i + 1] as string]);
  return pairs;
}

/** Arrays and objects from a list of already-split text pieces. */
function shaped(pieces: string[], schema: IrSchema, resolver: SchemaResolver, keyValue: boolean): unknown {
  const s = resolver.resolve(schema);
  if (s.kind === 'array') return pieces.map((p) => coerceScalar(p, s.items, resolver));
  if (s.kind === 'object') {
    const pairs = keyValue ? pieces.map((p): [string, string] => [p.split('=')[0] ?? '', p.split('=').slice(1).join('=')]) : pairsOf(pieces);
    return toObject(pairs, s, resolver);
  }
  return coerceScalar(pieces.join(','), s, resolver);
}

function parseJsonParam(text: string): unknown {
  try {
    return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
  } catch {
    return text;
  }
}

function readPath(p: IrParameter, raw: string, resolver: SchemaResolver): unknown {
  let text = raw;
  if (p.style === 'label') text = text.replace(/^\./, '');
  if (p.style === 'matrix') text = text.replace(new RegExp(`^;${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=`), '');
  const decode = (t: string): string => safeDecode(t) ?? t;
  if (p.contentType !== undefined) return parseJsonParam(decode(text));
  const s = resolver.resolve(p.schema);
  if (s.kind !== 'array' && s.kind !== 'object') return coerceScalar(decode(text), s, resolver);
  let pieces: string[];
  if (p.style === 'label' && p.explode) pieces = text.split('.');
  else if (p.style === 'matrix' && p.explode) pieces = text.split(';').map((piece) => piece.replace(/^[^=]*=/, ''));
  else pieces = text.split(',');
  return shaped(pieces.map(decode), s, resolver, p.explode && s.kind === 'object');
}

function readQuery(p: IrParameter, query: URLSearchParams, resolver: SchemaResolver): unknown {
  const s = resolver.resolve(p.schema);
  if (p.contentType !== undefined) {
    const text = query.get(p.name);
    return text === null ? undefined : parseJsonParam(text);
  }
  if (s.kind === 'object' && p.style === 'deepObject') {
    const prefix = `${p.name}[`;
    const pairs: Array<[string, string]> = [];
    for (const [key, value] of query) {
      if (key.startsWith(prefix) && key.endsWith(']')) pairs.push([key.slice(prefix.length, -1), value]);
    }
    return pairs.length === 0 ? undefined : toObject(pairs, s, resolver);
  }
  if (s.kind === 'object' && p.explode) {
    const pairs: Array<[string, string]> = [];
    for (const property of s.properties) {
      const value = query.get(property.name);
      if (value !== null) pairs.push([property.name, value]);
    }
    return pairs.length === 0 ? undefined : toObject(pairs, s, resolver);
  }
  const values = query.getAll(p.name);
  if (values.length === 0) return undefined;
  if (s.kind === 'array') {
    if (p.style === 'spaceDelimited') return shaped((values[0] ?? '').split(' '), s, resolver, false);
    if (p.style === 'pipeDelimited') return shaped((values[0] ?? '').split('|'), s, resolver, false);
    if (p.explode) return shaped(values, s, resolver, false);
    return shaped((values[0] ?? '').split(','), s, resolver, false);
  }
  if (s.kind === 'object') return shaped((values[0] ?? '').split(','), s, resolver, false);
  return coerceScalar(values[0] ?? '', s, resolver);
}

function readSimple(p: IrParameter, text: string | undefined, resolver: SchemaResolver): unknown {
  if (text === undefined) return undefined;
  if (p.contentType !== undefined) return parseJsonParam(text);
  const s = resolver.resolve(p.schema);
  if (s.kind === 'array' || s.kind === 'object') return shaped(text.split(',').map((t) => t.trim()), s, resolver, p.explode && s.kind === 'object');
  return coerceScalar(text, s, resolver);
}

export function readParameters(operation: IrOperation, raw: RawParameters, resolver: SchemaResolver): ParameterValues {
  const values: ParameterValues = { path: {}, query: {}, header: {}, cookie: {} };
  for (const p of operation.parameters) {
    let value: unknown;
    switch (p.in) {
      case 'path': {
        const text = raw.path[p.name];
        value = text === undefined ? undefined : readPath(p, text, resolver);
        break;
      }
      case 'query':
        value = readQuery(p, raw.query, resolver);
        break;
      case 'header':
        value = readSimple(p, raw.headers[p.name.toLowerCase()], resolver);
        break;
      case 'cookie':
        value = readSimple(p, raw.cookies.get(p.name), resolver);
        break;
    }
    if (value !== undefined) Object.defineProperty(values[p.in], p.name, { value, enumerable: true, writable: true, configurable: true });
  }
  return values;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (!cookies.has(name)) cookies.set(name, safeDecode(value) ?? value);
  }
  return cookies;
}
