/** Schemas for what JSON Schema says and zod cannot: binary values, direction-only properties, typeless keywords. */
import { z } from 'zod/v4';

/**
 * `format: binary`: a Blob/File where the platform has one, or a string (already-encoded content); a request may
 * also pass bytes, a ReadableStream, or a file part (`{ body, filename?, contentType? }`) to stream.
 */
export function binary(): z.ZodCustom<Blob | string, Blob | string> {
  const isBytes = (value: unknown): boolean =>
    (typeof Blob !== 'undefined' && value instanceof Blob) ||
    value instanceof Uint8Array ||
    (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream);
  return z.custom<Blob | string>(
    (value) =>
      typeof value === 'string' ||
      isBytes(value) ||
      (typeof value === 'object' && value !== null && 'body' in value && isBytes(value.body)),
    { message: 'Expected a Blob, bytes, a ReadableStream, a file part or a string' },
  );
}

/**
 * A property the shape does not carry in this direction (readOnly in a request, writeOnly in a response): any value
 * is accepted, so nothing extra is rejected, and it is dropped from the parsed output (left `undefined`, which
 * `JSON.stringify` omits), so a server never sees a readOnly value a client sent.
 */
export function ignored(): z.ZodOptional<z.ZodCatch<z.ZodUndefined>> {
  return z.undefined().catch(undefined).optional();
}

/**
 * The value without keys whose value is `undefined` (at any depth): what `ignored()` left behind. Applied to the
 * operands of an intersection, whose outputs zod merges and which must not disagree on a key one of them dropped.
 */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      value[index] = compact(item);
    });
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) Reflect.deleteProperty(value, key);
      else Reflect.set(value, key, compact(item));
    }
  }
  return value;
}

export type JsonType = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

const JSON_TYPES: ReadonlySet<string> = new Set(['null', 'boolean', 'number', 'string', 'array', 'object']);

export function isJsonType(value: string): value is JsonType {
  return JSON_TYPES.has(value);
}

function jsonTypeOf(value: unknown): JsonType | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'object' || type === 'string' || type === 'number' || type === 'boolean' ? type : undefined;
}

/**
 * Keywords written without `type` (`{ minLength: 1 }`): JSON Schema applies them only to values of their own
 * type, so `schema` checks (and parses) values of `type` and every other value passes unchanged. Anything is
 * accepted, so the static type is `unknown` (as openapi-typescript types such a schema).
 */
export function ifType<O = unknown>(
  type: JsonType,
  schema: z.ZodType,
): z.ZodPipe<z.ZodUnknown, z.ZodTransform<Awaited<O>, unknown>> {
  // What the guard returns for `type`'s values is `schema`'s output (O); other values pass through as JSON Schema says.
  // Built in a const, not in the return statement: a contextual return type would make tsc infer `O` through
  // zod's generic classes, which computes their variance (the cost this file's signatures avoid).
  const guard = z.unknown().transform((value, ctx): O => {
    if (jsonTypeOf(value) !== type) return value as O;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data as O;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
  return guard;
}

/**
 * `ifType('object', schema)` for an object schema that declares properties without `type: object`: validated
 * the same way, but typed as the object, as openapi-typescript (and every user of such a schema) reads it.
 */
export function ifObject<T extends z.ZodType>(
  schema: T,
): z.ZodPipe<z.ZodUnknown, z.ZodTransform<Awaited<z.output<T>>, unknown>> {
  return ifType<z.output<T>>('object', schema);
}
