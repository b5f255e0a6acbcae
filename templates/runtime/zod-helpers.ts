/**
 * Checks zod has no built-in for, used by the generated schemas (and by concord's mock server, which builds the
 * same validators at run time). Kept tiny and dependency-free apart from zod.
 */
import { z } from 'zod';

type Refinement = (value: unknown, ctx: z.RefinementCtx) => void;

/** JSON Schema `patternProperties`: every key matching a pattern must match its schema. */
export function patternProperties(patterns: ReadonlyArray<readonly [RegExp, z.ZodType]>): Refinement {
  return (value, ctx) => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      for (const [pattern, schema] of patterns) {
        if (!pattern.test(key)) continue;
        const result = schema.safeParse(item);
        if (!result.success) {
          for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [key, ...issue.path] });
        }
      }
    }
  };
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

/** Integers beyond 2^53 (int64): whole numbers, without z.int()'s safe-integer limit. */
export function integer(): Refinement {
  return (value, ctx) => {
    if (typeof value === 'number' && !Number.isInteger(value)) ctx.addIssue({ code: 'custom', message: 'Expected an integer' });
  };
}

/** `format: binary`: a Blob/File where the platform has one, or a string (already-encoded content). */
export function binary(): z.ZodType<Blob | string> {
  return z.custom<Blob | string>((value) => typeof value === 'string' || (typeof Blob !== 'undefined' && value instanceof Blob), {
    message: 'Expected a Blob or a string',
  });
}
