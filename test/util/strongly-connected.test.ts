import { describe, expect, it } from 'vitest';
import { stronglyConnected, stronglyConnectedIds } from '../../src/util/strongly-connected.js';

// Components in reverse topological order (each after every component it reaches), members in Tarjan's pop order.
const rows: Array<{ name: string; given: Record<string, string[]>; want: string[][] }> = [
  { name: 'no edges', given: { a: [], b: [] }, want: [['a'], ['b']] },
  { name: 'a chain: the end first', given: { a: ['b'], b: ['c'], c: [] }, want: [['c'], ['b'], ['a']] },
  { name: 'a cycle is one component', given: { a: ['b'], b: ['c'], c: ['a'] }, want: [['c', 'b', 'a']] },
  { name: 'self loop', given: { a: ['a'], b: ['a'] }, want: [['a'], ['b']] },
  { name: 'two cycles joined one way', given: { a: ['b'], b: ['a', 'c'], c: ['d'], d: ['c'] }, want: [['d', 'c'], ['b', 'a']] },
  { name: 'edges to unknown nodes are ignored', given: { a: ['zz', 'b'], b: [] }, want: [['b'], ['a']] },
];

describe('stronglyConnected', () => {
  it.each(rows)('$name', ({ given, want }) => {
    expect(stronglyConnected(Object.keys(given), (node) => given[node] ?? [])).toEqual(want);
  });

  it('duplicate node names count once', () => {
    expect(stronglyConnected(['a', 'b', 'a'], (node) => (node === 'a' ? ['b'] : []))).toEqual([['b'], ['a']]);
  });

  it('a chain of 200,000 nodes does not overflow the stack', () => {
    const count = 200_000;
    const components = stronglyConnectedIds(count, (node) => (node + 1 < count ? [node + 1] : [0]));
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(count);
  });
});
