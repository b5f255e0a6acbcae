import type { IrDocument, IrOperation, IrSchema } from './types.js';

/** The direct sub-schemas of a node, in a stable order. */
export function childSchemas(schema: IrSchema): IrSchema[] {
  switch (schema.kind) {
    case 'array':
      return [...(schema.prefixItems ?? []), schema.items];
    case 'object':
      return [
        ...schema.properties.map((p) => p.schema),
        ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
        ...(schema.patternProperties ?? []).map((p) => p.schema),
      ];
    case 'union':
    case 'intersection':
      return schema.members;
    default:
      return [];
  }
}

/** Operations, webhooks and callbacks: everything that gets validators (a `<name>Schemas` const in schemas.ts). */
export function allOperations(ir: IrDocument): IrOperation[] {
  return [...ir.operations, ...ir.webhooks, ...ir.operations.flatMap((op) => op.callbacks.flatMap((cb) => cb.operations))];
}
