import type { IrNamedSchema, IrSchema } from '../ir/types.js';

/** Follows `$ref`s by name through the document's schemas. */
export class SchemaResolver {
  private readonly byName: Map<string, IrNamedSchema>;
  constructor(schemas: readonly IrNamedSchema[]) {
    this.byName = new Map(schemas.map((s) => [s.name, s]));
  }
  /** Follows refs (bounded, so a ref cycle cannot hang a request). */
  resolve(schema: IrSchema): IrSchema {
    let current = schema;
    for (let i = 0; i < 32 && current.kind === 'ref'; i++) {
      const target = this.byName.get(current.name);
      if (!target) break;
      current = target.schema;
    }
    return current;
  }
}
