import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { onlyPlainInternalRefs } from '../../src/load/internal-refs.js';
import { parseText } from '../../src/load/parse.js';

const doc = (extra: Record<string, unknown>): Record<string, unknown> => ({
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  paths: { '/a': { get: { responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } } },
  ...extra,
});

describe('onlyPlainInternalRefs', () => {
  it('accepts plain #/ pointers to plain targets, and ignores a property named $ref', () => {
    expect(onlyPlainInternalRefs(doc({ components: { schemas: { A: { type: 'object', properties: { $ref: { type: 'string' }, b: { $ref: '#/components/schemas/B' } } }, B: { type: 'string' } } } }))).toBe(true);
  });

  it('sends to the bundler a file ref, a ref through a ref, a ref to a ref, an encoded pointer and a missing target', () => {
    const schemas = (a: unknown): Record<string, unknown> => doc({ components: { schemas: { A: a, B: { type: 'string' }, C: { $ref: '#/components/schemas/B' } } } });
    expect(onlyPlainInternalRefs(schemas({ $ref: './other.yaml#/B' }))).toBe(false);
    expect(onlyPlainInternalRefs(schemas({ $ref: '#/components/schemas/C' }))).toBe(false);
    expect(onlyPlainInternalRefs(doc({ components: { schemas: { A: { $ref: '#/components/schemas/C/properties/x' }, C: { $ref: '#/components/schemas/D' }, D: { properties: { x: {} } } } } }))).toBe(false);
    expect(onlyPlainInternalRefs(schemas({ $ref: '#/components/schemas/B%20' }))).toBe(false);
    expect(onlyPlainInternalRefs(schemas({ $ref: '#/components/schemas/Missing' }))).toBe(false);
  });

  // The claim the loader relies on: where the check says yes, bundling changes nothing. Checked on every fixture.
  const root = path.resolve(__dirname, '../../fixtures');
  const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
  it('where it says yes, the bundler leaves the fixture document unchanged', async () => {
    let accepted = 0;
    for (const file of files(root)) {
      let parsed: unknown;
      try {
        parsed = parseText(readFileSync(file, 'utf8'), file);
      } catch {
        continue;
      }
      const record = parsed as Record<string, unknown> | null;
      if (record === null || typeof record !== 'object' || typeof record['openapi'] !== 'string' || !String(record['openapi']).match(/^3\.[01]\./) || record['paths'] === undefined) continue;
      if (!onlyPlainInternalRefs(parsed)) continue;
      accepted++;
      let bundled: unknown;
      try {
        bundled = await SwaggerParser.bundle(file, structuredClone(parsed) as never);
      } catch {
        continue; // the bundler's own errors are load.test.ts's business
      }
      expect(bundled, file).toEqual(parsed);
    }
    expect(accepted).toBeGreaterThan(20);
  });
});
