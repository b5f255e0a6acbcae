import { z } from 'zod';
import * as zh from '../../templates/runtime/zod-helpers.js';
import { STANDALONE_HELPERS, type ZArg, type ZExpr } from '../generators/zod/expr.js';

type Resolve = (name: string) => z.ZodType;
type Callable = (...args: unknown[]) => unknown;

/**
 * Builds live zod schemas from the same expressions schemas.ts is printed from, so the mock server validates
 * exactly what the generated client validates. Each step mirrors one printed construct.
 */
export function interpretExpr(expr: ZExpr, resolve: Resolve): z.ZodType {
  switch (expr.k) {
    case 'z':
      return call(z as unknown as Record<string, unknown>, expr.fn, expr.args.map((a) => interpretArg(a, resolve)));
    case 'iso':
      return call(z.iso as unknown as Record<string, unknown>, expr.fn, expr.args.map((a) => interpretArg(a, resolve)));
    case 'ref':
      // A recursive target may still be under construction: defer it.
      return expr.lazy ? z.lazy(() => resolve(expr.name)) : resolve(expr.name);
    case 'chain': {
      const base = interpretExpr(expr.base, resolve);
      return call(base as unknown as Record<string, unknown>, expr.method, expr.args.map((a) => interpretArg(a, resolve)));
    }
    case 'helper': {
      if (STANDALONE_HELPERS.has(expr.helper)) return call(zh as unknown as Record<string, unknown>, expr.helper, []);
      if (expr.helper === 'compact') return interpretExpr(expr.base, resolve).overwrite(zh.compact);
      const factory = zh[expr.helper] as Callable;
      const refinement = factory(...expr.args.map((a) => interpretArg(a, resolve))) as (value: unknown, ctx: z.RefinementCtx) => void;
      return interpretExpr(expr.base, resolve).superRefine(refinement);
    }
  }
}

function call(target: Record<string, unknown>, name: string, args: unknown[]): z.ZodType {
  const fn = target[name];
  if (typeof fn !== 'function') throw new Error(`zod has no ${name}()`);
  return (fn as Callable).apply(target, args) as z.ZodType;
}

function interpretArg(value: ZArg, resolve: Resolve): unknown {
  switch (value.k) {
    case 'json':
      return value.v;
    case 'expr':
      return interpretExpr(value.e, resolve);
    case 'list':
      return value.items.map((item) => interpretExpr(item, resolve));
    case 'regex':
      return new RegExp(value.source, value.flags);
    case 'patterns':
      return value.items.map((item) => [new RegExp(item.source, item.flags), interpretExpr(item.e, resolve)] as const);
    case 'shape': {
      const shape: Record<string, z.ZodType> = {};
      for (const spread of value.spreads) {
        const base = interpretExpr(spread, resolve);
        Object.assign(shape, (base as unknown as { shape: Record<string, z.ZodType> }).shape);
      }
      for (const entry of value.entries) {
        // defineProperty: a key named __proto__ must become a real property, not the prototype.
        Object.defineProperty(shape, entry.key, { value: interpretExpr(entry.e, resolve), enumerable: true, writable: true, configurable: true });
      }
      return shape;
    }
  }
}
