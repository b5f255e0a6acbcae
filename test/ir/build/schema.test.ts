import { beforeAll, describe, expect, test } from 'vitest';
import type { IrDocument } from '../../../src/ir/types.js';
import { irOfDocument } from '../../generators/zod/harness.js';
import { scratch } from '../../helpers/workspace.js';

const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

// How composition keywords and the keywords beside them become IR (the parts the zod translation relies on).
const cases: Array<{ name: string; schema: unknown; want: unknown }> = [
  { name: "type 'null' alone is null", schema: { type: 'null' }, want: { kind: 'null' } },
  { name: "type 'null' beside allOf [$ref] is a nullable ref", schema: { type: 'null', allOf: [ref('Base')] }, want: { kind: 'ref', name: 'Base', nullable: true } },
  { name: "type 'null' beside oneOf is a nullable union", schema: { type: 'null', oneOf: [{ type: 'string' }, { type: 'integer' }] }, want: { kind: 'union', nullable: true } },
  {
    name: '`required` beside allOf is one more member',
    schema: { allOf: [ref('Base')], required: ['note'] },
    want: { kind: 'intersection', members: [{ kind: 'ref', name: 'Base' }, { kind: 'object', properties: [{ name: 'note', required: true, schema: { kind: 'any' } }] }] },
  },
  { name: 'maxLength beside oneOf is one more member', schema: { oneOf: [{ type: 'string' }, { type: 'integer' }], maxLength: 5 }, want: { kind: 'intersection', members: [{ kind: 'union' }, { kind: 'string', maxLength: 5 }] } },
  { name: '`type: object` beside oneOf adds nothing', schema: { type: 'object', oneOf: [ref('Base'), ref('Other')] }, want: { kind: 'union', mode: 'oneOf' } },
  {
    name: 'a oneOf discriminator stays on the union (not wrapped in an allOf)',
    schema: { oneOf: [ref('Base'), ref('Other')], discriminator: { propertyName: 'kind', mapping: { b: '#/components/schemas/Base' } } },
    want: { kind: 'union', discriminator: { propertyName: 'kind', mapping: [{ value: 'b', schema: 'Base' }, { value: 'Other', schema: 'Other' }] } },
  },
  {
    name: 'an allOf parent keeps its discriminator',
    schema: { allOf: [ref('Base')], discriminator: { propertyName: 'kind' } },
    want: { kind: 'intersection', discriminator: { propertyName: 'kind' } },
  },
  // JSON Schema 2020-12: `prefixItems` fixes the leading positions; without `items` the rest is unconstrained.
  {
    name: 'prefixItems without items: the rest is any',
    schema: { type: 'array', prefixItems: [{ type: 'string' }] },
    want: { kind: 'array', prefixItems: [{ kind: 'string' }], items: { kind: 'any', pointer: expect.stringMatching(/^\/components\/schemas\/Case\d+\/items$/) } },
  },
  { name: 'prefixItems with items false: the tuple is closed', schema: { type: 'array', prefixItems: [{ type: 'string' }], items: false }, want: { kind: 'array', prefixItems: [{ kind: 'string' }], items: { kind: 'never' } } },
  { name: 'prefixItems with an items schema: the rest follows it', schema: { type: 'array', prefixItems: [{ type: 'string' }], items: { type: 'integer' }, minItems: 1 }, want: { kind: 'array', prefixItems: [{ kind: 'string' }], items: { kind: 'integer' }, minItems: 1 } },
  { name: 'items alone, absent: any', schema: { type: 'array' }, want: { kind: 'array', items: { kind: 'any' } } },
];

let ir: IrDocument;

beforeAll(async () => {
  const schemas: Record<string, unknown> = {
    Base: { type: 'object', properties: { kind: { type: 'string' }, note: { type: 'string' } } },
    Other: { type: 'object', properties: { kind: { type: 'string' } } },
  };
  cases.forEach((c, index) => {
    schemas[`Case${index}`] = c.schema;
  });
  ({ ir } = await irOfDocument({ openapi: '3.1.0', info: { title: 'ir', version: '1' }, paths: {}, components: { schemas } }, scratch('ir-schema'), 'doc'));
});

describe('buildSchema', () => {
  test.each(cases.map((c, index) => [c.name, index, c.want] as const))('%s', (_name, index, want) => {
    expect(ir.schemas.find((s) => s.name === `Case${index}`)?.schema).toMatchObject(want as object);
  });
});
