import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { loadSpec } from '../../../src/load/load.js';
import { buildIr } from '../../../src/ir/build/document.js';
import { generateOpenapiTypescript } from '../../helpers/openapi-typescript.js';
import { FIXTURES, writeSchemas } from './harness.js';
import { rowsDocument } from './rows.js';
import { scratch, typecheck } from '../../helpers/workspace.js';

/**
 * concord's types (types.ts, which annotate the validators) against an independent peer: openapi-typescript's
 * translation of the same document (ots.ts). What "the zod type and the openapi-typescript type of a schema
 * agree" means, for zod output O, zod input I and ots.ts's `components['schemas'][key]` T:
 * 1. O is assignable to T: whatever the validator lets through can be used where types.ts's type is expected;
 * 2. T is assignable to I: whatever types.ts describes, the validator's input type takes.
 * Both are checked on normal forms (`Norm`) that drop differences which say nothing about JSON values:
 * - `| undefined` on properties (zod writes `a?: X | undefined`, which exactOptionalPropertyTypes tells apart
 *   from `a?: X`; JSON has no explicit undefined);
 * - string index signatures of `unknown` (concord's loose objects for `additionalProperties` absent or true)
 *   and of `never` (openapi-typescript's `Record<string, never>` for an object without properties, which admits
 *   any keys in JSON Schema): they allow nothing and forbid nothing a declared property does not.
 * Typed index signatures (an `additionalProperties` schema) are compared as they are.
 */
const AGREE = `import type { z } from 'zod';

type IndexKey<K> = string extends K ? true : number extends K ? true : false;
type Unconstrained<V> = unknown extends V ? true : [V] extends [never] ? true : false;
export type Norm<T> = T extends Blob
  ? T
  : T extends readonly unknown[]
    ? { [K in keyof T]: Norm<T[K]> }
    : T extends object
      ? { [K in keyof T as IndexKey<K> extends true ? (Unconstrained<T[K]> extends true ? never : K) : K]: Norm<Exclude<T[K], undefined>> }
      : T;
export type Agree<S extends z.ZodType, T> = [Norm<z.output<S>>] extends [Norm<T>]
  ? [Norm<T>] extends [Norm<z.input<S>>]
    ? true
    : { problem: 'the types.ts type is not assignable to the zod input'; types: Norm<T>; input: Norm<z.input<S>> }
  : { problem: 'the zod output is not assignable to the types.ts type'; output: Norm<z.output<S>>; types: Norm<T> };
export type Expect<X extends true> = X;
`;

/**
 * Where the two genuinely cannot agree. Each is checked with `@ts-expect-error`, so an entry that starts to
 * agree fails the test and has to go.
 */
const NULLABLE_REF = "`{ type: 'null', allOf: [$ref] }`: openapi-typescript reads the letter (`null & Ref`, i.e. never); concord reads the intent, a nullable Ref";
const PREFIX_ITEMS =
  "`prefixItems`: openapi-typescript types a closed tuple of required elements (`[string, number]`) whatever `items`, minItems and maxItems say; JSON Schema checks a position only when the array reaches it and leaves the rest to `items` (any when absent), so concord types `[(string | undefined)?, (number | undefined)?, ...Array<unknown>]` (required elements only where minItems closes a tuple)";
const IMPLICIT_MAPPING =
  "a oneOf discriminator without a mapping over members that declare their own values (`type: { enum: [function] }`, as OpenAI's spec does): openapi-typescript replaces them with the component key (`type: 'FnTool'`), which no real payload carries; concord keeps the member's values";
const DISAGREE: Record<string, string> = {
  'orval-null-type-3.1.yaml#NullableRefContainer': NULLABLE_REF,
  'translation-rows-3.1.json#NullOrCode': NULLABLE_REF,
  'translation-rows-3.1.json#Head31': PREFIX_ITEMS,
  'translation-rows-3.1.json#Pair31': PREFIX_ITEMS,
  'translation-rows-3.1.json#Closed31': PREFIX_ITEMS,
  'translation-rows-3.1.json#AnyHead31': PREFIX_ITEMS,
  'translation-rows-3.1.json#MustHaveId': 'openapi-typescript leaves out `required` keys that `properties` does not describe; concord requires them (any value)',
  'translation-rows-3.1.json#AllOfRequired': 'openapi-typescript ignores `required` in an allOf member that has no properties; concord applies it to the merged object',
  'translation-rows-3.0.json#MaybeThingId30': 'openapi-typescript ignores `required` in an allOf member that has no properties; concord applies it to the merged object',
  'translation-rows-3.1.json#Nothing': 'openapi-typescript types `const: null` as unknown; concord accepts only null',
  'translation-rows-3.1.json#PatternedClosed':
    'openapi-typescript folds patternProperties into a string index signature that also binds the declared properties (`id: number` against `[key]: string`); concord checks patterns only on the keys they match',
  'translation-rows-3.1.json#NamedPet':
    "openapi-typescript narrows an allOf over a discriminated oneOf to its own name (`petType: 'NamedPet'`), a value none of the oneOf's members allows; concord keeps the oneOf's values",
  'translation-rows-3.1.json#FnTool': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#WebTool': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#Tool': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#Same': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#SameA': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#SameB': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#Opt': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#OptA': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#OptB': IMPLICIT_MAPPING,
  'translation-rows-3.1.json#Upload': 'openapi-typescript types `format: binary` as string; concord also accepts a Blob (multipart and octet-stream uploads)',
};

interface Case {
  label: string;
  dir: string;
}

async function prepare(root: string, label: string, file: string): Promise<{ lines: string[] }> {
  const spec = await loadSpec(file, { validate: false });
  const ir = buildIr(spec);
  const dir = path.join(root, label.replace(/\W+/g, '-'));
  writeSchemas(ir, dir);
  writeFileSync(path.join(dir, 'ots.ts'), await generateOpenapiTypescript(spec.document));
  const lines = [`import type { z } from 'zod';`, `import type * as s from './schemas.js';`, `import type { components } from './ots.js';`, `import type { Agree, Expect } from '../agree.js';`, ''];
  for (const named of ir.schemas.filter((n) => n.pointer.startsWith('/components/schemas/'))) {
    const key = `${path.basename(file)}#${named.originalName}`;
    const reason = DISAGREE[key];
    if (reason) lines.push(`// ${reason.replace(/\n/g, ' ')}`, '// @ts-expect-error -- a documented disagreement (see DISAGREE in the test)');
    lines.push(`export type _${named.name} = Expect<Agree<typeof s.${named.name}, components['schemas'][${JSON.stringify(named.originalName)}]>>;`);
  }
  writeFileSync(path.join(dir, 'check.ts'), `${lines.join('\n')}\n`);
  return { lines };
}

test('the zod types and the openapi-typescript types of every component schema agree', async () => {
  const root = scratch('zod-type-agreement');
  writeFileSync(path.join(root, 'agree.ts'), AGREE);
  const cases: Case[] = [];
  for (const name of readdirSync(FIXTURES).filter((f) => /\.(ya?ml|json)$/.test(f))) {
    await prepare(root, name, path.join(FIXTURES, name));
    cases.push({ label: name, dir: name });
  }
  for (const version of ['3.0', '3.1'] as const) {
    const file = path.join(root, `translation-rows-${version}.json`);
    writeFileSync(file, JSON.stringify(rowsDocument(version)));
    await prepare(root, `translation-rows-${version}.json`, file);
    cases.push({ label: `rows ${version}`, dir: `translation-rows-${version}.json` });
  }
  expect(cases.length).toBeGreaterThan(10);
  const diagnostics = await typecheck(root);
  expect(diagnostics).toBe('');
});
