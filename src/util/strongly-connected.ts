/**
 * Tarjan's algorithm with an explicit stack, so no schema graph (however deep or recursive) can overflow the call
 * stack. Returns the strongly connected components, each after every component it reaches (reverse topological
 * order). Edges to nodes not in `nodes` are ignored.
 */
export function stronglyConnected(nodes: Iterable<string>, edgesOf: (node: string) => Iterable<string>): string[][] {
  const names = [...new Set(nodes)];
  const ids = new Map(names.map((name, id) => [name, id]));
  const components = stronglyConnectedIds(names.length, (id) => {
    const out: number[] = [];
    for (const target of edgesOf(names[id] as string)) {
      const to = ids.get(target);
      if (to !== undefined) out.push(to);
    }
    return out;
  });
  return components.map((members) => members.map((id) => names[id] as string));
}

/**
 * The same over nodes numbered 0..count-1 (typed arrays instead of maps keyed by name: the diff's pair graph has
 * thousands of long keys). A node's edges are asked for once.
 */
export function stronglyConnectedIds(count: number, edgesOf: (node: number) => readonly number[]): number[][] {
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  // Work frames: the node and the position in its edge list.
  const frameNode: number[] = [];
  const frameEdges: Array<readonly number[]> = [];
  const framePosition: number[] = [];
  const enter = (node: number): void => {
    index[node] = counter;
    low[node] = counter++;
    stack.push(node);
    onStack[node] = 1;
    frameNode.push(node);
    frameEdges.push(edgesOf(node));
    framePosition.push(0);
  };
  for (let start = 0; start < count; start++) {
    if (index[start] !== -1) continue;
    enter(start);
    while (frameNode.length > 0) {
      const top = frameNode.length - 1;
      const node = frameNode[top] as number;
      const edges = frameEdges[top] as readonly number[];
      const position = framePosition[top] as number;
      if (position < edges.length) {
        framePosition[top] = position + 1;
        const target = edges[position] as number;
        if (index[target] === -1) enter(target);
        else if (onStack[target] === 1) low[node] = Math.min(low[node] as number, index[target] as number);
        continue;
      }
      frameNode.pop();
      frameEdges.pop();
      framePosition.pop();
      const parent = frameNode[frameNode.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] as number, low[node] as number);
      if (low[node] === index[node]) out.push(popComponent(stack, onStack, node));
    }
  }
  return out;
}

function popComponent(stack: number[], onStack: Uint8Array, root: number): number[] {
  const members: number[] = [];
  for (;;) {
    const node = stack.pop() as number;
    onStack[node] = 0;
    members.push(node);
    if (node === root) return members;
  }
}
