import { z } from 'zod';
import * as zh from '../../templates/runtime/zod-helpers.js';
import type { ZArg, ZExpr } from '../zod-expr/expr.js';

type Resolve = (name: string) => z.ZodType;

/**
 * Builds live zod schemas from the same expressions schemas.ts is printed from, so the mock server validates
 * exactly what the generated client validates. Each step mirrors one printed construct.
 */
export function interpretExpr(expr: ZExpr, resolve: Resolve): z.ZodType {
  switch (expr.k) {
    case 'z':
      return schemaFrom(call(z, expr.fn, expr.args.map((a) => interpretArg(a, resolve))), expr.fn);
    case 'iso':
      return schemaFrom(call(z.iso, expr.fn, expr.args.map((a) => interpretArg(a, resolve))), expr.fn);
    case 'ref':
      // A recursive target may still be under construction: defer it.
      return expr.lazy ? z.lazy(() => resolve(expr.name)) : resolve(expr.name);
    case 'chain': {
      const base = interpretExpr(expr.base, resolve);
      return schemaFrom(call(base, expr.method, expr.args.map((a) => interpretArg(a, resolve))), expr.method);
    }
    case 'helper': {
      if (expr.helper === 'binary') return zh.binary();
      if (expr.helper === 'ignored') return zh.ignored();
      if (expr.helper === 'compact') return interpretExpr(expr.base, resolve).overwrite(zh.compact);
      if (expr.helper === 'ifType') return zh.ifType(jsonTypeArg(expr.args[0]), interpretExpr(expr.base, resolve));
      if (expr.helper === 'ifObject') return zh.ifObject(interpretExpr(expr.base, resolve));
      const refinement = call(zh, expr.helper, expr.args.map((a) => interpretArg(a, resolve)));
      if (typeof refinement !== 'function') throw new Error(`zh.${expr.helper}() is not a refinement`);
      return interpretExpr(expr.base, resolve).superRefine((value, ctx) => Reflect.apply(refinement, undefined, [value, ctx]));
    }
  }
}

/** `target[name](...args)`, by name: the expression names zod's and the helpers' functions as strings. */
function call(target: object, name: string, args: unknown[]): unknown {
  const fn: unknown = Reflect.get(target, name);
  if (typeof fn !== 'function') throw new Error(`${name}() does not exist`);
  const result: unknown = Reflect.apply(fn, target, args);
  return result;
}

function jsonTypeArg(value: ZArg | undefined): zh.JsonType {
  const type = value?.k === 'json' ? value.v : undefined;
  if (typeof type === 'string' && zh.isJsonType(type)) return type;
  throw new Error('zh.ifType() needs a JSON type');
}

function schemaFrom(value: unknown, name: string): z.ZodType {
  if (value instanceof z.ZodType) return value;
  throw new Error(`${name}() did not build a zod schema`);
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
        if (!(base instanceof z.ZodObject)) throw new Error('Only object schemas can be spread into a shape');
        Object.assign(shape, base.shape);
      }
      for (const entry of value.entries) {
        // defineProperty: a key named __proto__ must become a real property, not the prototype.
        Object.defineProperty(shape, entry.key, { value: interpretExpr(entry.e, resolve), enumerable: true, writable: true, configurable: true });
      }
      return shape;
    }
  }
}
