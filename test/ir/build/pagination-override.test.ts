import { describe, expect, it } from 'vitest';
import { ConcordError } from '../../../src/errors.js';
import { parseOverride } from '../../../src/ir/build/pagination-override.js';
import { specConfigSchema } from '../../../src/config/schema.js';

// One field table checks `x-pagination` (by hand, in the IR builder) and the config file's `pagination` map (zod,
// built from the table): each row must be accepted or refused by both, and the x-pagination error must say why.
const rows: Array<{ given: unknown; want: { ok: true } | { error: RegExp } }> = [
  { given: { style: 'cursor', cursor: 'after', nextCursor: '$last.id', items: 'data', hasMore: 'has_more' }, want: { ok: true } },
  { given: { style: 'offset', offset: 'offset', limit: 'limit', items: '' }, want: { ok: true } },
  { given: { style: 'page', page: 'page', firstPage: 0, linkHeader: true }, want: { ok: true } },
  { given: { style: 'cursor' }, want: { error: /style "cursor" needs `cursor`/ } },
  { given: { style: 'offset', limit: 'limit' }, want: { error: /needs `offset`/ } },
  { given: { style: 'pages', page: 'p' }, want: { error: /^x-pagination: style: expected one of cursor\|offset\|page/ } },
  { given: { page: 'p' }, want: { error: /style: expected one of/ } },
  { given: { style: 'cursor', cursor: '' }, want: { error: /cursor: expected a non-empty string/ } },
  { given: { style: 'page', page: 'p', firstPage: 1.5 }, want: { error: /firstPage: expected an integer/ } },
  { given: { style: 'page', page: 'p', linkHeader: 'yes' }, want: { error: /linkHeader: expected a boolean/ } },
  { given: { style: 'page', page: 'p', items: 3 }, want: { error: /items: expected a string/ } },
  { given: { style: 'page', page: 'p', pageSize: 'n' }, want: { error: /pageSize: unrecognized key/ } },
  { given: ['cursor'], want: { error: /expected an object/ } },
  { given: null, want: { error: /expected an object/ } },
];

describe('pagination overrides: x-pagination and the config map agree', () => {
  it.each(rows)('$given', ({ given, want }) => {
    const where = { file: 'openapi.yaml', pointer: '/paths/~1items/get/x-pagination' };
    const config = specConfigSchema.safeParse({ spec: 'openapi.yaml', out: 'out', pagination: { listItems: given } });
    if ('ok' in want) {
      expect(parseOverride(given, where)).toEqual(given);
      // The config map accepts the same shape (the "needs `cursor`" rule is the IR builder's, for both).
      expect(config.success).toBe(true);
      return;
    }
    let error: unknown;
    try {
      parseOverride(given, where);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConcordError);
    expect((error as ConcordError).code).toBe('SPEC_INVALID');
    expect((error as ConcordError).location?.pointer).toBe(where.pointer);
    expect((error as ConcordError).message).toMatch(want.error);
    if (!/needs `/.test(String(want.error))) expect(config.success).toBe(false);
  });

  it('a config key names itself in the error', () => {
    expect(() => parseOverride({ style: 'cursor' }, { configKey: 'GET /items' })).toThrow(/pagination\["GET \/items"\]: style "cursor" needs `cursor`/);
  });
});
