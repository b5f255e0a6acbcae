import type { DiffContext, Finding, PairNode, SchemaState } from '../context.js';
import type { Direction } from '../types.js';
import { stronglyConnectedIds } from '../../util/strongly-connected.js';

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

/** A pair's key: the direction, then the base and revision type names. */
export function pairKey(direction: Direction, base: string, revision: string): string {
  return `${direction}\u0000${base}\u0000${revision}`;
}

const directionOf = (key: string): Direction => key.slice(0, key.indexOf('\u0000')) as Direction;
const flip = (key: string): string => (directionOf(key) === 'request' ? 'response' : 'request') + key.slice(key.indexOf('\u0000'));

/**
 * Link the pair `key` from whoever is comparing now, and queue it the first time it is seen. `neutral`: neither
 * type reads differently in requests and responses (no readOnly/writeOnly anywhere they reach), so the pair in one
 * direction finds what the other finds, in the other direction.
 */
export function linkPair(state: SchemaState, key: string, types: string[], run: () => Finding[], neutral = false): void {
  state.owner.add(key);
  if (state.pairs.has(key)) return;
  const node: PairNode = { findings: [], edges: new Set(), types };
  if (neutral) node.twin = flip(key);
  state.pairs.set(key, node);
  state.pending.push({ key, run });
}

/** Compare every queued pair (and the pairs they queue in turn). */
export function drainPairs(state: SchemaState): void {
  const outer = state.owner;
  try {
    for (let next = state.pending.pop(); next; next = state.pending.pop()) {
      const node = state.pairs.get(next.key) as PairNode;
      // A neutral pair whose twin is compared (or queued to be) is copied from it at the end instead: on contracts
      // that send and receive the same types this halves the comparison.
      const twin = node.twin === undefined ? undefined : state.pairs.get(node.twin);
      if (node.twin !== undefined && twin && twin.mirrorOf === undefined) {
        node.mirrorOf = node.twin;
        state.mirrors.push(next.key);
        continue;
      }
      state.owner = node.edges;
      node.findings = withTypes(next.run(), node.types);
    }
  } finally {
    state.owner = outer;
  }
}

/**
 * Fill in every mirrored pair from its twin, once all pairs are compared: the twin's findings emitted for this
 * direction, and the twin's edges turned around (pairs reached only through the twin are mirrored in turn; every
 * pair a neutral pair reaches is neutral).
 */
function finishMirrors(state: SchemaState, remit: (finding: Finding, direction: Direction) => Finding): void {
  for (let index = 0; index < state.mirrors.length; index++) {
    const key = state.mirrors[index] as string;
    const node = state.pairs.get(key) as PairNode;
    const source = state.pairs.get(node.mirrorOf as string) as PairNode;
    const direction = directionOf(key);
    node.findings = withTypes(source.findings.map((finding) => remit(finding, direction)), node.types);
    for (const edge of source.edges) {
      const turned = flip(edge);
      node.edges.add(turned);
      if (state.pairs.has(turned)) continue;
      const from = state.pairs.get(edge) as PairNode;
      state.pairs.set(turned, { findings: [], edges: new Set(), types: from.types, twin: edge, mirrorOf: edge });
      state.mirrors.push(turned);
    }
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
export function finishPairs(ctx: DiffContext): void {
  const state = ctx.schemaState;
  // The types a finding got while its pair was compared (inline named types, the pair's own) come along; the types of
  // the pairs that reach it are added below, for both directions alike.
  const remit = (finding: Finding, direction: Direction): Finding => {
    const twin = ctx.emit(finding.rule.id, direction, finding.subject, finding.what, { base: finding.basePointer, revision: finding.revisionPointer });
    for (const type of finding.types) twin.types.add(type);
    return twin;
  };
  finishMirrors(state, remit);
  const graph = condense(state);
  const reach = reachedFindings(graph);
  for (const { roots, attach } of state.deferred.splice(0)) {
    const found = new Set<Finding>();
    for (const key of roots) {
      const id = graph.idOf.get(key);
      if (id !== undefined) for (const finding of reach[graph.componentOf[id] as number] as Set<Finding>) found.add(finding);
    }
    attach([...found]);
  }
  addContainingTypes(graph);
}

/** The pair graph numbered (the long pair keys are looked up once) and condensed into its strongly connected components. */
interface Condensed {
  nodes: PairNode[];
  idOf: Map<string, number>;
  /** Tarjan's order: every component after the components it reaches. */
  components: number[][];
  componentOf: Int32Array;
  /** The components each component points at (itself left out). */
  next: Array<Set<number>>;
}

function condense(state: SchemaState): Condensed {
  const keys = [...state.pairs.keys()];
  const nodes = keys.map((key) => state.pairs.get(key) as PairNode);
  const idOf = new Map(keys.map((key, id) => [key, id]));
  const edges = nodes.map((node) => {
    const out: number[] = [];
    for (const edge of node.edges) {
      const target = idOf.get(edge);
      if (target !== undefined) out.push(target);
    }
    return out;
  });
  const components = stronglyConnectedIds(keys.length, (id) => edges[id] as number[]);
  const componentOf = new Int32Array(keys.length);
  components.forEach((members, index) => {
    for (const id of members) componentOf[id] = index;
  });
  const next = components.map((members, index) => {
    const out = new Set<number>();
    for (const id of members) {
      for (const edge of edges[id] as number[]) {
        const target = componentOf[edge] as number;
        if (target !== index) out.add(target);
      }
    }
    return out;
  });
  return { nodes, idOf, components, componentOf, next };
}

/** The findings each component reaches: Tarjan emits successors first, so one forward pass gathers them. */
function reachedFindings({ nodes, components, next }: Condensed): Array<Set<Finding>> {
  const reach: Array<Set<Finding>> = [];
  components.forEach((members, index) => {
    const found = new Set<Finding>();
    for (const id of members) for (const finding of (nodes[id] as PairNode).findings) found.add(finding);
    for (const target of next[index] as Set<number>) for (const finding of reach[target] as Set<Finding>) found.add(finding);
    reach.push(found);
  });
  return reach;
}

/**
 * Types flow the other way: a finding is inside every type whose pair reaches it. Only components holding findings
 * need their ancestors' types, so each of those walks its predecessors once. Pushing every component's types into
 * everything it reaches instead was quadratic on a long chain of named types (the chain's last link gets them all).
 */
function addContainingTypes({ nodes, components, next }: Condensed): void {
  const before = components.map((): number[] => []);
  next.forEach((targets, index) => {
    for (const target of targets) (before[target] as number[]).push(index);
  });
  components.forEach((members, index) => {
    const findings = members.flatMap((id) => (nodes[id] as PairNode).findings);
    if (findings.length === 0) return;
    const types = new Set<string>();
    const seen = new Set([index]);
    for (const stack = [index]; stack.length > 0; ) {
      const at = stack.pop() as number;
      for (const id of components[at] as number[]) for (const type of (nodes[id] as PairNode).types) types.add(type);
      for (const from of before[at] as number[]) {
        if (seen.has(from)) continue;
        seen.add(from);
        stack.push(from);
      }
    }
    withTypes(findings, [...types]);
  });
}
