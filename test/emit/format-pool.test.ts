import { describe, expect, it } from 'vitest';
import { formatMany } from '../../src/emit/format-pool.js';
import { formatTypeScript } from '../../src/emit/format.js';

const sources = [
  'export interface A { a: string; b?: number }\n',
  `export const big = {${Array.from({ length: 200 }, (_, i) => `k${i}: ${i}`).join(', ')}};\n`,
  'export type U = "x" | "y"\n',
  'export const broken = {\n',
  'export function f(a:number){return a*2}\n',
];

describe('formatMany', () => {
  it('gives, through worker threads, what prettier gives in this thread, each file at its own index', async () => {
    const outcomes = await formatMany(sources, { workers: 2 });
    for (const [index, source] of sources.entries()) {
      const outcome = outcomes[index];
      if (source.includes('broken')) expect(outcome?.ok).toBe(false);
      else expect(outcome).toEqual({ ok: true, code: await formatTypeScript(source) });
    }
  });

  it('formats in this thread when told to use no workers', async () => {
    const outcomes = await formatMany(sources.slice(0, 2), { workers: 0 });
    expect(outcomes.map((o) => o.ok && o.code)).toEqual([await formatTypeScript(sources[0] ?? ''), await formatTypeScript(sources[1] ?? '')]);
  });
});
