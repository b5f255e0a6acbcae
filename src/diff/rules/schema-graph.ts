import type { DiffContext, Finding, PairNode, SchemaState } from '../context.js';

/**
 * The pair graph behind the schema family. Comparing two named schemas never calls into the comparison of another
 * pair: it records an edge and queues the other pair, so the call stack is bounded by one schema's inline depth
 * and every pair is compared exactly once, however the named schemas recurse (mutually, through unions or allOf).
 * Which operations and types a finding concerns is then a question of reachability, answered iteratively.
 */

export function withTypes(findings: Finding[], types: string[]): Finding[] {
  for (const finding of findings) for (const type of types) finding.types.add(type);
  return findings;
}

/** Link the pair `key` from whoever is comparing now, and queue it the first time it is seen. */
export function linkPair(state: SchemaState, key: string, types: string[], run: () => Finding[]): void {
  state.owner.add(key);
  if (state.pairs.has(key)) return;
  state.pairs.set(key, { findings: [], edges: new Set(), types });
  state.pending.push({ key, run });
}

/** Compare every queued pair (and the pairs they queue in turn). */
export function drainPairs(state: SchemaState): void {
  const outer = state.owner;
  try {
    for (let next = state.pending.pop(); next; next = state.pending.pop()) {
      const node = state.pairs.get(next.key) as PairNode;
      state.owner = node.edges;
      node.findings = withTypes(next.run(), node.types);
    }
  } finally {
    state.owner = outer;
  }
}

/** Every pair reachable from `roots` (breadth-first, no recursion). */
export function reachable(state: SchemaState, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let index = 0; index < queue.length; index++) {
    const key = queue[index] as string;
    if (seen.has(key)) continue;
    seen.add(key);
    for (const edge of state.pairs.get(key)?.edges ?? []) if (!seen.has(edge)) queue.push(edge);
  }
  return seen;
}

/**
 * Run `compare` collecting the pairs it links, compare those pairs, and return the compare's own findings plus
 * every finding in a reachable pair: all of them concern the operation (or other place) being compared.
 */
export function collectWithPairs(ctx: DiffContext, compare: () => Finding[]): Finding[] {
  const state = ctx.schemaState;
  const outer = state.owner;
  const roots = new Set<string>();
  state.owner = roots;
  let own: Finding[];
  try {
    own = compare();
  } finally {
    state.owner = outer;
  }
  drainPairs(state);
  const out = [...own];
  for (const key of reachable(state, roots)) out.push(...(state.pairs.get(key)?.findings ?? []));
  return out;
}

/**
 * A finding inside a named type is also inside every named type that contains it: add each pair's type names to
 * the findings of the pairs it reaches. Pairs in one strongly connected component reach the same set, so the
 * reachable set is computed once per component (Tarjan, iterative) and propagated in reverse topological order.
 */
export function propagateTypes(state: SchemaState): void {
  const components = stronglyConnected(state);
  // Tarjan emits components in reverse topological order: a component's successors come before it.
  const typesOf = new Map<number, Set<string>>();
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => {
    for (const key of members) componentOf.set(key, index);
  });
  // Walk from the roots of the condensation down: a component's types flow into every component it reaches.
  for (let index = components.length - 1; index >= 0; index--) {
    const members = components[index] as string[];
    const types = typesOf.get(index) ?? new Set<string>();
    for (const key of members) for (const type of state.pairs.get(key)?.types ?? []) types.add(type);
    typesOf.set(index, types);
    for (const key of members) {
      for (const edge of state.pairs.get(key)?.edges ?? []) {
        const target = componentOf.get(edge);
        if (target === undefined || target === index) continue;
        const into = typesOf.get(target) ?? new Set<string>();
        for (const type of types) into.add(type);
        typesOf.set(target, into);
      }
    }
  }
  components.forEach((members, index) => {
    const types = [...(typesOf.get(index) ?? [])];
    for (const key of members) withTypes(state.pairs.get(key)?.findings ?? [], types);
  });
}

/** Tarjan's algorithm with an explicit stack: components in reverse topological order. */
function stronglyConnected(state: SchemaState): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const start of state.pairs.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ key: string; edges: Iterator<string> }> = [];
    const enter = (key: string): void => {
      index.set(key, counter);
      low.set(key, counter++);
      stack.push(key);
      onStack.add(key);
      work.push({ key, edges: (state.pairs.get(key)?.edges ?? new Set<string>()).values() });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { key: string; edges: Iterator<string> };
      const next = frame.edges.next();
      if (!next.done) {
        const edge = next.value;
        if (!state.pairs.has(edge)) continue;
        if (!index.has(edge)) enter(edge);
        else if (onStack.has(edge)) low.set(frame.key, Math.min(low.get(frame.key) as number, index.get(edge) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.key, Math.min(low.get(parent.key) as number, low.get(frame.key) as number));
      if (low.get(frame.key) === index.get(frame.key)) {
        const members: string[] = [];
        for (;;) {
          const key = stack.pop() as string;
          onStack.delete(key);
          members.push(key);
          if (key === frame.key) break;
        }
        out.push(members);
      }
    }
  }
  return out;
}
