import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { interpretExpr } from '../../src/validate/interpret.js';
import { chain, z as zx, type ZExpr } from '../../src/zod-expr/expr.js';

const named: Record<string, z.ZodType> = { Str: z.string(), MaybeObj: z.looseObject({ id: z.number() }).nullable() };
const resolve = (name: string): z.ZodType => {
  const found = named[name];
  if (!found) throw new Error(`unknown ${name}`);
  return found;
};
const ignored: ZExpr = { k: 'helper', base: zx('unknown'), helper: 'ignored', args: [] };
const shape = (entries: Array<{ key: string; e: ZExpr }>, spreads: ZExpr[] = []) => ({ k: 'shape' as const, spreads, entries });

describe('interpretExpr', () => {
  const cases: Array<{ name: string; expr: ZExpr; input: unknown; want: { ok: boolean; data?: unknown } }> = [
    { name: 'an ignored key accepts any value and is dropped', expr: zx('looseObject', shape([{ key: 'a', e: ignored }])), input: { a: 1, b: 2 }, want: { ok: true, data: { a: undefined, b: 2 } } },
    {
      name: 'compacted intersection operands do not clash on a dropped key',
      expr: zx(
        'intersection',
        { k: 'expr', e: { k: 'helper', base: zx('looseObject', shape([])), helper: 'compact', args: [] } },
        { k: 'expr', e: { k: 'helper', base: zx('looseObject', shape([{ key: 'a', e: ignored }])), helper: 'compact', args: [] } },
      ),
      input: { a: 1 },
      want: { ok: true, data: { a: 1 } },
    },
    { name: 'regex flags are kept (u for property escapes)', expr: chain(zx('string'), 'regex', { k: 'regex', source: '^\\p{Lu}$', flags: 'u' }), input: 'Ä', want: { ok: true, data: 'Ä' } },
    { name: 'a nullable ref is spread through unwrap', expr: zx('looseObject', shape([], [chain({ k: 'ref', name: 'MaybeObj', lazy: false }, 'unwrap')])), input: { id: 'x' }, want: { ok: false } },
    { name: 'lazy refs resolve on use', expr: zx('array', { k: 'expr', e: { k: 'ref', name: 'Str', lazy: true } }), input: ['a', 1], want: { ok: false } },
  ];
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = interpretExpr(c.expr, resolve).safeParse(c.input);
    expect(result.success).toBe(c.want.ok);
    if (c.want.ok && 'data' in c.want) expect(result.data).toStrictEqual(c.want.data);
  });

  test('a spread that is not an object schema is an error, not a silent empty shape', () => {
    expect(() => interpretExpr(zx('looseObject', shape([], [{ k: 'ref', name: 'Str', lazy: false }])), resolve)).toThrow(/Only object schemas/);
  });

  test('an unknown zod function is an error', () => {
    expect(() => interpretExpr(zx('noSuchThing'), resolve)).toThrow(/noSuchThing\(\) does not exist/);
  });
});
