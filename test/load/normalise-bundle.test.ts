import { describe, expect, it } from 'vitest';
import { normaliseBundle } from '../../src/load/normalise-bundle.js';
import type { Diagnostic } from '../../src/load/diagnostics.js';

// normaliseBundle repairs map-level $refs and drops discriminator mappings that name files. `tree: true` (a document
// parsed from JSON text shares no object) skips remembering visited objects and must repair exactly the same.
const rows: Array<{ name: string; given: Record<string, unknown>; want: { document: Record<string, unknown>; codes: string[] } }> = [
  {
    name: 'a properties map given as a $ref is replaced by the map',
    given: { components: { schemas: { A: { type: 'object', properties: { $ref: '#/x-props' } } } }, 'x-props': { id: { type: 'string' } } },
    want: { document: { components: { schemas: { A: { type: 'object', properties: { id: { type: 'string' } } } } }, 'x-props': { id: { type: 'string' } } }, codes: [] },
  },
  {
    name: 'a map $ref to nothing becomes an empty map, with a warning',
    given: { components: { schemas: { A: { properties: { $ref: '#/nowhere' } } } } },
    want: { document: { components: { schemas: { A: { properties: {} } } } }, codes: ['MAP_REF_UNRESOLVED'] },
  },
  {
    name: 'discriminator mappings naming files are dropped; internal ones stay',
    given: { components: { schemas: { B: {}, U: { oneOf: [{ $ref: '#/components/schemas/B' }], discriminator: { propertyName: 'k', mapping: { b: '#/components/schemas/B', c: 'models/c.yaml#/C', d: 'B' } } } } } },
    want: { document: { components: { schemas: { B: {}, U: { oneOf: [{ $ref: '#/components/schemas/B' }], discriminator: { propertyName: 'k', mapping: { b: '#/components/schemas/B', d: 'B' } } } } } }, codes: ['DISCRIMINATOR_MAPPING'] },
  },
  {
    name: 'inside arrays too',
    given: { paths: { '/a': { get: { parameters: [{ name: 'q', in: 'query', content: { $ref: '#/x-content' } }] } } }, 'x-content': { 'application/json': { schema: { type: 'string' } } } },
    want: { document: { paths: { '/a': { get: { parameters: [{ name: 'q', in: 'query', content: { 'application/json': { schema: { type: 'string' } } } }] } } }, 'x-content': { 'application/json': { schema: { type: 'string' } } } }, codes: [] },
  },
];

describe('normaliseBundle', () => {
  it.each(rows)('$name', ({ given, want }) => {
    for (const tree of [false, true]) {
      const document = structuredClone(given);
      const diagnostics: Diagnostic[] = [];
      normaliseBundle(document, 'openapi.json', diagnostics, { tree });
      expect(document).toEqual(want.document);
      expect(diagnostics.map((d) => d.code)).toEqual(want.codes);
    }
  });

  it('a document that shares an object (a YAML alias) is visited once per object unless told it is a tree', () => {
    const shared = { properties: { $ref: '#/nowhere' } };
    const document = { components: { schemas: { A: shared, B: shared } } };
    const diagnostics: Diagnostic[] = [];
    normaliseBundle(document, 'openapi.yaml', diagnostics);
    expect(diagnostics).toHaveLength(1);
  });
});
