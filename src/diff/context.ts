import type { IrDocument, IrNamedSchema, IrOperation, IrSchema } from '../ir/types.js';
import { decisionFor, getRule, type Profile, type RuleDefinition } from './rules/registry.js';
import type { Direction, OperationRef } from './types.js';
import type { SignatureCache } from './schema-model.js';
import { resolvePointer } from '../load/parse.js';

/**
 * One change found while comparing. The same change reached from several operations (a shared component) is one
 * Finding that collects every operation and every named type it was reached through.
 */
export interface Finding {
  rule: RuleDefinition;
  direction: Direction;
  message: string;
  /** The message's parts, so the same change can be emitted for the other direction (rules/schema-graph.ts). */
  subject: string;
  what: string;
  basePointer?: string;
  revisionPointer?: string;
  operations: Map<string, OperationRef & { function: string }>;
  types: Set<string>;
}

export interface Side {
  ir: IrDocument;
  schemas: Map<string, IrNamedSchema>;
  /** The bundled document, for keywords and extensions the IR does not model (read by pointer). */
  raw: unknown;
}

/** Policy inputs that are not in either document. */
export interface DiffOptions {
  profile?: Profile;
  /** "Today" for sunset dates (YYYY-MM-DD); defaults to the current date. */
  today?: string;
  /** Minimum days between deprecation and sunset, per x-stability-level (stable when absent). */
  deprecationDays?: { stable: number; beta: number };
}

export interface DiffContext {
  profile: Profile;
  today: string;
  deprecationDays: { stable: number; beta: number };
  base: Side;
  revision: Side;
  emit(id: string, direction: Direction, subject: string, what: string, pointers: { base?: string | undefined; revision?: string | undefined }): Finding;
  findings(): Finding[];
  schemaState: SchemaState;
}

/**
 * One pair of named schemas (base type, revision type, direction), compared once: the findings inside its own
 * shape, and the pairs its shape refers to. Nothing recurses from one pair into another; which operations and
 * types a finding affects is worked out afterwards by reachability over `edges` (see rules/schema-graph.ts).
 */
export interface PairNode {
  findings: Finding[];
  edges: Set<string>;
  /** The generated type names this pair stands for (its findings are in these types). */
  types: string[];
  /** The same pair in the other direction, when neither type reads differently in requests and responses. */
  twin?: string;
  /** Set when this pair is not compared but copied from its twin's comparison (once all pairs are compared). */
  mirrorOf?: string;
}

/** The schema comparer's state: the pair graph, the pairs still to compare, and whose edges are being collected. */
export interface SchemaState {
  pairs: Map<string, PairNode>;
  pending: Array<{ key: string; run: () => Finding[] }>;
  /** Pairs to copy from their twins in finishPairs. */
  mirrors: string[];
  owner: Set<string>;
  /** Places (operations) waiting for the findings their pairs reach; served by finishPairs. */
  deferred: Array<{ roots: Set<string>; attach: (findings: Finding[]) => void }>;
  // Maps, not WeakMaps: they live as long as one diff, and a WeakMap set cost a third of computing a signature.
  signatures: { base: SignatureCache; revision: SignatureCache; intern: Map<string, string> };
}

export function side(ir: IrDocument, raw: unknown = {}): Side {
  return { ir, schemas: new Map(ir.schemas.map((named) => [named.name, named])), raw };
}

/** The raw object at a pointer of a side's bundled document, if it is an object. */
export function rawAt(side: Side, pointer: string): Record<string, unknown> | undefined {
  const value = resolvePointer(side.raw, pointer);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function createContext(base: IrDocument, revision: IrDocument, options: DiffOptions = {}, raw: { base?: unknown; revision?: unknown } = {}): DiffContext {
  const profile = options.profile ?? 'concord';
  const all = new Map<string, Finding>();
  return {
    profile,
    today: options.today ?? new Date().toISOString().slice(0, 10),
    deprecationDays: options.deprecationDays ?? { stable: 180, beta: 31 },
    base: side(base, raw.base),
    revision: side(revision, raw.revision),
    schemaState: { pairs: new Map(), pending: [], mirrors: [], owner: new Set(), deferred: [], signatures: { base: new Map(), revision: new Map(), intern: new Map() } },
    emit(id, direction, subject, what, pointers) {
      const rule = getRule(id);
      const decision = decisionFor(rule, direction, profile);
      const message = `${subject}: ${what} — ${decision.why}`;
      // The subject is left out: the same change reached through an allOf that flattens a type into another names
      // the place twice (`A.id`, `B.id`) but is one change at one pair of pointers.
      const key = [id, direction, pointers.base ?? '', pointers.revision ?? '', what].join('\u0000');
      const existing = all.get(key);
      if (existing) return existing;
      const finding: Finding = { rule, direction, message, subject, what, operations: new Map(), types: new Set() };
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
