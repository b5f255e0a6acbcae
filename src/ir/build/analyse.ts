import type { IrNamedSchema, IrSchema } from '../types.js';
import { childSchemas, refsOf } from '../walk.js';

/**
 * Facts that need the whole schema graph: which named schemas recurse, and which carry readOnly / writeOnly
 * properties somewhere below them (so request and response variants are needed). Computed over the strongly
 * connected components of the ref graph, so it stays linear on contracts where thousands of schemas reach each other.
 */
export function analyseSchemas(schemas: IrNamedSchema[]): void {
  const edges = new Map(schemas.map((s) => [s.name, [...refsOf(s.schema)]]));
  const components = stronglyConnected(schemas.map((s) => s.name), edges);
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => {
    for (const name of members) componentOf.set(name, index);
  });
  const localRead = new Map(schemas.map((s) => [s.name, hasFlag(s.schema, 'readOnly', true)]));
  const localWrite = new Map(schemas.map((s) => [s.name, hasFlag(s.schema, 'writeOnly', true)]));
  // Tarjan emits a component after every component it reaches, so one forward pass sees successors first.
  const read: boolean[] = [];
  const write: boolean[] = [];
  components.forEach((members, index) => {
    let r = false;
    let w = false;
    for (const name of members) {
      r ||= localRead.get(name) === true;
      w ||= localWrite.get(name) === true;
      for (const target of edges.get(name) ?? []) {
        const other = componentOf.get(target);
        if (other === undefined || other === index) continue;
        r ||= read[other] === true;
        w ||= write[other] === true;
      }
    }
    read.push(r);
    write.push(w);
  });
  for (const named of schemas) {
    const index = componentOf.get(named.name) as number;
    const members = components[index] as string[];
    named.recursive = members.length > 1 || (edges.get(named.name) ?? []).includes(named.name);
    named.hasReadOnly = read[index] === true;
    named.hasWriteOnly = write[index] === true;
  }
}

/** Whether a property below this node (not through refs) is marked with `flag`. */
function hasFlag(schema: IrSchema, flag: 'readOnly' | 'writeOnly', top: boolean): boolean {
  if (!top && schema[flag] === true) return true;
  if (schema.kind === 'object' && schema.properties.some((p) => p.schema[flag] === true)) return true;
  return childSchemas(schema).some((c) => c.kind !== 'ref' && hasFlag(c, flag, false));
}

/** Tarjan's algorithm with an explicit stack (no recursion): components, each after the components it reaches. */
function stronglyConnected(nodes: string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: 0 });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++] as string;
        if (!edges.has(target)) continue;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(target) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === index.get(frame.node)) {
        const members: string[] = [];
        for (;;) {
          const node = stack.pop() as string;
          onStack.delete(node);
          members.push(node);
          if (node === frame.node) break;
        }
        out.push(members);
      }
    }
  }
  return out;
}
