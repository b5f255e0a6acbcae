/**
 * Tarjan's algorithm with an explicit stack, so no schema graph (however deep or recursive) can overflow the call
 * stack. Returns the strongly connected components, each after every component it reaches (reverse topological
 * order). Edges to nodes not in `nodes` are ignored.
 */
export function stronglyConnected(nodes: Iterable<string>, edgesOf: (node: string) => Iterable<string>): string[][] {
  const known = new Set(nodes);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  const lowOf = (node: string): number => low.get(node) as number;
  for (const start of known) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edges: Iterator<string> }> = [];
    const enter = (node: string): void => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, edges: edgesOf(node)[Symbol.iterator]() });
    };
    enter(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; edges: Iterator<string> };
      const next = frame.edges.next();
      if (!next.done) {
        const target = next.value;
        if (!known.has(target)) continue;
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(lowOf(frame.node), index.get(target) as number));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(lowOf(parent.node), lowOf(frame.node)));
      if (lowOf(frame.node) === index.get(frame.node)) out.push(popComponent(stack, onStack, frame.node));
    }
  }
  return out;
}

function popComponent(stack: string[], onStack: Set<string>, root: string): string[] {
  const members: string[] = [];
  for (;;) {
    const node = stack.pop() as string;
    onStack.delete(node);
    members.push(node);
    if (node === root) return members;
  }
}
