import { isIdentifierName } from '../../ir/naming.js';
import type { ZArg, ZExpr } from './expr.js';

/** TypeScript source for a zod expression. Strings go through JSON.stringify, so no spec text can break out. */
export function printExpr(expr: ZExpr): string {
  switch (expr.k) {
    case 'z':
      return `z.${expr.fn}(${expr.args.map(printArg).join(', ')})`;
    case 'iso':
      return `z.iso.${expr.fn}(${expr.args.map(printArg).join(', ')})`;
    case 'ref':
      return expr.name;
    case 'chain':
      return `${printExpr(expr.base)}.${expr.method}(${expr.args.map(printArg).join(', ')})`;
    case 'helper':
      if (expr.helper === 'binary') return 'zh.binary()';
      return `${printExpr(expr.base)}.superRefine(zh.${expr.helper}(${expr.args.map(printArg).join(', ')}))`;
  }
}

export function printKey(key: string): string {
  // `"__proto__": x` in an object literal sets the prototype; a computed key defines a real property.
  if (key === '__proto__') return '["__proto__"]';
  return isIdentifierName(key) ? key : JSON.stringify(key);
}

function printArg(value: ZArg): string {
  switch (value.k) {
    case 'json':
      return printJson(value.v);
    case 'expr':
      return printExpr(value.e);
    case 'list':
      return `[${value.items.map(printExpr).join(', ')}]`;
    case 'regex':
      return `new RegExp(${JSON.stringify(value.source)})`;
    case 'patterns':
      return `[${value.items.map((item) => `[new RegExp(${JSON.stringify(item.source)}), ${printExpr(item.e)}]`).join(', ')}]`;
    case 'shape': {
      const parts = [...value.spreads.map((s) => `...${printExpr(s)}.shape`), ...value.entries.map((entry) => `${printKey(entry.key)}: ${printExpr(entry.e)}`)];
      return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
    }
  }
}

/** JSON literal as TypeScript; object keys printed safely. */
export function printJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(printJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${printKey(k)}: ${printJson(v)}`).join(', ')} }`;
}
