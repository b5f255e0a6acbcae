import type { IrMediaType, IrNamedSchema, IrSchema } from './types.js';
import type { WireHint } from '../../templates/runtime/server-params.js';
import type { ServerMediaSpec } from '../../templates/runtime/server-types.js';

export type { WireHint };

const MAX_DEPTH = 4;

/**
 * The wire hint of a parameter or form-field schema. Only what string conversion needs: scalar types, arrays and
 * object properties, a few levels deep (parameters are flat in practice); unions of one scalar type keep it,
 * anything else is `any` and reaches the validator as a string.
 */
export function wireHint(schema: IrSchema, schemas: ReadonlyMap<string, IrNamedSchema>, depth = 0, seen: ReadonlySet<string> = new Set()): WireHint {
  if (depth > MAX_DEPTH) return 'any';
  switch (schema.kind) {
    case 'ref': {
      const target = schemas.get(schema.name);
      if (target === undefined || seen.has(schema.name)) return 'any';
      return wireHint(target.schema, schemas, depth, new Set([...seen, schema.name]));
    }
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'enum': {
      if (schema.baseType === 'number' || schema.baseType === 'integer') return 'number';
      if (schema.baseType !== undefined) return schema.baseType;
      return sameScalar(schema.values.map((v) => (typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string')));
    }
    case 'const':
      return schema.value === null ? 'null' : typeof schema.value === 'number' ? 'number' : typeof schema.value === 'boolean' ? 'boolean' : 'string';
    case 'array':
      return { array: wireHint(schema.items, schemas, depth + 1, seen) };
    case 'object': {
      const object: Record<string, WireHint> = {};
      for (const property of [...schema.properties].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        object[property.name] = wireHint(property.schema, schemas, depth + 1, seen);
      }
      const additional = typeof schema.additionalProperties === 'object' ? wireHint(schema.additionalProperties, schemas, depth + 1, seen) : schema.additionalProperties ? 'any' : undefined;
      return additional === undefined ? { object } : { object, additional };
    }
    case 'union': {
      const members = schema.members.map((m) => wireHint(m, schemas, depth, seen));
      return members.every((m) => typeof m === 'string') ? sameScalar(members.filter((m): m is Exclude<WireHint, object> => typeof m === 'string')) : 'any';
    }
    case 'intersection': {
      const members = schema.members.map((m) => wireHint(m, schemas, depth, seen));
      const objects = members.filter((m): m is { object: Record<string, WireHint>; additional?: WireHint } => typeof m === 'object' && 'object' in m);
      if (objects.length === members.length && objects.length > 0) {
        const object: Record<string, WireHint> = {};
        for (const member of objects) for (const [key, hint] of Object.entries(member.object)) object[key] = hint;
        return { object, additional: 'any' };
      }
      return members.length === 1 && members[0] !== undefined ? members[0] : 'any';
    }
    case 'any':
    case 'never':
      return 'any';
  }
}

function sameScalar(kinds: ReadonlyArray<Exclude<WireHint, object>>): WireHint {
  const distinct = [...new Set(kinds.filter((k) => k !== 'null'))];
  if (distinct.length === 1 && distinct[0] !== undefined) return distinct[0];
  if (distinct.every((k) => k === 'number' || k === 'integer') && distinct.length > 0) return 'number';
  return 'any';
}

/**
 * How the router reads one request or response media type: decided once here so the generated provider (printed)
 * and the mock (built at run time) agree. Form and multipart bodies carry the wire hint of their fields when asked.
 */
export function routeMediaSpec(m: IrMediaType, schemas: ReadonlyMap<string, IrNamedSchema>, withHint: boolean): ServerMediaSpec {
  return {
    mediaType: m.mediaType,
    encoding: m.encoding,
    ...(m.streaming ? { streaming: true } : {}),
    ...(m.stream ? { stream: m.stream.format, ...(m.stream.item.kind === 'string' ? { text: true } : {}) } : {}),
    ...(withHint && (m.encoding === 'form' || m.encoding === 'multipart') ? { hint: wireHint(m.schema, schemas) } : {}),
  };
}
