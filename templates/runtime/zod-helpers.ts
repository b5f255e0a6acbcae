/**
 * `integer` and `format` checks for the generated schemas (and concord's mock, which builds the same validators at
 * run time). The other helper families are separate files, copied only when a contract uses them.
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

/** JSON Schema `integer`: a whole number, without z.int()'s safe-integer limit (int64 ids exceed 2^53). */
export function integer(): Refinement {
  return (value, ctx) => {
    if (typeof value === 'number' && !Number.isInteger(value))
      ctx.addIssue({ code: 'custom', message: 'Expected an integer' });
  };
}

/**
 * `format` is an assertion on what concord sends and an annotation on what it receives (by default): whether a
 * parse checks formats is set around it by the runtime (`withDirection`), since zod's parse is synchronous.
 * A parse outside `withDirection` (a user calling `Payment.parse(x)`) checks them.
 */
export type FormatPolicy = 'strict' | 'outgoing' | 'off';
export type Direction = 'incoming' | 'outgoing';

/**
 * One switch object shared through `globalThis`: an application may hold several copies of this file (two
 * generated clients, or concord's mock next to generated schemas), and a parse must see the direction set by
 * whichever copy's runtime started it. It is looked up once; a parse then reads a plain property.
 */
const SWITCH = Symbol.for('concord.zod-helpers.format-switch');
const shared: unknown = Reflect.get(globalThis, SWITCH);
const state: { check: boolean } =
  typeof shared === 'object' && shared !== null && 'check' in shared && typeof shared.check === 'boolean'
    ? (shared as { check: boolean })
    : { check: true };
Reflect.set(globalThis, SWITCH, state);

/** Whether a policy checks formats on values travelling in `direction`. */
export function checksFormats(policy: FormatPolicy, direction: Direction): boolean {
  return policy === 'strict' || (policy === 'outgoing' && direction === 'outgoing');
}

/** `schema.safeParse(value)` with formats checked or not; decide `checks` once with `checksFormats`. */
export function safeParseChecking<R>(schema: { safeParse(value: unknown): R }, value: unknown, checks: boolean): R {
  if (state.check === checks) return schema.safeParse(value);
  state.check = checks;
  try {
    return schema.safeParse(value);
  } finally {
    state.check = !checks;
  }
}

/** Runs a (synchronous) parse with formats checked or not, as `policy` says for `direction`. */
export function withDirection<T>(direction: Direction, policy: FormatPolicy, parse: () => T): T {
  const saved = state.check;
  state.check = checksFormats(policy, direction);
  try {
    return parse();
  } finally {
    state.check = saved;
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
    if (check === undefined || typeof value !== check.type || !state.check) return;
    let schema = formatSchemas.get(name);
    if (schema === undefined) {
      schema = check.make();
      formatSchemas.set(name, schema);
    }
    if (!schema.safeParse(value).success)
      ctx.addIssue({ code: 'custom', message: `Invalid ${name}`, params: { format: name } });
  };
}
