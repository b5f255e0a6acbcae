import type { IrMediaType, IrSchema } from '../ir/types.js';
import { problem, PROBLEM_TYPES, type ProblemDetails } from '../../templates/runtime/problem.js';
import { coerceScalar, type SchemaResolver } from './params.js';

/**
 * Request bodies off the wire. JSON is parsed only after a linear nesting scan (a 10k-deep array would otherwise
 * reach the validators' recursion), and `__proto__` keys are dropped so no later merge can reach a prototype.
 */

export const MAX_JSON_DEPTH = 256;

export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: ProblemDetails };

function malformed(detail: string, instance: string): ParsedBody {
  return { ok: false, problem: problem(400, { type: PROBLEM_TYPES.malformed, title: 'Malformed request body', detail, instance, pointer: '/body' }) };
}

/** Deepest `[`/`{` nesting outside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return max;
}

const dropProto = (key: string, value: unknown): unknown => (key === '__proto__' ? undefined : value);

/** JSON.parse that leaves no `__proto__` keys behind; throws SyntaxError like JSON.parse. */
export function safeJsonParse(text: string): unknown {
  // The reviver costs a second walk; most bodies never mention the key.
  return text.includes('__proto__') ? JSON.parse(text, dropProto) : JSON.parse(text);
}

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function propertyOf(schema: IrSchema, key: string, resolver: SchemaResolver): IrSchema | undefined {
  const s = resolver.resolve(schema);
  if (s.kind === 'object') return s.properties.find((p) => p.name === key)?.schema ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
  if (s.kind === 'intersection') {
    for (const member of s.members) {
      const found = propertyOf(member, key, resolver);
      if (found) return found;
    }
  }
  return undefined;
}

function fieldsToObject(entries: Array<[string, string | Blob]>, schema: IrSchema, resolver: SchemaResolver): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    if (key === '__proto__') continue;
    const property = propertyOf(schema, key, resolver);
    const resolved = property ? resolver.resolve(property) : undefined;
    const item = typeof value === 'string' && property ? coerceScalar(value, resolved?.kind === 'array' ? resolved.items : property, resolver) : value;
    if (resolved?.kind === 'array') {
      const list = Array.isArray(out[key]) ? (out[key] as unknown[]) : [];
      list.push(item);
      Object.defineProperty(out, key, { value: list, enumerable: true, writable: true, configurable: true });
    } else if (!Object.hasOwn(out, key)) {
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

export async function parseBody(bytes: Uint8Array<ArrayBuffer>, contentType: string, media: IrMediaType, resolver: SchemaResolver, instance: string): Promise<ParsedBody> {
  switch (media.encoding) {
    case 'json': {
      const text = decodeUtf8(bytes);
      if (text === undefined) return malformed('The body is not valid UTF-8.', instance);
      if (jsonDepth(text) > MAX_JSON_DEPTH) return malformed(`JSON nesting deeper than ${MAX_JSON_DEPTH} levels is refused.`, instance);
      try {
        return { ok: true, value: safeJsonParse(text) };
      } catch (error) {
        return malformed(`Invalid JSON: ${error instanceof Error ? error.message : String(error)}`, instance);
      }
    }
    case 'form': {
      const text = decodeUtf8(bytes);
      if (text === undefined) return malformed('The body is not valid UTF-8.', instance);
      return { ok: true, value: fieldsToObject([...new URLSearchParams(text)], media.schema, resolver) };
    }
    case 'multipart': {
      try {
        const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
        const entries: Array<[string, string | Blob]> = [];
        form.forEach((value, key) => entries.push([key, value]));
        return { ok: true, value: fieldsToObject(entries, media.schema, resolver) };
      } catch (error) {
        return malformed(`Invalid multipart body: ${error instanceof Error ? error.message : String(error)}`, instance);
      }
    }
    case 'text': {
      const text = decodeUtf8(bytes);
      return text === undefined ? malformed('The body is not valid UTF-8.', instance) : { ok: true, value: text };
    }
    case 'binary':
      return { ok: true, value: new Blob([bytes]) };
  }
}
