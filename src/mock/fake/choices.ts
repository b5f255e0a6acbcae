import type { IrNumber, IrSchema, IrString } from '../../ir/types.js';

/** Small decisions the generator makes, kept apart so generate.ts reads as the walk it is. */

export function specificity(schema: IrSchema): number {
  switch (schema.kind) {
    case 'const':
      return 6;
    case 'enum':
      return 5;
    case 'union':
      return 4;
    case 'ref':
      return 3;
    case 'any':
      return -1;
    case 'string':
      return schema.format !== undefined || schema.pattern !== undefined ? 2 : 1;
    default:
      return 1;
  }
}

/** A key matching a patternProperties pattern, when one of a few simple candidates does. */
export function keyFor(pattern: string, index: number): string | undefined {
  try {
    const regex = new RegExp(pattern);
    return [`key${index}`, `x-key${index}`, `${index}`, `K${index}`, `a${index}`].find((k) => regex.test(k));
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Own data property, even for names like `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function stringExampleFits(value: unknown, schema: IrString): boolean {
  if (typeof value !== 'string' || schema.format !== undefined) return false;
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return false;
  if (schema.pattern !== undefined) {
    try {
      return new RegExp(schema.pattern).test(value);
    } catch {
      return true;
    }
  }
  return true;
}

export function numberExampleFits(value: unknown, schema: IrNumber): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value) || schema.format !== undefined) return false;
  if (schema.kind === 'integer' && !Number.isSafeInteger(value)) return false;
  if (schema.minimum !== undefined && value < schema.minimum) return false;
  if (schema.maximum !== undefined && value > schema.maximum) return false;
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) return false;
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) return false;
  return schema.multipleOf === undefined || Number.isInteger(Number((value / schema.multipleOf).toFixed(8)));
}
