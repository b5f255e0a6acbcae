import { int, ref, str, type Row } from './row-kit.js';

// Types, formats, bounds, enums, const, nullable forms, arrays and objects.

const strings: Row[] = [
  { name: 'string', version: '3.1', schemas: { Str: str }, subject: 'Str', valid: ['', 'a'], invalid: [1, null, true, {}, []] },
  { name: '$ref alias keeps the target rules', version: '3.1', schemas: { ShortCode: { type: 'string', minLength: 2 }, CodeAlias: ref('ShortCode') }, subject: 'CodeAlias', valid: ['ab'], invalid: ['a', 3] },
  { name: 'minLength, maxLength, anchored pattern', version: '3.1', schemas: { Slug: { type: 'string', minLength: 2, maxLength: 4, pattern: '^[a-z]+$' } }, subject: 'Slug', valid: ['ab', 'abcd'], invalid: ['a', 'abcde', 'AB', 'a1'] },
  { name: 'pattern is not anchored', version: '3.1', schemas: { ContainsB: { type: 'string', pattern: 'b' } }, subject: 'ContainsB', valid: ['abc', 'b'], invalid: ['xyz'] },
  { name: 'pattern with a Unicode property escape', version: '3.1', schemas: { Upper: { type: 'string', pattern: '^\\p{Lu}+$' } }, subject: 'Upper', valid: ['ÄB'], invalid: ['äb', 'p{Lu}'], code: { has: ['"u")'] } },
  { name: 'format date-time', version: '3.1', schemas: { Stamp: { type: 'string', format: 'date-time' } }, subject: 'Stamp', valid: ['2024-05-06T07:08:09Z', '2024-05-06T07:08:09.123+02:00'], invalid: ['2024-05-06', '2024-05-06T07:08:09', 'yesterday', 5] },
  { name: 'format date', version: '3.1', schemas: { Day: { type: 'string', format: 'date' } }, subject: 'Day', valid: ['2024-02-29'], invalid: ['2023-02-29', '2024-13-01', '2024-05-06T00:00:00Z'] },
  { name: 'format time (offset optional)', version: '3.1', schemas: { Clock: { type: 'string', format: 'time' } }, subject: 'Clock', valid: ['07:08:09', '07:08:09Z', '07:08:09.5+01:00'], invalid: ['7:08:09', '25:00:00', '07:08', 'noon'] },
  { name: 'format uuid', version: '3.1', schemas: { Uid: { type: 'string', format: 'uuid' } }, subject: 'Uid', valid: ['123e4567-e89b-12d3-a456-426614174000'], invalid: ['not-a-uuid', '123e4567e89b12d3a456426614174000'] },
  { name: 'format email', version: '3.1', schemas: { Mail: { type: 'string', format: 'email' } }, subject: 'Mail', valid: ['a@example.com'], invalid: ['a@', 'example.com'] },
  { name: 'format uri', version: '3.1', schemas: { Link: { type: 'string', format: 'uri' } }, subject: 'Link', valid: ['https://example.com/a?b=c', 'urn:isbn:0451450523'], invalid: ['/relative/path', 'not a uri'] },
  { name: 'format ipv4', version: '3.1', schemas: { Ip4: { type: 'string', format: 'ipv4' } }, subject: 'Ip4', valid: ['192.168.0.1'], invalid: ['256.1.1.1', '::1'] },
  { name: 'format ipv6', version: '3.1', schemas: { Ip6: { type: 'string', format: 'ipv6' } }, subject: 'Ip6', valid: ['::1', '2001:db8::8a2e:370:7334'], invalid: ['192.168.0.1', 'gggg::1'] },
  { name: 'format binary', version: '3.1', schemas: { Upload: { type: 'string', format: 'binary' } }, subject: 'Upload', valid: [new Blob(['x']), 'raw bytes'], invalid: [5, {}] },
  { name: 'format duration', version: '3.1', schemas: { Span: { type: 'string', format: 'duration' } }, subject: 'Span', valid: ['P1DT2H'], invalid: ['1 day'] },
];

const numbers: Row[] = [
  { name: 'integer without format (beyond 2^53 too)', version: '3.1', schemas: { Count: int }, subject: 'Count', valid: [0, -5, 2 ** 60], invalid: [1.5, '1', null] },
  { name: 'int32', version: '3.1', schemas: { I32: { type: 'integer', format: 'int32' } }, subject: 'I32', valid: [2147483647, -2147483648], invalid: [2147483648, 1.5] },
  { name: 'int64', version: '3.1', schemas: { I64: { type: 'integer', format: 'int64' } }, subject: 'I64', valid: [2 ** 60, -(2 ** 60)], invalid: [1.5, '1'] },
  { name: 'uint32', version: '3.1', schemas: { U32: { type: 'integer', format: 'uint32' } }, subject: 'U32', valid: [0, 4294967295], invalid: [-1, 4294967296] },
  { name: 'uint64 and int8', version: '3.1', schemas: { U64: { type: 'integer', format: 'uint64' }, I8: { type: 'integer', format: 'int8' } }, subject: 'U64', valid: [2 ** 60, 0], invalid: [-1] },
  { name: 'int8 range', version: '3.1', subject: 'I8', valid: [-128, 127], invalid: [128, -129] },
  { name: '3.1 numeric exclusiveMinimum with maximum', version: '3.1', schemas: { Ratio: { type: 'number', exclusiveMinimum: 0, maximum: 10 } }, subject: 'Ratio', valid: [0.5, 10], invalid: [0, -1, 10.5] },
  { name: '3.0 boolean exclusive bounds', version: '3.0', schemas: { Open30: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true } }, subject: 'Open30', valid: [0.5, 9.9], invalid: [0, 10] },
  { name: '3.0 inclusive bounds', version: '3.0', schemas: { Closed30: { type: 'integer', minimum: 1, maximum: 3 } }, subject: 'Closed30', valid: [1, 3], invalid: [0, 4, 2.5] },
  { name: 'multipleOf (decimal)', version: '3.1', schemas: { Step: { type: 'number', multipleOf: 0.1 } }, subject: 'Step', valid: [0.3, 1.2], invalid: [0.35] },
  { name: 'multipleOf (integer)', version: '3.1', schemas: { FiveStep: { type: 'integer', multipleOf: 5 } }, subject: 'FiveStep', valid: [10, 0], invalid: [7] },
];

const enums: Row[] = [
  { name: 'string enum', version: '3.1', schemas: { Color: { type: 'string', enum: ['red', 'green'] } }, subject: 'Color', valid: ['red'], invalid: ['blue', 1], code: { has: ['z.enum('] } },
  { name: 'integer enum', version: '3.1', schemas: { Level: { type: 'integer', enum: [1, 2, 3] } }, subject: 'Level', valid: [2], invalid: [4, '1'] },
  { name: 'mixed enum', version: '3.1', schemas: { Mixed: { enum: ['a', 1, true] } }, subject: 'Mixed', valid: ['a', 1, true], invalid: [false, 'b', null] },
  { name: '3.1 enum with null', version: '3.1', schemas: { MaybeAb: { type: ['string', 'null'], enum: ['a', 'b', null] } }, subject: 'MaybeAb', valid: ['a', null], invalid: ['c'] },
  { name: '3.0 nullable enum listing null', version: '3.0', schemas: { MaybeAb30: { type: 'string', nullable: true, enum: ['a', 'b', null] } }, subject: 'MaybeAb30', valid: ['a', null], invalid: ['c'] },
  { name: 'enum values that need escaping', version: '3.1', schemas: { Quotes: { type: 'string', enum: ["it's", 'say "hi"', 'back`tick', '${x}', '*/'] } }, subject: 'Quotes', valid: ["it's", 'say "hi"', 'back`tick', '${x}', '*/'], invalid: ['its'] },
  { name: 'const string', version: '3.1', schemas: { Fixed: { const: 'fixed' } }, subject: 'Fixed', valid: ['fixed'], invalid: ['other'] },
  { name: 'const number', version: '3.1', schemas: { Answer: { type: 'number', const: 42.5 } }, subject: 'Answer', valid: [42.5], invalid: [42] },
  { name: 'const null', version: '3.1', schemas: { Nothing: { const: null } }, subject: 'Nothing', valid: [null], invalid: [0, 'null'] },
  { name: 'const false', version: '3.1', schemas: { No: { const: false } }, subject: 'No', valid: [false], invalid: [true, 0] },
];

const nullables: Row[] = [
  { name: '3.1 type array with null', version: '3.1', schemas: { MaybeStr: { type: ['string', 'null'] } }, subject: 'MaybeStr', valid: ['a', null], invalid: [1] },
  { name: '3.1 type array of two types', version: '3.1', schemas: { StrOrInt31: { type: ['string', 'integer'] } }, subject: 'StrOrInt31', valid: ['a', 3], invalid: [1.5, null] },
  { name: 'oneOf [null, $ref]', version: '3.1', schemas: { MaybeSlug: { oneOf: [{ type: 'null' }, ref('Slug')] } }, subject: 'MaybeSlug', valid: [null, 'ab'], invalid: ['A', 1] },
  { name: 'anyOf [$ref, null]', version: '3.1', schemas: { MaybeCode: { anyOf: [ref('ShortCode'), { type: 'null' }] } }, subject: 'MaybeCode', valid: [null, 'ab'], invalid: ['a'] },
  { name: "type 'null' beside allOf $ref (nullable $ref)", version: '3.1', schemas: { NullOrCode: { type: 'null', allOf: [ref('ShortCode')] } }, subject: 'NullOrCode', valid: [null, 'ab'], invalid: ['a', 1] },
  {
    name: '3.0 nullable object and property',
    version: '3.0',
    schemas: { MaybeBox30: { type: 'object', nullable: true, properties: { a: { type: 'string', nullable: true } } } },
    subject: 'MaybeBox30',
    valid: [null, { a: null }, {}],
    invalid: [{ a: 1 }, 'x'],
  },
  {
    name: '3.0 nullable allOf $ref',
    version: '3.0',
    schemas: { Point30: { type: 'object', required: ['x', 'y'], properties: { x: { type: 'number' }, y: { type: 'number' } } }, MaybePoint30: { allOf: [ref('Point30')], nullable: true } },
    subject: 'MaybePoint30',
    valid: [null, { x: 1, y: 2 }],
    invalid: [{ x: 1 }, 1],
  },
];

const arrays: Row[] = [
  { name: 'items with minItems and maxItems', version: '3.1', schemas: { Tags: { type: 'array', items: str, minItems: 1, maxItems: 2 } }, subject: 'Tags', valid: [['a'], ['a', 'b']], invalid: [[], ['a', 'b', 'c'], [1], 'a'] },
  { name: 'uniqueItems compares by value', version: '3.1', schemas: { Distinct: { type: 'array', uniqueItems: true, items: { type: 'object' } } }, subject: 'Distinct', valid: [[{ a: 1 }, { a: 2 }], []], invalid: [[{ a: 1 }, { a: 1 }]] },
  // JSON Schema 2020-12: prefix positions are checked when present; only `items: false` closes the tuple.
  {
    name: 'prefixItems without items: shorter arrays and any rest',
    version: '3.1',
    schemas: { Pair31: { type: 'array', prefixItems: [str, int] } },
    subject: 'Pair31',
    valid: [['a', 1], [], ['a'], ['a', 1, 2], ['a', 1, { any: true }]],
    invalid: [[1, 'a'], [1], ['a', 'b'], 'a'],
    code: { has: ['z.tuple([z.string().optional(), z.number().superRefine(zh.integer()).optional()], z.unknown())'] },
  },
  {
    name: 'prefixItems with items false: a closed tuple, shorter arrays allowed',
    version: '3.1',
    schemas: { Closed31: { type: 'array', prefixItems: [str, int], items: false } },
    subject: 'Closed31',
    valid: [['a', 1], [], ['a']],
    invalid: [['a', 1, 2], ['a', 'b'], [1]],
    output: [{ input: ['a'], want: ['a'] }],
  },
  {
    name: 'prefixItems with items: a tuple with a rest, length checked',
    version: '3.1',
    schemas: { Head31: { type: 'array', prefixItems: [str], items: int, maxItems: 3 } },
    subject: 'Head31',
    valid: [['a'], ['a', 1, 2], []],
    invalid: [['a', 1, 2, 3], ['a', 'b'], [1]],
    code: { has: ['zr.itemCount(null, 3)'] },
  },
  {
    name: 'prefixItems with any-value positions and minItems: absent positions are not filled in',
    version: '3.1',
    schemas: { AnyHead31: { type: 'array', prefixItems: [{}, {}], minItems: 2 } },
    subject: 'AnyHead31',
    valid: [[null, null], [1, 2, 3]],
    invalid: [[], [1]],
    output: [{ input: [1, 2, 3], want: [1, 2, 3] }],
  },
  {
    name: 'prefixItems with items false and minItems: required positions, the tuple checks the length',
    version: '3.1',
    schemas: { Full31: { type: 'array', prefixItems: [str, int], items: false, minItems: 2 } },
    subject: 'Full31',
    valid: [['a', 1]],
    invalid: [[], ['a'], ['a', 1, 2]],
    code: { has: ['z.tuple([z.string(), z.number().superRefine(zh.integer())])'], lacks: ['itemCount'] },
  },
  { name: 'nested arrays', version: '3.1', schemas: { Matrix: { type: 'array', items: { type: 'array', items: { type: 'number' } } } }, subject: 'Matrix', valid: [[[1, 2], [3]]], invalid: [[[1, '2']], [1]] },
];

const objects: Row[] = [
  {
    name: 'object: required, optional, extra keys kept',
    version: '3.1',
    schemas: { Person: { type: 'object', required: ['name'], properties: { name: str, age: int } } },
    subject: 'Person',
    valid: [{ name: 'a' }, { name: 'a', age: 3, extra: true }],
    invalid: [{}, { name: 1 }, { name: 'a', age: 'x' }, null, []],
    output: [{ input: { name: 'a', extra: true }, want: { name: 'a', extra: true } }],
  },
  { name: 'additionalProperties: false', version: '3.1', schemas: { Closed: { type: 'object', additionalProperties: false, properties: { a: str } } }, subject: 'Closed', valid: [{ a: 'x' }, {}], invalid: [{ a: 'x', b: 1 }] },
  { name: 'additionalProperties: schema', version: '3.1', schemas: { IntMap: { type: 'object', additionalProperties: int } }, subject: 'IntMap', valid: [{}, { a: 1 }], invalid: [{ a: 'x' }] },
  { name: 'properties beside an additionalProperties schema', version: '3.1', schemas: { Counted: { type: 'object', properties: { name: str }, additionalProperties: int } }, subject: 'Counted', valid: [{ name: 'a', n: 1 }], invalid: [{ name: 'a', n: 'x' }, { name: 2 }] },
  { name: 'patternProperties', version: '3.1', schemas: { Patterned: { type: 'object', patternProperties: { '^x-': str } } }, subject: 'Patterned', valid: [{ 'x-a': 'b', other: 1 }], invalid: [{ 'x-a': 1 }] },
  {
    name: 'patternProperties with additionalProperties: false',
    version: '3.1',
    schemas: { PatternedClosed: { type: 'object', properties: { id: int }, patternProperties: { '^x-': str }, additionalProperties: false } },
    subject: 'PatternedClosed',
    valid: [{ id: 1, 'x-a': 'b' }, {}],
    invalid: [{ id: 1, other: 1 }, { 'x-a': 1 }, { id: 'x' }],
  },
  {
    name: 'patternProperties with an additionalProperties schema',
    version: '3.1',
    schemas: { PatternedTyped: { type: 'object', patternProperties: { '^n_': int }, additionalProperties: { type: 'boolean' } } },
    subject: 'PatternedTyped',
    valid: [{ n_a: 1, flag: true }],
    invalid: [{ n_a: 1, flag: 1 }, { n_a: true }],
  },
  { name: 'minProperties and maxProperties', version: '3.1', schemas: { Sized: { type: 'object', minProperties: 1, maxProperties: 2 } }, subject: 'Sized', valid: [{ a: 1 }, { a: 1, b: 2 }], invalid: [{}, { a: 1, b: 2, c: 3 }] },
  {
    name: 'property names that are not identifiers',
    version: '3.1',
    schemas: { Keys: { type: 'object', required: ['a-b', 'constructor'], properties: { 'a-b': int, $x: { type: 'boolean' }, constructor: str, 'quote"d': str } } },
    subject: 'Keys',
    valid: [{ 'a-b': 1, constructor: 'c' }, { 'a-b': 1, constructor: 'c', $x: true, 'quote"d': 'q' }],
    invalid: [{ 'a-b': 1 }, { 'a-b': 'x', constructor: 'c' }, { 'a-b': 1, constructor: 'c', 'quote"d': 1 }],
  },
  { name: 'required key without a schema', version: '3.1', schemas: { MustHaveId: { type: 'object', required: ['id'] } }, subject: 'MustHaveId', valid: [{ id: null }, { id: 1 }], invalid: [{}] },
  { name: 'empty schema accepts anything', version: '3.1', schemas: { Anything: {} }, subject: 'Anything', valid: [1, 'a', null, {}, []], invalid: [] },
  { name: 'property schema false', version: '3.1', schemas: { NoGone: { type: 'object', properties: { gone: false } } }, subject: 'NoGone', valid: [{}, { kept: 1 }], invalid: [{ gone: 1 }] },
];

export const KEYWORD_ROWS: Row[] = [...strings, ...numbers, ...enums, ...nullables, ...arrays, ...objects];
