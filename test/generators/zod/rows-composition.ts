import { int, ref, str, type Row } from './row-kit.js';

// allOf, oneOf/anyOf, discriminators, recursion, read/write-only shapes and operation validators.

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
    code: { has: ['...AllOfBase$.shape'], lacks: ['z.intersection('] },
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
    code: { has: ['z.discriminatedUnion("petType"', '...Cat$.shape'], lacks: ['z.intersection('] },
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
    code: { has: ['z.intersection(', '.overwrite(zs.compact)'] },
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
    code: { has: ['...MaybeBase30$.unwrap().shape'], lacks: ['z.intersection('] },
  },
  {
    name: 'a recursive allOf over a nullable $ref',
    version: '3.0',
    schemas: { Chain30: { allOf: [ref('MaybeBase30'), { type: 'object', properties: { next: ref('Chain30') } }] } },
    subject: 'Chain30',
    valid: [{ id: 1 }, { id: 1, next: { id: 2, next: { id: 3 } } }],
    invalid: [null, { id: 1, next: {} }, { id: 1, next: null }],
    code: { has: ['z.lazy(', '...MaybeBase30$.unwrap().shape'] },
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
    code: { has: ['z.discriminatedUnion("type", [FnTool$, WebTool$])'] },
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
  { name: 'an allOf subtype is narrowed to its mapping value', version: '3.1', subject: 'SportsCar', valid: [{ vtype: 'sports' }], invalid: [{ vtype: 'car' }, {}], code: { has: ['...Car$.shape'] } },
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
    name: 'members sharing a discriminator value: plain union',
    version: '3.1',
    schemas: {
      SameA: { type: 'object', required: ['kind', 'a'], properties: { kind: { const: 'same' }, a: str } },
      SameB: { type: 'object', required: ['kind', 'b'], properties: { kind: { const: 'same' }, b: int } },
      Same: { oneOf: [ref('SameA'), ref('SameB')], discriminator: { propertyName: 'kind' } },
    },
    subject: 'Same',
    valid: [{ kind: 'same', a: 'x' }, { kind: 'same', b: 1 }],
    invalid: [{ kind: 'same' }, { kind: 'SameA', a: 'x' }],
    code: { has: ['z.union('], lacks: ['discriminatedUnion'] },
  },
  {
    name: 'a member whose discriminator property is optional: plain union',
    version: '3.1',
    schemas: {
      OptA: { type: 'object', properties: { k: { const: 'a' }, a: str } },
      OptB: { type: 'object', required: ['k'], properties: { k: { const: 'b' } } },
      Opt: { oneOf: [ref('OptA'), ref('OptB')], discriminator: { propertyName: 'k' } },
    },
    subject: 'Opt',
    valid: [{ k: 'a' }, { a: 'x' }, { k: 'b' }],
    invalid: [{ k: 'c' }, { k: 'OptA' }],
    code: { has: ['z.union('], lacks: ['discriminatedUnion'] },
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
    code: { has: ['id: zs.ignored()', 'created: zs.ignored()', 'plan: z.enum(["free", "pro"]).default("free")', 'password: z.string()'], lacks: ['id: z.string()'] },
  },
  {
    name: 'response shape: writeOnly ignored and dropped, defaults filled',
    version: '3.1',
    subject: 'AccountResponse',
    valid: [{ id: 'x', name: 'n' }, { id: 'x', name: 'n', password: 'leaked' }],
    invalid: [{ name: 'n' }],
    output: [{ input: { id: 'x', name: 'n', password: 'p' }, want: { id: 'x', name: 'n', plan: 'free', seats: 1, active: true } }],
    code: { has: ['password: zs.ignored()', 'id: z.string()'], lacks: ['password: z.string()'] },
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

export const COMPOSITION_ROWS: Row[] = [...allOfs, ...unions, ...discriminators, ...recursion, ...readWrite, ...operations];
