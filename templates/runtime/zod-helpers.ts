/**
 * Checks zod has no built-in for, used by the generated schemas (and by concord's mock server, which builds the
 * same validators at run time). Kept tiny and dependency-free apart from zod.
 */
import { z } from 'zod/v4';

type Refinement = (value: unknown, ctx: z.RefinementCtx) => void;

/**
 * What a format check needs of a schema. Signatures in this file name zod's concrete classes or this shape, never
 * `z.ZodType` for a value of another zod class: relating two zod classes makes the user's tsc compute the variance
 * of zod's whole type graph, ~1.5 s of CPU on every type-check of the generated output.
 */
interface Check {
  safeParse(value: unknown): { success: boolean };
}

/**
 * JSON Schema `patternProperties`: every key matching a pattern must match its schema. With `additional` given,
 * keys that are neither declared (`known`) nor matched by a pattern are checked against it (`false`: not allowed),
 * which is what `additionalProperties` means next to `patternProperties`.
 */
export function patternProperties(
  patterns: ReadonlyArray<readonly [RegExp, z.ZodType]>,
  known: readonly string[] = [],
  additional: z.ZodType | false | null = null,
): Refinement {
  const declared = new Set(known);
  return (value, ctx) => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      let matched = false;
      for (const [pattern, schema] of patterns) {
        if (!pattern.test(key)) continue;
        matched = true;
        report(ctx, schema.safeParse(item), key);
      }
      if (matched || additional === null || declared.has(key)) continue;
      if (additional === false)
        ctx.addIssue({
          code: 'custom',
          message: `Unexpected property "${key}"`,
          path: [key],
        });
      else report(ctx, additional.safeParse(item), key);
    }
  };
}

function report(ctx: z.RefinementCtx, result: { success: boolean; error?: z.ZodError }, key: string): void {
  if (result.success || !result.error) return;
  for (const issue of result.error.issues)
    ctx.addIssue({
      code: 'custom',
      message: issue.message,
      path: [key, ...issue.path],
    });
}

/** JSON Schema `uniqueItems`, compared by canonical JSON. */
export function uniqueItems(): Refinement {
  return (value, ctx) => {
    if (!Array.isArray(value)) return;
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = JSON.stringify(item);
      if (seen.has(key))
        ctx.addIssue({
          code: 'custom',
          message: 'Array items must be unique',
          path: [index],
        });
      seen.add(key);
    });
  };
}

/** JSON Schema `minProperties` / `maxProperties`. */
export function propertyCount(min: number | null, max: number | null): Refinement {
  return (value, ctx) => {
    if (value === null || typeof value !== 'object') return;
    const count = Object.keys(value).length;
    if (min !== null && count < min)
      ctx.addIssue({
        code: 'custom',
        message: `Expected at least ${min} properties`,
      });
    if (max !== null && count > max)
      ctx.addIssue({
        code: 'custom',
        message: `Expected at most ${max} properties`,
      });
  };
}

/** `minItems` / `maxItems` on a tuple (zod's tuples have no length checks of their own). */
export function itemCount(min: number | null, max: number | null): Refinement {
  return (value, ctx) => {
    if (!Array.isArray(value)) return;
    if (min !== null && value.length < min)
      ctx.addIssue({
        code: 'custom',
        message: `Expected at least ${min} items`,
      });
    if (max !== null && value.length > max)
      ctx.addIssue({
        code: 'custom',
        message: `Expected at most ${max} items`,
      });
  };
}

/** JSON Schema `integer`: a whole number, without z.int()'s safe-integer limit (int64 ids exceed 2^53). */
export function integer(): Refinement {
  return (value, ctx) => {
    if (typeof value === 'number' && !Number.isInteger(value))
      ctx.addIssue({ code: 'custom', message: 'Expected an integer' });
  };
}

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
    {
      message: 'Expected a Blob, bytes, a ReadableStream, a file part or a string',
    },
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
    for (const issue of parsed.error.issues)
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path,
      });
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

/**
 * `format` is an assertion on what concord sends and an annotation on what it receives (by default): whether a
 * parse checks formats is set around it by the runtime (`withDirection`), since zod's parse is synchronous.
 * A parse outside `withDirection` (a user calling `Payment.parse(x)`) checks them.
 */
export type FormatPolicy = 'strict' | 'outgoing' | 'off';
export type Direction = 'incoming' | 'outgoing';

/**
 * The switch lives on `globalThis`, not in this module: an application may hold several copies of this file (two
 * generated clients, or concord's mock next to generated schemas), and a parse must see the direction set by
 * whichever copy's runtime started it.
 */
const SWITCH = Symbol.for('concord.zod-helpers.check-formats');

/** Whether a policy checks formats on values travelling in `direction`. */
export function checksFormats(policy: FormatPolicy, direction: Direction): boolean {
  return policy === 'strict' || (policy === 'outgoing' && direction === 'outgoing');
}

/** Runs a (synchronous) parse with formats checked or not, as `policy` says for `direction`. */
export function withDirection<T>(direction: Direction, policy: FormatPolicy, parse: () => T): T {
  const saved: unknown = Reflect.get(globalThis, SWITCH);
  Reflect.set(globalThis, SWITCH, checksFormats(policy, direction));
  try {
    return parse();
  } finally {
    Reflect.set(globalThis, SWITCH, saved);
  }
}

// RFC 3339 `full-time` requires an offset, but APIs routinely send a bare `partial-time`; both are accepted.
// z.iso.time() would reject the offset form, which is the one the format actually names.
const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

const range =
  (min: number, max: number): (() => Check) =>
  () =>
    z.number().gte(min).lte(max);

/** Per format: the JSON type it applies to and its check (built on first use). */
const FORMAT_CHECKS: Record<string, { type: 'string' | 'number'; make: () => Check }> = {
  'date-time': { type: 'string', make: () => z.iso.datetime({ offset: true }) },
  date: { type: 'string', make: () => z.iso.date() },
  time: { type: 'string', make: () => z.string().regex(TIME) },
  duration: { type: 'string', make: () => z.iso.duration() },
  uuid: { type: 'string', make: () => z.guid() },
  email: { type: 'string', make: () => z.email() },
  uri: { type: 'string', make: () => z.url() },
  ipv4: { type: 'string', make: () => z.ipv4() },
  ipv6: { type: 'string', make: () => z.ipv6() },
  int8: { type: 'number', make: range(-128, 127) },
  int16: { type: 'number', make: range(-32768, 32767) },
  int32: { type: 'number', make: range(-2147483648, 2147483647) },
  uint8: { type: 'number', make: range(0, 255) },
  uint16: { type: 'number', make: range(0, 65535) },
  uint32: { type: 'number', make: range(0, 4294967295) },
  uint64: { type: 'number', make: range(0, Infinity) },
};

/** The formats `format()` checks; others are annotations only. */
export const CHECKED_FORMATS: readonly string[] = Object.keys(FORMAT_CHECKS);

const formatSchemas = new Map<string, Check>();

/** JSON Schema `format` on a string, checked when the surrounding `withDirection` says so. */
export function format(name: string): Refinement {
  const check = FORMAT_CHECKS[name];
  return (value, ctx) => {
    if (check === undefined || typeof value !== check.type || Reflect.get(globalThis, SWITCH) === false) return;
    let schema = formatSchemas.get(name);
    if (schema === undefined) {
      schema = check.make();
      formatSchemas.set(name, schema);
    }
    if (!schema.safeParse(value).success)
      ctx.addIssue({ code: 'custom', message: `Invalid ${name}`, params: { format: name } });
  };
}
