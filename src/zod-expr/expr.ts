/**
 * A zod expression as data. The IR -> zod decisions are made once (build-expr.ts); two backends read the result:
 * `printExpr` (src/generators/print) writes TypeScript for schemas.ts, `interpretExpr` (src/validate) builds live
 * zod schemas for the mock server and `concord verify`. So the generated validators and the mock's cannot drift
 * apart. Nothing here imports a generator: this module sits between the IR and its two readers.
 */
export type ZExpr =
  /** `z.<fn>(...args)` */
  | { k: 'z'; fn: string; args: ZArg[] }
  /** `z.iso.<fn>(...args)` */
  | { k: 'iso'; fn: string; args: ZArg[] }
  /** A named schema const. `lazy` when the reference may be evaluated before the target exists (cycles). */
  | { k: 'ref'; name: string; lazy: boolean }
  /** `<base>.<method>(...args)` */
  | { k: 'chain'; base: ZExpr; method: string; args: ZArg[] }
  /**
   * A refinement from the generated runtime's zod helpers (`runtime/zod-helpers.ts`), applied to `base` with
   * `.superRefine(zh.<helper>(...args))`; `binary` and `ignored` are schemas of their own (`zh.binary()`) and
   * ignore `base`; `compact` post-processes the output (`<base>.overwrite(zh.compact)`); `ifType` wraps it
   * (`zh.ifType("string", <base>)`: only values of that JSON type are checked by `base`; `zh.ifObject(<base>)`
   * the same for objects, typed as `base`).
   */
  | { k: 'helper'; base: ZExpr; helper: ZodHelperName; args: ZArg[] };

export type ZodHelperName = 'patternProperties' | 'uniqueItems' | 'propertyCount' | 'itemCount' | 'integer' | 'format' | 'binary' | 'ignored' | 'compact' | 'ifType' | 'ifObject';

/** Helpers that are schemas themselves rather than refinements of `base`. */
export const STANDALONE_HELPERS: ReadonlySet<ZodHelperName> = new Set(['binary', 'ignored']);

export type ZArg =
  | { k: 'json'; v: unknown }
  | { k: 'expr'; e: ZExpr }
  | { k: 'list'; items: ZExpr[] }
  /**
   * An object shape: `{ ...A.shape, key: expr }`. Spreads are refs to object schemas, or `A.unwrap()` for a ref
   * to a nullable one.
   */
  | { k: 'shape'; spreads: ZExpr[]; entries: Array<{ key: string; e: ZExpr; doc?: string }> }
  /** A regular expression from a JSON Schema pattern (ECMA-262; `u` only where the pattern needs it). */
  | { k: 'regex'; source: string; flags: string }
  /** A list of `[pattern, schema]` pairs (patternProperties). */
  | { k: 'patterns'; items: Array<{ source: string; flags: string; e: ZExpr }> };

export const z = (fn: string, ...args: ZArg[]): ZExpr => ({ k: 'z', fn, args });
export const iso = (fn: string, ...args: ZArg[]): ZExpr => ({ k: 'iso', fn, args });
export const chain = (base: ZExpr, method: string, ...args: ZArg[]): ZExpr => ({ k: 'chain', base, method, args });
export const json = (v: unknown): ZArg => ({ k: 'json', v });
export const arg = (e: ZExpr): ZArg => ({ k: 'expr', e });
export const list = (items: ZExpr[]): ZArg => ({ k: 'list', items });
