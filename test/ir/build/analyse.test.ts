import { describe, expect, it } from 'vitest';
import { buildIr } from '../../../src/ir/build/document.js';
import type { LoadedSpec } from '../../../src/load/load.js';

// analyseSchemas: `recursive`, `hasReadOnly`/`hasWriteOnly` (a marked property below, through refs) and `directional`
// (a mark anywhere the schema reaches: its top, a ref site, below). One walk computes them all.
const ref = (name: string): Record<string, string> => ({ $ref: `#/components/schemas/${name}` });
const rows: Array<{ name: string; given: Record<string, unknown>; want: Record<string, { recursive?: boolean; hasReadOnly?: boolean; hasWriteOnly?: boolean; directional: boolean }> }> = [
  { name: 'plain object', given: { A: { type: 'object', properties: { x: { type: 'string' } } } }, want: { A: { recursive: false, hasReadOnly: false, hasWriteOnly: false, directional: false } } },
  { name: 'readOnly property', given: { A: { type: 'object', properties: { id: { type: 'string', readOnly: true } } } }, want: { A: { hasReadOnly: true, hasWriteOnly: false, directional: true } } },
  { name: 'writeOnly property through a ref', given: { A: { type: 'object', properties: { b: ref('B') } }, B: { type: 'object', properties: { secret: { type: 'string', writeOnly: true } } } }, want: { A: { hasReadOnly: false, hasWriteOnly: true, directional: true }, B: { hasWriteOnly: true, directional: true } } },
  { name: 'readOnly on the top of a referenced schema', given: { A: { type: 'object', properties: { id: ref('Id') } }, Id: { type: 'string', readOnly: true } }, want: { A: { hasReadOnly: false, directional: true }, Id: { hasReadOnly: false, directional: true } } },
  { name: 'a readOnly ref site', given: { A: { type: 'array', items: { allOf: [ref('B')], readOnly: true } }, B: { type: 'string' } }, want: { A: { directional: true }, B: { directional: false } } },
  { name: 'marks do not flow to what a schema reaches', given: { A: { type: 'object', properties: { b: ref('B') }, readOnly: true }, B: { type: 'object' } }, want: { A: { hasReadOnly: false, directional: true }, B: { directional: false } } },
  { name: 'mutual recursion without marks', given: { A: { type: 'object', properties: { b: ref('B') } }, B: { anyOf: [{ type: 'string' }, ref('A')] } }, want: { A: { recursive: true, directional: false }, B: { recursive: true, directional: false } } },
  { name: 'a mark anywhere in a cycle marks the cycle', given: { A: { type: 'object', properties: { b: ref('B') } }, B: { type: 'object', properties: { a: ref('A'), at: { type: 'string', readOnly: true } } } }, want: { A: { recursive: true, hasReadOnly: true, directional: true }, B: { recursive: true, hasReadOnly: true, directional: true } } },
  { name: 'pattern properties and prefix items are walked', given: { A: { type: 'object', patternProperties: { '^x': { type: 'object', properties: { y: { type: 'string', writeOnly: true } } } } }, T: { type: 'array', prefixItems: [{ type: 'object', properties: { z: { type: 'string', readOnly: true } } }] } }, want: { A: { hasWriteOnly: true, directional: true }, T: { hasReadOnly: true, directional: true } } },
];

function irOf(schemas: Record<string, unknown>) {
  const document = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas } };
  const spec: LoadedSpec = { document, sourceVersion: '3.1', source: 'memory.json', files: ['memory.json'], diagnostics: [], hash: '' };
  return buildIr(spec);
}

describe('analyseSchemas', () => {
  it.each(rows)('$name', ({ given, want }) => {
    const ir = irOf(given);
    for (const [name, facts] of Object.entries(want)) {
      const named = ir.schemas.find((schema) => schema.originalName === name);
      expect(named, name).toBeDefined();
      expect(named, name).toMatchObject(facts);
    }
  });
});
