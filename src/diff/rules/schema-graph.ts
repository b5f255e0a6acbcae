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

/**
 * Run `compare` collecting the pairs it links and compare those pairs. `attach` receives the compare's own findings
 * now, and every finding in a pair reachable from it once all pairs are known (`finishPairs`): all of them concern
 * the operation (or other place) being compared.
 */
export function collectWithPairs(ctx: DiffContext, compare: () => Finding[], attach: (findings: Finding[]) => void): void {
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
  attach(own);
  if (roots.size > 0) state.deferred.push({ roots, attach });
}

/**
 * Once every pair is compared: hand each deferred place the findings its pairs reach, and add each pair's type
 * names to the findings it reaches (a finding inside a named type is also inside every type containing it). Pairs in
 * one strongly connected component reach the same findings, so reachability is computed once per component, in
 * reverse topological order (Tarjan, iterative): linear in the graph, however many operations share it.
 */
export function finishPairs(state: SchemaState): void {
  const components = stronglyConnected(state);
  const componentOf = new Map<string, number>();
  components.forEach((members, index) => {
    for (const key of members) componentOf.set(key, index);
  });
  const successors = (index: number): Set<number> => {
    const out = new Set<number>();
    for (const key of components[index] as string[]) {
      for (const edge of state.pairs.get(key)?.edges ?? []) {
        const target = componentOf.get(edge);
        if (target !== undefined && target !== index) out.add(target);
      }
    }
    return out;
  };
  const next = components.map((_, index) => successors(index));
  // Tarjan emits successors first: one forward pass gathers what each component reaches.
  const reach: Array<Set<Finding>> = [];
  components.forEach((members, index) => {
    const found = new Set<Finding>();
    for (const key of members) for (const finding of state.pairs.get(key)?.findings ?? []) found.add(finding);
    for (const target of next[index] as Set<number>) for (const finding of reach[target] as Set<Finding>) found.add(finding);
    reach.push(found);
  });
  for (const { roots, attach } of state.deferred.splice(0)) {
    const found = new Set<Finding>();
    for (const key of roots) {
      const index = componentOf.get(key);
      if (index !== undefined) for (const finding of reach[index] as Set<Finding>) found.add(finding);
    }
    attach([...found]);
  }
  // Types flow the other way: from a component into everything it reaches (backwards pass, predecessors first).
  const typesOf = components.map(() => new Set<string>());
  for (let index = components.length - 1; index >= 0; index--) {
    const types = typesOf[index] as Set<string>;
    for (const key of components[index] as string[]) for (const type of state.pairs.get(key)?.types ?? []) types.add(type);
    for (const target of next[index] as Set<number>) for (const type of types) (typesOf[target] as Set<string>).add(type);
    const list = [...types];
    for (const key of components[index] as string[]) withTypes(state.pairs.get(key)?.findings ?? [], list);
  }
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
