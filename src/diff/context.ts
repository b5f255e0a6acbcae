import type { IrDocument, IrNamedSchema, IrOperation, IrSchema } from '../ir/types.js';
import { decisionFor, getRule, type RuleDefinition } from './rules/registry.js';
import type { Direction, OperationRef } from './types.js';

/**
 * One change found while comparing. The same change reached from several operations (a shared component) is one
 * Finding that collects every operation and every named type it was reached through.
 */
export interface Finding {
  rule: RuleDefinition;
  direction: Direction;
  message: string;
  basePointer?: string;
  revisionPointer?: string;
  operations: Map<string, OperationRef & { function: string }>;
  types: Set<string>;
}

export interface Side {
  ir: IrDocument;
  schemas: Map<string, IrNamedSchema>;
}

export interface DiffContext {
  base: Side;
  revision: Side;
  emit(id: string, direction: Direction, subject: string, what: string, pointers: { base?: string | undefined; revision?: string | undefined }): Finding;
  findings(): Finding[];
  schemaState: SchemaState;
}

/** The schema comparer's memo and recursion stack (see rules/schema.ts). */
export interface SchemaState {
  memo: Map<string, Finding[]>;
  stack: string[];
  /** Per stack frame: the lowest frame index a cycle from inside it reached (its results are partial until then). */
  lowest: number[];
  signatures: { base: WeakMap<IrSchema, string>; revision: WeakMap<IrSchema, string>; intern: Map<string, string> };
}

export function side(ir: IrDocument): Side {
  return { ir, schemas: new Map(ir.schemas.map((named) => [named.name, named])) };
}

export function createContext(base: IrDocument, revision: IrDocument): DiffContext {
  const all = new Map<string, Finding>();
  return {
    base: side(base),
    revision: side(revision),
    schemaState: { memo: new Map(), stack: [], lowest: [], signatures: { base: new WeakMap(), revision: new WeakMap(), intern: new Map() } },
    emit(id, direction, subject, what, pointers) {
      const rule = getRule(id);
      const decision = decisionFor(rule, direction);
      const message = `${subject}: ${what} — ${decision.why}`;
      const key = [id, direction, pointers.base ?? '', pointers.revision ?? '', message].join('\u0000');
      const existing = all.get(key);
      if (existing) return existing;
      const finding: Finding = { rule, direction, message, operations: new Map(), types: new Set() };
      if (pointers.base !== undefined) finding.basePointer = pointers.base;
      if (pointers.revision !== undefined) finding.revisionPointer = pointers.revision;
      all.set(key, finding);
      return finding;
    },
    findings: () => [...all.values()],
  };
}

/** Record that these findings affect an operation (the base one when it exists: that is what callers' code uses). */
export function attribute(findings: Iterable<Finding>, base: IrOperation | undefined, revision: IrOperation | undefined): void {
  const op = base ?? revision;
  if (!op) return;
  const ref = { method: op.method, path: revision?.path ?? op.path, function: op.name };
  const key = `${ref.path} ${ref.method}`;
  for (const finding of findings) finding.operations.set(key, ref);
}

/** Quote a name for a message. */
export function code(text: string): string {
  return `\`${text}\``;
}
