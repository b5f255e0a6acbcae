import { describe, expect, it } from 'vitest';
import {
  coerceScalar,
  formToObject,
  parseCookieHeader,
  parseCookieParam,
  parseHeaderParam,
  parsePathParam,
  parseQueryParam,
  parseQueryString,
  type ServerParamSpec,
  type WireHint,
} from '../../../templates/runtime/server-params.js';

const spec = (name: string, where: ServerParamSpec['in'], style: ServerParamSpec['style'], explode: boolean, hint: WireHint, contentType?: string): ServerParamSpec => ({
  name,
  in: where,
  style,
  explode,
  hint,
  ...(contentType === undefined ? {} : { contentType }),
});

const color: WireHint = { array: 'string' };
const point: WireHint = { object: { x: 'integer', y: 'integer' } };

describe('coerceScalar', () => {
  it.each([
    { given: ['42', 'integer'], want: 42 },
    { given: ['-1.5e3', 'number'], want: -1500 },
    { given: ['0x10', 'integer'], want: '0x10' },
    { given: ['', 'number'], want: '' },
    { given: ['true', 'boolean'], want: true },
    { given: ['yes', 'boolean'], want: 'yes' },
    { given: ['', 'null'], want: null },
    { given: ['7', 'string'], want: '7' },
    { given: ['7', 'any'], want: '7' },
  ] as const)('$given -> $want', ({ given, want }) => {
    expect(coerceScalar(given[0], given[1])).toEqual(want);
  });
});

describe('path parameters (OpenAPI style examples)', () => {
  it.each([
    { style: 'simple', explode: false, hint: 'integer', raw: '5', want: 5 },
    { style: 'simple', explode: false, hint: color, raw: 'blue,black,brown', want: ['blue', 'black', 'brown'] },
    { style: 'simple', explode: false, hint: point, raw: 'x,1,y,2', want: { x: 1, y: 2 } },
    { style: 'simple', explode: true, hint: point, raw: 'x=1,y=2', want: { x: 1, y: 2 } },
    { style: 'label', explode: false, hint: 'string', raw: '.blue', want: 'blue' },
    { style: 'label', explode: true, hint: color, raw: '.blue.black', want: ['blue', 'black'] },
    { style: 'matrix', explode: false, hint: 'integer', raw: ';id=5', want: 5 },
    { style: 'matrix', explode: false, hint: color, raw: ';id=blue,black', want: ['blue', 'black'] },
    { style: 'matrix', explode: true, hint: color, raw: ';id=blue;id=black', want: ['blue', 'black'] },
    { style: 'matrix', explode: true, hint: point, raw: ';x=1;y=2', want: { x: 1, y: 2 } },
    { style: 'simple', explode: false, hint: 'string', raw: 'a%2Fb%20c', want: 'a/b c' },
    { style: 'simple', explode: false, hint: 'string', raw: '%E0%A4%A', want: '%E0%A4%A' },
  ] as const)('$style explode=$explode $raw', ({ style, explode, hint, raw, want }) => {
    expect(parsePathParam(spec('id', 'path', style, explode, hint), raw)).toEqual(want);
  });
});

describe('query parameters', () => {
  const pairs = (search: string): Array<[string, string]> => parseQueryString(search);
  it.each([
    { name: 'form scalar', param: spec('limit', 'query', 'form', true, 'integer'), search: '?limit=10', want: 10 },
    { name: 'absent', param: spec('limit', 'query', 'form', true, 'integer'), search: '?other=1', want: undefined },
    { name: 'form exploded array', param: spec('id', 'query', 'form', true, { array: 'integer' }), search: 'id=3&id=4', want: [3, 4] },
    { name: 'form array', param: spec('id', 'query', 'form', false, { array: 'integer' }), search: 'id=3,4,5', want: [3, 4, 5] },
    { name: 'space delimited', param: spec('id', 'query', 'spaceDelimited', false, color), search: 'id=blue%20black', want: ['blue', 'black'] },
    { name: 'pipe delimited', param: spec('id', 'query', 'pipeDelimited', false, color), search: 'id=blue|black', want: ['blue', 'black'] },
    { name: 'plus is a space', param: spec('q', 'query', 'form', true, 'string'), search: 'q=a+b%2Bc', want: 'a b+c' },
    { name: 'form object', param: spec('p', 'query', 'form', false, point), search: 'p=x,1,y,2', want: { x: 1, y: 2 } },
    { name: 'exploded form object', param: spec('p', 'query', 'form', true, point), search: 'x=1&y=2&limit=3', want: { x: 1, y: 2 } },
    { name: 'deepObject', param: spec('filter', 'query', 'deepObject', true, { object: { age: 'integer', tag: { array: 'string' } } }), search: 'filter%5Bage%5D=3&filter[tag]=a&filter[tag]=b', want: { age: 3, tag: ['a', 'b'] } },
    { name: 'content JSON', param: spec('where', 'query', 'form', true, 'any', 'application/json'), search: `where=${encodeURIComponent('{"a":[1]}')}`, want: { a: [1] } },
  ])('$name', ({ param, search, want }) => {
    expect(parseQueryParam(param, pairs(search), new Set(['limit']))).toEqual(want);
  });
});

describe('headers and cookies', () => {
  it('splits headers per style and reads cookies by name', () => {
    expect(parseHeaderParam(spec('X-Ids', 'header', 'simple', false, { array: 'integer' }), '1, 2,3')).toEqual([1, 2, 3]);
    expect(parseHeaderParam(spec('X-Point', 'header', 'simple', true, point), 'x=1,y=2')).toEqual({ x: 1, y: 2 });
    expect(parseHeaderParam(spec('X-Flag', 'header', 'simple', false, 'boolean'), undefined)).toBeUndefined();
    const cookies = parseCookieHeader('session=abc%20d; theme=dark; session=second; broken');
    expect(parseCookieParam(spec('session', 'cookie', 'form', true, 'string'), cookies)).toBe('abc d');
    expect(parseCookieParam(spec('missing', 'cookie', 'form', true, 'string'), cookies)).toBeUndefined();
  });
});

describe('form bodies', () => {
  it('types fields, collects repeated names, and parses nested JSON the client sent', () => {
    const hint: WireHint = { object: { age: 'integer', tags: { array: 'string' }, owner: { object: { name: 'string' } }, ok: 'boolean' } };
    const params = new URLSearchParams('age=3&tags=a&tags=b&owner=%7B%22name%22%3A%22Ann%22%7D&ok=false&extra=1&extra=2');
    expect(formToObject(params, hint)).toEqual({ age: 3, tags: ['a', 'b'], owner: { name: 'Ann' }, ok: false, extra: ['1', '2'] });
  });
});
