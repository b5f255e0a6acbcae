import type { IrNamedSchema, IrSchema } from '../types.js';
import { childSchemas, refsOf } from '../walk.js';

/**
 * Facts that need the whole schema graph: which named schemas recurse, and which carry readOnly / writeOnly
 * properties somewhere below them (so request and response variants are needed).
 */
export function analyseSchemas(schemas: IrNamedSchema[]): void {
  const edges = new Map(schemas.map((s) => [s.name, [...refsOf(s.schema)]]));
  for (const named of schemas) named.recursive = reaches(named.name, named.name, edges);
  const localRead = new Map(schemas.map((s) => [s.name, hasFlag(s.schema, 'readOnly', true)]));
  const localWrite = new Map(schemas.map((s) => [s.name, hasFlag(s.schema, 'writeOnly', true)]));
  for (const named of schemas) {
    const reachable = closure(named.name, edges);
    named.hasReadOnly = [...reachable].some((name) => localRead.get(name) === true);
    named.hasWriteOnly = [...reachable].some((name) => localWrite.get(name) === true);
  }
}

/** Whether a property below this node (not through refs) is marked with `flag`. */
function hasFlag(schema: IrSchema, flag: 'readOnly' | 'writeOnly', top: boolean): boolean {
  if (!top && schema[flag] === true) return true;
  if (schema.kind === 'object' && schema.properties.some((p) => p.schema[flag] === true)) return true;
  return childSchemas(schema).some((c) => c.kind !== 'ref' && hasFlag(c, flag, false));
}

function closure(start: string, edges: Map<string, string[]>): Set<string> {
  const seen = new Set<string>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    for (const target of edges.get(next) ?? []) {
      if (!seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  return seen;
}

function reaches(from: string, target: string, edges: Map<string, string[]>): boolean {
  const seen = new Set<string>();
  const stack = [...(edges.get(from) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (next === target) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(edges.get(next) ?? []));
  }
  return false;
}
