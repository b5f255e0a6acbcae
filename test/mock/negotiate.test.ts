import { describe, expect, test } from 'vitest';
import type { IrMediaType } from '../../src/ir/types.js';
import { negotiate, parsePrefer } from '../../src/mock/negotiate.js';
import { matchMediaType } from '../../templates/runtime/server-body.js';

const media = (mediaType: string, encoding: IrMediaType['encoding'] = 'json'): IrMediaType => ({ mediaType, encoding, schema: { kind: 'any', pointer: '' }, examples: [], streaming: false, pointer: '' });
const declared = [media('application/xml', 'text'), media('application/json'), media('image/*', 'binary')];

describe('negotiate', () => {
  const cases: Array<{ accept: string | undefined; want: string }> = [
    { accept: undefined, want: 'application/json' },
    { accept: '*/*', want: 'application/json' },
    { accept: 'application/xml', want: 'application/xml' },
    { accept: 'text/html;q=1, application/xml;q=0.5, application/json;q=0.8', want: 'application/json' },
    { accept: 'image/webp', want: 'image/webp' },
    { accept: 'image/*', want: 'image/png' },
    { accept: 'application/*', want: 'application/xml' },
    { accept: 'text/html', want: 'not-acceptable' },
    { accept: 'application/json;q=0', want: 'not-acceptable' },
  ];
  for (const c of cases) {
    test(`Accept: ${c.accept ?? '(none)'} -> ${c.want}`, () => {
      const result = negotiate(declared, c.accept);
      expect(result === 'not-acceptable' ? result : result.contentType).toBe(c.want);
    });
  }
});

describe('request Content-Type matching (the pipeline matchMediaType the mock and the provider share)', () => {
  test('exact base type first, then wildcards, parameters ignored', () => {
    const list = [{ mediaType: 'application/json', encoding: 'json' as const }, { mediaType: 'text/*', encoding: 'text' as const }];
    expect(matchMediaType(list, 'application/json; charset=utf-8')?.mediaType).toBe('application/json');
    expect(matchMediaType(list, 'text/csv')?.mediaType).toBe('text/*');
    expect(matchMediaType(list, 'application/xml')).toBeUndefined();
  });
});

describe('parsePrefer', () => {
  test('RFC 7240 preferences, quoted values keep their commas', () => {
    const prefer = parsePrefer('code=404, example="big one", dynamic, chaos="503=0.5,latency=1-2ms"; x=y, Code=500');
    expect(Object.fromEntries(prefer)).toEqual({ code: '404', example: 'big one', dynamic: 'true', chaos: '503=0.5,latency=1-2ms' });
  });
});
