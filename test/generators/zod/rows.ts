import type { Subject } from './harness.js';

/**
 * One case of the schema-to-zod translation: the component schemas it needs (names are unique across all rows
 * of a version, so each version's rows share one document and one generated file), what is validated, and the
 * values that must pass and fail. `output` pins the parsed result (compared after a JSON round trip, which is
 * what goes over the wire: ignored keys are left `undefined` and vanish); `code` pins what the printed const says.
 */
export interface Row {
  name: string;
  version: '3.0' | '3.1';
  schemas?: Record<string, unknown>;
  paths?: Record<string, unknown>;
  subject: Subject;
  valid: unknown[];
  invalid: unknown[];
  output?: Array<{ input: unknown; want: unknown }>;
  code?: { has?: string[]; lacks?: string[] };
}

const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const int = { type: 'integer' };

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
  { name: 'prefixItems without items: a fixed tuple', version: '3.1', schemas: { Pair31: { type: 'array', prefixItems: [str, int] } }, subject: 'Pair31', valid: [['a', 1]], invalid: [['a'], [1, 'a'], ['a', 1, 2]] },
  {
    name: 'prefixItems with items: a tuple with a rest, length checked',
    version: '3.1',
    schemas: { Head31: { type: 'array', prefixItems: [str], items: int, maxItems: 3 } },
    subject: 'Head31',
    valid: [['a'], ['a', 1, 2]],
    invalid: [['a', 1, 2, 3], ['a', 'b'], []],
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

const allOfs: Row[] = [
  {
    name: 'allOf merges a $ref with an inline object',
    version: '3.1',
    schemas: {
      AllOfBase: { type: 'object', required: ['id'], properties: { id: int, note: str, status: str } },
      AllOfChild: { allOf: [ref('AllOfBase'), { type: 'object', required: ['name'], properties: { name: str } }] },
    },
    subject: 'AllOfChild',
    valid: [{ id: 1, name: 'a' }, { id: 1, name: 'a', note: 'n' }],
    invalid: [{ id: 1 }, { name: 'a' }, { id: 'x', name: 'a' }],
    code: { has: ['...AllOfBase.shape'], lacks: ['z.intersection('] },
  },
  {
    name: 'allOf: an inline member overrides (narrows) a key and keeps it required',
    version: '3.1',
    schemas: { AllOfNarrowed: { allOf: [ref('AllOfBase'), { type: 'object', properties: { id: { type: 'integer', minimum: 10 }, status: { type: 'string', enum: ['active'] } } }] } },
    subject: 'AllOfNarrowed',
    valid: [{ id: 10 }, { id: 11, status: 'active' }],
    invalid: [{ id: 9 }, {}, { id: 10, status: 'gone' }],
  },
  {
    name: 'allOf: `required` alone makes a parent key required and keeps its schema',
    version: '3.1',
    schemas: { AllOfRequired: { allOf: [ref('AllOfBase'), { required: ['note'] }] } },
    subject: 'AllOfRequired',
    valid: [{ id: 1, note: 'n' }],
    invalid: [{ id: 1 }, { id: 1, note: 5 }],
  },
  {
    name: 'allOf with `required` beside it (on the parent) makes a ref key required',
    version: '3.1',
    schemas: { AllOfParentRequired: { allOf: [ref('AllOfBase')], required: ['note'] } },
    subject: 'AllOfParentRequired',
    valid: [{ id: 1, note: 'n' }],
    invalid: [{ id: 1 }, { id: 1, note: 5 }],
  },
  {
    name: 'allOf of a union and an object distributes into a union of merged objects',
    version: '3.1',
    schemas: { NamedPet: { allOf: [ref('Pet'), { type: 'object', required: ['name'], properties: { name: str } }] } },
    subject: 'NamedPet',
    valid: [{ petType: 'cat', meow: true, name: 'n' }, { petType: 'dog', bark: true, name: 'n' }],
    invalid: [{ petType: 'cat', meow: true }, { petType: 'dog', meow: true, name: 'n' }],
    code: { has: ['z.discriminatedUnion("petType"', '...Cat.shape'], lacks: ['z.intersection('] },
  },
  {
    name: 'keywords beside oneOf constrain every branch',
    version: '3.1',
    schemas: { CappedContact: { oneOf: [{ type: 'string', format: 'email' }, { type: 'string', format: 'uuid' }], maxLength: 20 } },
    subject: 'CappedContact',
    valid: ['a@example.com'],
    invalid: ['a-much-longer-name@example.com', 'not either'],
  },
  {
    name: 'an allOf that stays an intersection tolerates a key one operand drops (request shape)',
    version: '3.1',
    schemas: {
      Stamped: {
        allOf: [{ oneOf: [{ type: 'object', required: ['a'], properties: { a: str } }, str] }, { type: 'object', properties: { stamp: { type: 'string', readOnly: true } } }],
      },
    },
    subject: 'StampedRequest',
    valid: [{ a: 'x' }, { a: 'x', stamp: 'y' }],
    invalid: [{ stamp: 'y' }, 'text'],
    // The other operand passes `stamp` through: zod merges the two outputs, so here the key is not dropped.
    output: [{ input: { a: 'x', stamp: 'y' }, want: { a: 'x', stamp: 'y' } }],
    code: { has: ['z.intersection(', '.overwrite(zh.compact)'] },
  },
  {
    name: 'allOf over a nullable $ref still merges (the other member rules out null)',
    version: '3.0',
    schemas: {
      MaybeBase30: { type: 'object', nullable: true, required: ['id'], properties: { id: int } },
      Derived30: { allOf: [ref('MaybeBase30'), { type: 'object', properties: { extra: str } }] },
    },
    subject: 'Derived30',
    valid: [{ id: 1 }, { id: 1, extra: 'x' }],
    invalid: [null, { extra: 'x' }, { id: 1, extra: 2 }],
    code: { has: ['...MaybeBase30.unwrap().shape'], lacks: ['z.intersection('] },
  },
  {
    name: 'a recursive allOf over a nullable $ref',
    version: '3.0',
    schemas: { Chain30: { allOf: [ref('MaybeBase30'), { type: 'object', properties: { next: ref('Chain30') } }] } },
    subject: 'Chain30',
    valid: [{ id: 1 }, { id: 1, next: { id: 2, next: { id: 3 } } }],
    invalid: [null, { id: 1, next: {} }, { id: 1, next: null }],
    code: { has: ['z.lazy(', '...MaybeBase30.unwrap().shape'] },
  },
  { name: 'allOf of strings is an intersection', version: '3.1', schemas: { TwoToThree: { allOf: [{ type: 'string', minLength: 2 }, { type: 'string', maxLength: 3 }] } }, subject: 'TwoToThree', valid: ['ab'], invalid: ['a', 'abcd'], code: { has: ['z.intersection('] } },
  {
    name: 'allOf of closed objects stays closed',
    version: '3.1',
    schemas: { AllClosed: { allOf: [{ type: 'object', properties: { a: str }, additionalProperties: false }, { type: 'object', properties: { b: str }, additionalProperties: false }] } },
    subject: 'AllClosed',
    valid: [{ a: 'x', b: 'y' }, {}],
    invalid: [{ a: 'x', c: 1 }],
    code: { has: ['z.strictObject('] },
  },
];

const unions: Row[] = [
  { name: 'oneOf of primitives', version: '3.1', schemas: { StrOrInt: { oneOf: [str, int] } }, subject: 'StrOrInt', valid: ['a', 1], invalid: [1.5, null], code: { has: ['z.union('] } },
  {
    name: 'anyOf of objects (any member may match)',
    version: '3.1',
    schemas: { AOrB: { anyOf: [{ type: 'object', required: ['a'], properties: { a: str } }, { type: 'object', required: ['b'], properties: { b: int } }] } },
    subject: 'AOrB',
    valid: [{ a: 'x' }, { b: 1 }, { a: 'x', b: 1 }],
    invalid: [{}, { a: 1 }],
  },
];

const petSchemas = {
  Cat: { type: 'object', required: ['petType', 'meow'], properties: { petType: str, meow: { type: 'boolean' } } },
  Dog: { type: 'object', required: ['petType', 'bark'], properties: { petType: str, bark: { type: 'boolean' } } },
  Pet: { oneOf: [ref('Cat'), ref('Dog')], discriminator: { propertyName: 'petType', mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } } },
};
const vehicleSchemas = {
  Vehicle: {
    type: 'object',
    required: ['vtype'],
    properties: { vtype: str, wheels: int },
    discriminator: { propertyName: 'vtype', mapping: { car: '#/components/schemas/Car', bike: '#/components/schemas/Bike', sports: '#/components/schemas/SportsCar' } },
  },
  Car: { allOf: [ref('Vehicle'), { type: 'object', properties: { doors: int } }] },
  Bike: { allOf: [ref('Vehicle'), { type: 'object', properties: { gears: int } }] },
  SportsCar: { allOf: [ref('Car'), { type: 'object', properties: { turbo: { type: 'boolean' } } }] },
  AnyVehicle: { oneOf: [ref('Car'), ref('Bike'), ref('SportsCar')] },
};

const discriminators: Row[] = [
  {
    name: 'oneOf with discriminator mapping: discriminatedUnion',
    version: '3.1',
    schemas: petSchemas,
    subject: 'Pet',
    valid: [{ petType: 'cat', meow: true }, { petType: 'dog', bark: false }],
    invalid: [{ petType: 'cat', bark: true }, { petType: 'bird' }, { meow: true }, { petType: 'Cat', meow: true }],
    code: { has: ['z.discriminatedUnion("petType"'] },
  },
  { name: 'a mapped member is narrowed to its value', version: '3.1', subject: 'Cat', valid: [{ petType: 'cat', meow: true }], invalid: [{ petType: 'dog', meow: true }] },
  {
    name: 'implicit mapping by component name',
    version: '3.1',
    schemas: {
      Circle: { type: 'object', required: ['kind', 'radius'], properties: { kind: str, radius: { type: 'number' } } },
      Square: { type: 'object', required: ['kind', 'side'], properties: { kind: str, side: { type: 'number' } } },
      Figure: { oneOf: [ref('Circle'), ref('Square')], discriminator: { propertyName: 'kind' } },
    },
    subject: 'Figure',
    valid: [{ kind: 'Circle', radius: 1 }, { kind: 'Square', side: 2 }],
    invalid: [{ kind: 'circle', radius: 1 }, { kind: 'Square', radius: 1 }],
    code: { has: ['z.discriminatedUnion("kind"'] },
  },
  {
    name: "implicit mapping: a member's own enum wins over its component key",
    version: '3.1',
    schemas: {
      FnTool: { type: 'object', required: ['type', 'name'], properties: { type: { type: 'string', enum: ['function'] }, name: str } },
      WebTool: { type: 'object', required: ['type'], properties: { type: { const: 'web' } } },
      Tool: { oneOf: [ref('FnTool'), ref('WebTool')], discriminator: { propertyName: 'type' } },
    },
    subject: 'Tool',
    valid: [{ type: 'function', name: 'f' }, { type: 'web' }],
    invalid: [{ type: 'FnTool', name: 'f' }, { type: 'WebTool' }, { type: 'function' }],
    code: { has: ['z.discriminatedUnion("type", [FnTool, WebTool])'] },
  },
  { name: 'a member with its own enum is not narrowed to its component key', version: '3.1', subject: 'FnTool', valid: [{ type: 'function', name: 'f' }], invalid: [{ type: 'FnTool', name: 'f' }] },
  {
    name: 'allOf-based members (nested subtypes) without a discriminator on the oneOf',
    version: '3.1',
    schemas: vehicleSchemas,
    subject: 'AnyVehicle',
    valid: [{ vtype: 'car', doors: 4 }, { vtype: 'bike' }, { vtype: 'sports', turbo: true, doors: 2 }],
    invalid: [{ vtype: 'boat' }, { vtype: 'car', doors: 'four' }, { vtype: 'sports', turbo: 'yes' }, {}],
    code: { has: ['z.discriminatedUnion("vtype"'] },
  },
  { name: 'an allOf subtype is narrowed to its mapping value', version: '3.1', subject: 'SportsCar', valid: [{ vtype: 'sports' }], invalid: [{ vtype: 'car' }, {}], code: { has: ['...Car.shape'] } },
  { name: 'the discriminated parent itself is not narrowed', version: '3.1', subject: 'Vehicle', valid: [{ vtype: 'anything' }], invalid: [{ wheels: 2 }] },
  {
    name: 'inline members with const discriminator values',
    version: '3.1',
    schemas: {
      UiEvent: {
        oneOf: [
          { type: 'object', required: ['type', 'x'], properties: { type: { const: 'click' }, x: int } },
          { type: 'object', required: ['type', 'key'], properties: { type: { const: 'key' }, key: str } },
        ],
        discriminator: { propertyName: 'type' },
      },
    },
    subject: 'UiEvent',
    valid: [{ type: 'click', x: 1 }, { type: 'key', key: 'k' }],
    invalid: [{ type: 'scroll' }, { type: 'click', key: 'k' }],
    code: { has: ['z.discriminatedUnion("type"'] },
  },
  {
    name: 'a member that is not an object: plain union',
    version: '3.1',
    schemas: { CatOrToken: { oneOf: [ref('Cat'), str], discriminator: { propertyName: 'petType', mapping: { cat: '#/components/schemas/Cat' } } } },
    subject: 'CatOrToken',
    valid: ['token', { petType: 'cat', meow: true }],
    invalid: [5, { petType: 'cat' }],
    code: { has: ['z.union('], lacks: ['discriminatedUnion'] },
  },
  {
    name: '3.0 discriminator with mapping',
    version: '3.0',
    schemas: {
      Cat30: { type: 'object', required: ['petType'], properties: { petType: str, lives: int } },
      Dog30: { type: 'object', required: ['petType'], properties: { petType: str, good: { type: 'boolean' } } },
      Pet30: { oneOf: [ref('Cat30'), ref('Dog30')], discriminator: { propertyName: 'petType', mapping: { c: '#/components/schemas/Cat30', d: '#/components/schemas/Dog30' } } },
    },
    subject: 'Pet30',
    valid: [{ petType: 'c', lives: 9 }, { petType: 'd', good: true }],
    invalid: [{ petType: 'c', lives: 'nine' }, { petType: 'Cat30' }],
    code: { has: ['z.discriminatedUnion("petType"'] },
  },
];

const recursion: Row[] = [
  {
    name: 'self recursion through an array',
    version: '3.1',
    schemas: { TreeNode: { type: 'object', required: ['id'], properties: { id: str, children: { type: 'array', items: ref('TreeNode') } } } },
    subject: 'TreeNode',
    valid: [{ id: 'a' }, { id: 'a', children: [{ id: 'b', children: [] }] }],
    invalid: [{ id: 'a', children: [{}] }, { id: 'a', children: [{ id: 'b', children: [{ id: 1 }] }] }],
    code: { has: ['z.lazy('] },
  },
  {
    name: 'mutual recursion',
    version: '3.1',
    schemas: {
      Folder: { type: 'object', required: ['name'], properties: { name: str, files: { type: 'array', items: ref('File') } } },
      File: { type: 'object', required: ['name'], properties: { name: str, parent: ref('Folder') } },
    },
    subject: 'Folder',
    valid: [{ name: 'f', files: [{ name: 'x', parent: { name: 'g' } }] }],
    invalid: [{ name: 'f', files: [{ parent: { name: 'g' } }] }, { name: 'f', files: [{ name: 'x', parent: { name: 1 } }] }],
  },
  {
    name: 'recursion through a discriminated union (plain union of lazy members)',
    version: '3.1',
    schemas: {
      Expr: { oneOf: [ref('Lit'), ref('Sum')], discriminator: { propertyName: 'op', mapping: { lit: '#/components/schemas/Lit', sum: '#/components/schemas/Sum' } } },
      Lit: { type: 'object', required: ['op', 'value'], properties: { op: str, value: { type: 'number' } } },
      Sum: { type: 'object', required: ['op', 'left', 'right'], properties: { op: str, left: ref('Expr'), right: ref('Expr') } },
    },
    subject: 'Expr',
    valid: [{ op: 'lit', value: 1 }, { op: 'sum', left: { op: 'lit', value: 1 }, right: { op: 'sum', left: { op: 'lit', value: 2 }, right: { op: 'lit', value: 3 } } }],
    invalid: [{ op: 'sum', left: { op: 'lit', value: 'x' }, right: { op: 'lit', value: 1 } }, { op: 'sum', value: 1 }, { op: 'lit', left: { op: 'lit', value: 1 }, right: { op: 'lit', value: 1 } }],
    code: { has: ['z.union('], lacks: ['discriminatedUnion'] },
  },
  {
    name: 'nullable self reference',
    version: '3.1',
    schemas: { Remark: { type: 'object', required: ['id', 'parent'], properties: { id: str, parent: { oneOf: [ref('Remark'), { type: 'null' }] } } } },
    subject: 'Remark',
    valid: [{ id: 'a', parent: null }, { id: 'a', parent: { id: 'b', parent: null } }],
    invalid: [{ id: 'a' }, { id: 'a', parent: { id: 'b' } }],
  },
];

const account = {
  type: 'object',
  required: ['id', 'name', 'password'],
  properties: {
    id: { type: 'string', readOnly: true },
    name: str,
    password: { type: 'string', writeOnly: true },
    plan: { type: 'string', enum: ['free', 'pro'], default: 'free' },
    seats: { type: 'integer', default: 1 },
    active: { type: 'boolean', default: true },
    created: { type: 'string', format: 'date-time', readOnly: true },
  },
};

const readWrite: Row[] = [
  {
    name: 'full shape keeps readOnly and writeOnly, fills defaults',
    version: '3.1',
    schemas: { Account: account },
    subject: 'Account',
    valid: [{ id: 'x', name: 'n', password: 'p' }],
    invalid: [{ name: 'n', password: 'p' }, { id: 'x', name: 'n' }, { id: 'x', name: 'n', password: 'p', plan: 'gold' }],
    output: [{ input: { id: 'x', name: 'n', password: 'p', seats: 3 }, want: { id: 'x', name: 'n', password: 'p', seats: 3, plan: 'free', active: true } }],
  },
  {
    name: 'request shape: readOnly ignored and dropped, defaults filled',
    version: '3.1',
    subject: 'AccountRequest',
    valid: [{ name: 'n', password: 'p' }, { id: 'x', created: 'whenever', name: 'n', password: 'p' }],
    invalid: [{ name: 'n' }, { name: 'n', password: 'p', seats: 1.5 }],
    output: [{ input: { id: 'x', name: 'n', password: 'p' }, want: { name: 'n', password: 'p', plan: 'free', seats: 1, active: true } }],
    code: { has: ['id: zh.ignored()', 'created: zh.ignored()', 'plan: z.enum(["free", "pro"]).default("free")', 'password: z.string()'], lacks: ['id: z.string()'] },
  },
  {
    name: 'response shape: writeOnly ignored and dropped, defaults filled',
    version: '3.1',
    subject: 'AccountResponse',
    valid: [{ id: 'x', name: 'n' }, { id: 'x', name: 'n', password: 'leaked' }],
    invalid: [{ name: 'n' }],
    output: [{ input: { id: 'x', name: 'n', password: 'p' }, want: { id: 'x', name: 'n', plan: 'free', seats: 1, active: true } }],
    code: { has: ['password: zh.ignored()', 'id: z.string()'], lacks: ['password: z.string()'] },
  },
  {
    name: 'request shape of a closed object still accepts readOnly keys',
    version: '3.1',
    schemas: { Locked: { type: 'object', additionalProperties: false, required: ['name'], properties: { id: { type: 'string', readOnly: true }, name: str } } },
    subject: 'LockedRequest',
    valid: [{ name: 'n' }, { id: 'x', name: 'n' }],
    invalid: [{ name: 'n', other: 1 }],
    output: [{ input: { id: 'x', name: 'n' }, want: { name: 'n' } }],
  },
  {
    name: 'variants follow refs (request shape of a parent uses the child request shape)',
    version: '3.1',
    schemas: { Team: { type: 'object', required: ['owner'], properties: { owner: ref('Account') } } },
    subject: 'TeamRequest',
    valid: [{ owner: { name: 'n', password: 'p' } }],
    invalid: [{ owner: { name: 'n' } }],
    output: [{ input: { owner: { id: 'x', name: 'n', password: 'p' } }, want: { owner: { name: 'n', password: 'p', plan: 'free', seats: 1, active: true } } }],
    code: { has: ['owner: AccountRequest'] },
  },
];

const operations: Row[] = [
  {
    name: 'request body fills defaults',
    version: '3.1',
    paths: {
      '/search': {
        post: {
          operationId: 'search',
          parameters: [{ name: 'page', in: 'query', schema: { type: 'integer', default: 1 } }],
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { limit: { type: 'integer', default: 10 }, q: { type: 'string', default: '' } } } } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref('Account') } } } },
        },
      },
    },
    subject: { operation: 'search', body: 'application/json' },
    valid: [{}, { limit: 5 }],
    invalid: [{ limit: 'x' }, 'q'],
    output: [{ input: {}, want: { limit: 10, q: '' } }],
  },
  { name: 'query parameters fill defaults', version: '3.1', subject: { operation: 'search', params: 'query' }, valid: [{}], invalid: [{ page: 'x' }], output: [{ input: {}, want: { page: 1 } }] },
  {
    name: 'responses use the response shape',
    version: '3.1',
    subject: { operation: 'search', response: '200', mediaType: 'application/json' },
    valid: [{ id: 'x', name: 'n' }],
    invalid: [{ name: 'n', password: 'p' }],
    output: [{ input: { id: 'x', name: 'n', password: 'p', plan: 'pro' }, want: { id: 'x', name: 'n', plan: 'pro', seats: 1, active: true } }],
  },
];

export const ROWS: Row[] = [...strings, ...numbers, ...enums, ...nullables, ...arrays, ...objects, ...allOfs, ...unions, ...discriminators, ...recursion, ...readWrite, ...operations];

/** All rows of one version as one document (names are unique per version; a clash is a mistake in the table). */
export function rowsDocument(version: Row['version'], rows: readonly Row[] = ROWS): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (const row of rows.filter((r) => r.version === version)) {
    for (const [key, value] of Object.entries(row.schemas ?? {})) {
      if (key in schemas) throw new Error(`Schema ${key} is declared by two rows`);
      schemas[key] = value;
    }
    Object.assign(paths, row.paths ?? {});
  }
  return { openapi: version === '3.0' ? '3.0.3' : '3.1.0', info: { title: `zod translation ${version}`, version: '1' }, paths, components: { schemas } };
}
