import type { IrNamedSchema, IrOperation } from '../../ir/types.js';
import { safeComment } from '../print/doc.js';

/** Type names a schema of the contract may already use get a suffix, since index.ts re-exports both files. */
export class ServerNames {
  private readonly taken: Set<string>;
  constructor(schemas: readonly IrNamedSchema[]) {
    this.taken = new Set(schemas.flatMap((s) => [s.name, s.requestName, s.responseName].filter((n): n is string => n !== undefined)));
  }
  claim(name: string): string {
    let candidate = name;
    for (let i = 2; this.taken.has(candidate); i++) candidate = `${name}Server${i === 2 ? '' : i}`;
    this.taken.add(candidate);
    return candidate;
  }
}

export function operationDoc(op: IrOperation): string {
  const lines = [`\`${op.method.toUpperCase()} ${safeComment(op.path)}\``];
  if (op.summary) lines.push(safeComment(op.summary));
  if (op.deprecated) lines.push('@deprecated');
  return `/** ${lines.join(' — ')} */`;
}

