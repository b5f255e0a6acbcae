import { int, ref, str, type Row } from './row-kit.js';

// Keywords apply only to their instance type (JSON Schema 2020-12 §7.6.1, and the same in draft 4 / OpenAPI 3.0):
// a schema without `type` does not make values of other types invalid.

export const INSTANCE_TYPE_ROWS: Row[] = [
  { name: 'minLength without type accepts non-strings', version: '3.1', schemas: { MinLenOnly: { minLength: 2 } }, subject: 'MinLenOnly', valid: ['ab', 5, null, true, [], {}], invalid: ['a'] },
  { name: 'pattern without type checks only strings', version: '3.1', schemas: { PatternOnly: { pattern: '^a' } }, subject: 'PatternOnly', valid: ['abc', 7, { a: 1 }], invalid: ['bcd'] },
  { name: 'minimum without type accepts non-numbers', version: '3.1', schemas: { MinOnly: { minimum: 3 } }, subject: 'MinOnly', valid: [3, 10.5, '1', null, []], invalid: [2, -1] },
  { name: '3.0 maximum without type accepts non-numbers', version: '3.0', schemas: { MaxOnly30: { maximum: 3, exclusiveMaximum: true } }, subject: 'MaxOnly30', valid: [2.5, 'ten', false], invalid: [3, 4] },
  { name: 'required without type accepts non-objects', version: '3.1', schemas: { NeedsId: { required: ['id'] } }, subject: 'NeedsId', valid: [{ id: 1 }, 'x', 3, null, [1]], invalid: [{}, { name: 'a' }] },
  { name: 'properties without type checks only objects', version: '3.1', schemas: { PropsOnly: { properties: { a: str } } }, subject: 'PropsOnly', valid: [{ a: 'x' }, {}, 'text', 1], invalid: [{ a: 1 }] },
  { name: 'items without type checks only arrays', version: '3.1', schemas: { ItemsOnly: { items: int, minItems: 1 } }, subject: 'ItemsOnly', valid: [[1], 'x', { a: 1 }], invalid: [[], ['a']] },
  { name: 'keywords of two types without type: each checks its own', version: '3.1', schemas: { TwoFamilies: { minLength: 2, minimum: 5 } }, subject: 'TwoFamilies', valid: ['ab', 5, true, {}], invalid: ['a', 4] },
  {
    name: 'allOf array beside minLength: the string keyword never applies',
    version: '3.1',
    schemas: { TagList: { type: 'array', items: str }, TagListMin: { allOf: [ref('TagList')], minLength: 1 } },
    subject: 'TagListMin',
    valid: [[], ['a', 'b']],
    invalid: ['abc', [1], 3],
    code: { lacks: ['z.intersection', 'min(1)'] },
  },
  {
    name: 'allOf string beside minLength: the keyword applies as if typed',
    version: '3.1',
    schemas: { PlainText: str, PlainTextMin: { allOf: [ref('PlainText'), { minLength: 2 }] } },
    subject: 'PlainTextMin',
    valid: ['ab'],
    invalid: ['a', 5, null],
  },
  {
    name: 'allOf integer beside minimum: the keyword applies',
    version: '3.1',
    schemas: { Count31: int, PositiveCount: { allOf: [ref('Count31'), { minimum: 1 }] } },
    subject: 'PositiveCount',
    valid: [1, 9],
    invalid: [0, 1.5, 'x'],
  },
  {
    name: 'allOf array beside required: the object keyword never applies',
    version: '3.1',
    schemas: { Row31: { type: 'array', items: int }, RowWithRequired: { allOf: [ref('Row31'), { required: ['id'] }] } },
    subject: 'RowWithRequired',
    valid: [[], [1, 2]],
    invalid: [{ id: 1 }, ['x']],
  },
  {
    name: 'oneOf of strings beside maxLength caps every branch',
    version: '3.1',
    schemas: { ShortChoice: { oneOf: [{ type: 'string', format: 'email' }, { type: 'string', pattern: '^\\d+$' }], maxLength: 8 } },
    subject: 'ShortChoice',
    valid: ['12345678', 'a@bc.de'],
    invalid: ['123456789', 'ab@cde.fg'],
  },
  {
    name: 'oneOf string or array beside minLength: only the string branch is constrained',
    version: '3.1',
    schemas: { TextOrList: { oneOf: [str, { type: 'array', items: str }], minLength: 2 } },
    subject: 'TextOrList',
    valid: ['ab', [], ['a']],
    invalid: ['a', 3],
  },
  {
    name: '3.0 nullable object beside required: null still passes, objects need the key',
    version: '3.0',
    schemas: { MaybeThing30: { type: 'object', nullable: true, properties: { id: int } }, MaybeThingId30: { allOf: [ref('MaybeThing30'), { required: ['id'] }] } },
    subject: 'MaybeThingId30',
    valid: [null, { id: 1 }],
    invalid: [{}, 'x'],
  },
];
