import { escapePointerToken } from './parse.js';
import { closest } from './suggest.js';
import type { ContractProblem } from './contract-rules.js';

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const at = (pointer: string, key: string | number): string => `${pointer}/${escapePointerToken(String(key))}`;

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
// Keys whose value is one schema, and keys whose value is a list or a name map of schemas.
const ONE = ['items', 'additionalProperties', 'additionalItems', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties'];
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions'];
const NON_SCHEMA = new Set(['example', 'examples', 'default', 'const', 'enum', 'securitySchemes']);

/**
 * A schema `type` that is not one of JSON Schema's seven (`integr`, `int`, `date`): generators cannot know what
 * the author meant, and guessing silently would make a client that accepts the wrong data.
 */
export function unknownTypes(doc: Json, swagger2: boolean): ContractProblem[] {
  const allowed = swagger2 ? [...TYPES, 'file'] : TYPES;
  const problems: ContractProblem[] = [];
  const seen = new WeakSet<object>();

  const schema = (node: unknown, pointer: string): void => {
    if (!isRecord(node) || seen.has(node)) return;
    seen.add(node);
    const type = node['type'];
    const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
    types.forEach((value, index) => {
      if (typeof value === 'string' && allowed.includes(value)) return;
      const where = Array.isArray(type) ? at(at(pointer, 'type'), index) : at(pointer, 'type');
      const guess = typeof value === 'string' ? closest(value, allowed) ?? alias(value) : undefined;
      problems.push({
        kind: 'unknown-type',
        pointer: where,
        message: `type ${JSON.stringify(value)} is not a JSON Schema type (${allowed.join(', ')}).`,
        ...(guess !== undefined ? { suggestion: `did you mean \`${guess}\`?`, override: { patch: { [where]: guess } } } : {}),
      });
    });
    for (const key of ONE) {
      const value = node[key];
      if (Array.isArray(value)) value.forEach((item, i) => schema(item, at(at(pointer, key), i)));
      else schema(value, at(pointer, key));
    }
    for (const key of LIST) if (Array.isArray(node[key])) (node[key] as unknown[]).forEach((item, i) => schema(item, at(at(pointer, key), i)));
    for (const key of MAP) if (isRecord(node[key])) for (const [name, value] of Object.entries(node[key])) schema(value, at(at(pointer, key), name));
  };

  // Outside schemas: find where schemas start (`schema` keys, component schema maps) without reading data as schemas.
  const walk = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, at(pointer, i)));
    for (const [key, value] of Object.entries(node as Json)) {
      if (NON_SCHEMA.has(key) || key.startsWith('x-')) continue;
      const child = at(pointer, key);
      if (key === 'schema') schema(value, child);
      else if ((child === '/components/schemas' || child === '/definitions') && isRecord(value)) for (const [name, s] of Object.entries(value)) schema(s, at(child, name));
      else walk(value, child);
    }
  };
  walk(doc, '');
  return problems;
}

/** Names people write for a type that edit distance does not reach. */
function alias(value: string): string | undefined {
  const aliases: Record<string, string> = { int: 'integer', long: 'integer', int32: 'integer', int64: 'integer', float: 'number', double: 'number', decimal: 'number', bool: 'boolean', str: 'string', date: 'string', datetime: 'string', list: 'array', map: 'object', dict: 'object' };
  return aliases[value.toLowerCase()];
}
