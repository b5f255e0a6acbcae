import { Ajv2020 } from 'ajv/dist/2020.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { scratch, typecheck } from '../../helpers/workspace.js';
import { Backends, importModule, irOfDocument, show, writeSchemas } from './harness.js';

/**
 * `prefixItems` (JSON Schema 2020-12, OpenAPI 3.1) against an independent validator: each prefix position is
 * checked only when present (shorter arrays are valid), the rest follows `items` (anything when it is absent,
 * nothing when it is `false`), and minItems/maxItems apply on top. For every row and every value, concord's
 * validators (printed schemas.ts and the mock's interpreter, which Backends keeps in lockstep) must accept exactly
 * what ajv accepts.
 */

const str = { type: 'string' };
const int = { type: 'integer' };

const ROWS: Record<string, Record<string, unknown>> = {
  ItemsAbsent: { type: 'array', prefixItems: [str, int] },
  ItemsFalse: { type: 'array', prefixItems: [str, int], items: false },
  ItemsTrue: { type: 'array', prefixItems: [str, int], items: true },
  ItemsSchema: { type: 'array', prefixItems: [str, int], items: { type: 'boolean' } },
  AbsentMin1: { type: 'array', prefixItems: [str, int], minItems: 1 },
  AbsentMax2: { type: 'array', prefixItems: [str, int], maxItems: 2 },
  AbsentMin3: { type: 'array', prefixItems: [str, int], minItems: 3 },
  FalseMin2: { type: 'array', prefixItems: [str, int], items: false, minItems: 2 },
  FalseMax1: { type: 'array', prefixItems: [str, int], items: false, maxItems: 1 },
  SchemaMin1Max3: { type: 'array', prefixItems: [str, int], items: { type: 'boolean' }, minItems: 1, maxItems: 3 },
  OneFalse: { type: 'array', prefixItems: [str], items: false },
  UniqueAbsent: { type: 'array', prefixItems: [int, int], uniqueItems: true },
  NullableSecond: { type: 'array', prefixItems: [str, { type: ['integer', 'null'] }], items: false },
  ExactPair: { type: 'array', prefixItems: [str, int], minItems: 2, maxItems: 2 },
  AbsentMax1: { type: 'array', prefixItems: [str, int], maxItems: 1 },
  AnyFirstMin1: { type: 'array', prefixItems: [{}], minItems: 1 },
  AnyFirstMin1Closed: { type: 'array', prefixItems: [{}], items: false, minItems: 1 },
  FalseFirst: { type: 'array', prefixItems: [false] },
  ObjectFirst: { type: 'array', prefixItems: [{ type: 'object', required: ['id'], properties: { id: str } }], items: int },
};

const VALUES: unknown[] = [
  [],
  ['a'],
  [1],
  ['a', 1],
  ['a', 'b'],
  [1, 1],
  [1, 2],
  ['a', null],
  ['a', 1, 'extra'],
  ['a', 1, true],
  ['a', 1, true, false],
  ['a', 1, true, 'x'],
  [{ id: 'x' }],
  [{ id: 'x' }, 2, 3],
  [{}],
  [null],
  'a',
  null,
  {},
];

const ajv = new Ajv2020({ strict: false, validateFormats: false });
let backends: Backends;
let dir: string;

beforeAll(async () => {
  dir = scratch('zod-prefix-items');
  const document = { openapi: '3.1.0', info: { title: 'prefixItems', version: '1' }, paths: {}, components: { schemas: ROWS } };
  const { ir } = await irOfDocument(document, dir, 'prefix-items');
  const { code, file } = writeSchemas(ir, dir);
  backends = new Backends(ir, await importModule(file), code);
});

describe.each(Object.entries(ROWS))('%s', (name, schema) => {
  const validate = ajv.compile(schema);
  test.each(VALUES.map((value) => [show(value), validate(value) ? 'valid' : 'invalid', value] as const))('%s is %s, as ajv says', (_shown, verdict, value) => {
    const want = verdict === 'valid';
    expect(backends.parse(name, value).success).toBe(want);
  });
});

test('the rows exercise acceptance and rejection of short, full and long arrays', () => {
  const verdicts = Object.values(ROWS).map((schema) => VALUES.map((value) => ajv.validate(schema, value)));
  const at = (shown: string): boolean[] => verdicts.map((row) => row[VALUES.findIndex((value) => show(value) === shown)] === true);
  for (const shown of ['[]', '["a"]', '["a",1,"extra"]']) expect(new Set(at(shown)), shown).toEqual(new Set([true, false]));
});

// types.ts must say what the validator lets through, no more and no less: zod's output type and the declared type
// are mutually assignable for every row (strict, exactOptionalPropertyTypes, as generated code is compiled).
test('the declared tuple types are exactly the validators\' output types', async () => {
  const lines = [
    `import type { z } from 'zod';`,
    `import type * as s from './schemas.js';`,
    `import type * as t from './types.js';`,
    'type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : { declared: B; validated: A }) : { declared: B; validated: A };',
    'type Expect<X extends true> = X;',
    ...Object.keys(ROWS).map((name) => `export type _${name} = Expect<Same<z.output<typeof s.${name}>, t.${name}>>;`),
  ];
  writeFileSync(path.join(dir, 'check.ts'), `${lines.join('\n')}\n`);
  expect(await typecheck(dir)).toBe('');
}, 120_000);
