import { isIdentifierName } from '../../ir/naming.js';
import { STANDALONE_HELPERS, type ZArg, type ZExpr } from '../../zod-expr/expr.js';

/** TypeScript source for a zod expression. Strings go through JSON.stringify, so no spec text can break out. */
export function printExpr(expr: ZExpr, indent = ''): string {
  const args = (list: ZArg[]): string => list.map((a) => printArg(a, indent)).join(', ');
  switch (expr.k) {
    case 'z':
      return `z.${expr.fn}(${args(expr.args)})`;
    case 'iso':
      return `z.iso.${expr.fn}(${args(expr.args)})`;
    case 'ref':
      return expr.name;
    case 'chain':
      return `${printExpr(expr.base, indent)}.${expr.method}(${args(expr.args)})`;
    case 'helper':
      if (STANDALONE_HELPERS.has(expr.helper)) return `zh.${expr.helper}()`;
      if (expr.helper === 'compact') return `${printExpr(expr.base, indent)}.overwrite(zh.compact)`;
      if (expr.helper === 'ifType') return `zh.ifType(${args(expr.args)}, ${printExpr(expr.base, indent)})`;
      if (expr.helper === 'ifObject') return `zh.ifObject(${printExpr(expr.base, indent)})`;
      return `${printExpr(expr.base, indent)}.superRefine(zh.${expr.helper}(${args(expr.args)}))`;
  }
}

export function printKey(key: string): string {
  // `"__proto__": x` in an object literal sets the prototype; a computed key defines a real property.
  if (key === '__proto__') return '["__proto__"]';
  return isIdentifierName(key) ? key : JSON.stringify(key);
}

// Shapes and long lists break over lines, so files too big for prettier still read well and diff by line.
function printArg(value: ZArg, indent: string): string {
  const inner = `${indent}  `;
  switch (value.k) {
    case 'json':
      return printJson(value.v);
    case 'expr':
      return printExpr(value.e, indent);
    case 'list': {
      const items = value.items.map((item) => printExpr(item, inner));
      const flat = `[${items.join(', ')}]`;
      return flat.length + indent.length <= 100 && !flat.includes('\n') ? flat : `[\n${items.map((i) => `${inner}${i},\n`).join('')}${indent}]`;
    }
    case 'regex':
      return printRegExp(value.source, value.flags);
    case 'patterns':
      return `[${value.items.map((item) => `[${printRegExp(item.source, item.flags)}, ${printExpr(item.e, inner)}]`).join(', ')}]`;
    case 'shape': {
      const parts = [...value.spreads.map((s) => `...${printExpr(s, inner)}.shape`), ...value.entries.map((entry) => `${printKey(entry.key)}: ${printExpr(entry.e, inner)}`)];
      if (parts.length === 0) return '{}';
      const flat = `{ ${parts.join(', ')} }`;
      return flat.length + indent.length <= 100 && !flat.includes('\n') ? flat : `{\n${parts.map((p) => `${inner}${p},\n`).join('')}${indent}}`;
    }
  }
}

function printRegExp(source: string, flags: string): string {
  return flags === '' ? `new RegExp(${JSON.stringify(source)})` : `new RegExp(${JSON.stringify(source)}, ${JSON.stringify(flags)})`;
}

/** TypeScript source that `printJson` writes as it is: a reference to a generated const inside a data literal. */
export class Code {
  constructor(readonly text: string) {}
}

export const code = (text: string): Code => new Code(text);

/** JSON literal as TypeScript; object keys printed safely; `Code` values written as they are. */
export function printJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Code) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(printJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${printKey(k)}: ${printJson(v)}`).join(', ')} }`;
}
