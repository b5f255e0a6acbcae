import type { IrMediaType, IrSchema } from '../ir/types.js';
import { problem, PROBLEM_TYPES, type ProblemDetails } from '../../templates/runtime/problem.js';
import { checkFieldCount, DEFAULT_PARSE_LIMITS, LimitExceededError, parseJsonWithin, type ParseLimits } from '../../templates/runtime/parse-limits.js';
import { coerceScalar, type SchemaResolver } from './params.js';

/**
 * Request bodies off the wire, within the parse limits the provider router uses (templates/runtime/parse-limits.ts):
 * JSON is scanned linearly for depth, string and array length and property count before it is parsed, and
 * `__proto__` keys are dropped so no later merge can reach a prototype.
 */

export type ParsedBody = { ok: true; value: unknown } | { ok: false; problem: ProblemDetails };

function malformed(detail: string, instance: string): ParsedBody {
  return { ok: false, problem: problem(400, { type: PROBLEM_TYPES.malformed, title: 'Malformed request body', detail, instance, pointer: '/body' }) };
}

function exceeded(error: LimitExceededError, instance: string): ParsedBody {
  return { ok: false, problem: problem(422, { type: PROBLEM_TYPES.limitExceeded, title: 'Request body exceeds a parse limit', detail: error.message, instance, pointer: error.pointer, limit: error.limit, max: error.max }) };
}

/** JSON.parse within the default limits that leaves no `__proto__` keys behind; throws like JSON.parse. */
export function safeJsonParse(text: string): unknown {
  return parseJsonWithin(text, DEFAULT_PARSE_LIMITS);
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

export async function parseBody(bytes: Uint8Array<ArrayBuffer>, contentType: string, media: IrMediaType, resolver: SchemaResolver, instance: string, limits: Readonly<Required<ParseLimits>> = DEFAULT_PARSE_LIMITS): Promise<ParsedBody> {
  try {
    return await parseWithin(bytes, contentType, media, resolver, instance, limits);
  } catch (error) {
    if (error instanceof LimitExceededError) return exceeded(error, instance);
    throw error;
  }
}

async function parseWithin(bytes: Uint8Array<ArrayBuffer>, contentType: string, media: IrMediaType, resolver: SchemaResolver, instance: string, limits: Readonly<Required<ParseLimits>>): Promise<ParsedBody> {
  switch (media.encoding) {
    case 'json': {
      const text = decodeUtf8(bytes);
      if (text === undefined) return malformed('The body is not valid UTF-8.', instance);
      try {
        return { ok: true, value: parseJsonWithin(text, limits) };
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        return malformed(`Invalid JSON: ${error.message}`, instance);
      }
    }
    case 'form': {
      const text = decodeUtf8(bytes);
      if (text === undefined) return malformed('The body is not valid UTF-8.', instance);
      const fields = [...new URLSearchParams(text)];
      checkFieldCount(fields.length, limits);
      return { ok: true, value: fieldsToObject(fields, media.schema, resolver) };
    }
    case 'multipart': {
      let entries: Array<[string, string | Blob]>;
      try {
        const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
        entries = [];
        form.forEach((value, key) => entries.push([key, value]));
      } catch (error) {
        return malformed(`Invalid multipart body: ${error instanceof Error ? error.message : String(error)}`, instance);
      }
      checkFieldCount(entries.length, limits);
      return { ok: true, value: fieldsToObject(entries, media.schema, resolver) };
    }
    case 'text': {
      const text = decodeUtf8(bytes);
      return text === undefined ? malformed('The body is not valid UTF-8.', instance) : { ok: true, value: text };
    }
    case 'binary':
      return { ok: true, value: new Blob([bytes]) };
  }
}
