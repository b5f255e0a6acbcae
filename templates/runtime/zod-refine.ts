/** JSON Schema keywords zod has no built-in for (patternProperties, uniqueItems, property and item counts). */
import type { z } from 'zod/v4';

type Refinement = (value: unknown, ctx: z.RefinementCtx) => void;

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
      if (additional === false) ctx.addIssue({ code: 'custom', message: `Unexpected property "${key}"`, path: [key] });
      else report(ctx, additional.safeParse(item), key);
    }
  };
}

function report(ctx: z.RefinementCtx, result: { success: boolean; error?: z.ZodError }, key: string): void {
  if (result.success || !result.error) return;
  for (const issue of result.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
}

/** JSON Schema `uniqueItems`, compared by canonical JSON. */
export function uniqueItems(): Refinement {
  return (value, ctx) => {
    if (!Array.isArray(value)) return;
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) ctx.addIssue({ code: 'custom', message: 'Array items must be unique', path: [index] });
      seen.add(key);
    });
  };
}

/** JSON Schema `minProperties` / `maxProperties`. */
export function propertyCount(min: number | null, max: number | null): Refinement {
  return (value, ctx) => {
    if (value === null || typeof value !== 'object') return;
    const count = Object.keys(value).length;
    if (min !== null && count < min) ctx.addIssue({ code: 'custom', message: `Expected at least ${min} properties` });
    if (max !== null && count > max) ctx.addIssue({ code: 'custom', message: `Expected at most ${max} properties` });
  };
}

/** `minItems` / `maxItems` on a tuple (zod's tuples have no length checks of their own). */
export function itemCount(min: number | null, max: number | null): Refinement {
  return (value, ctx) => {
    if (!Array.isArray(value)) return;
    if (min !== null && value.length < min) ctx.addIssue({ code: 'custom', message: `Expected at least ${min} items` });
    if (max !== null && value.length > max) ctx.addIssue({ code: 'custom', message: `Expected at most ${max} items` });
  };
}
