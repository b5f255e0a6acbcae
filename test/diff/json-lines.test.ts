import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { lineOfPointer } from '../../src/load/parse.js';
import { jsonLines } from '../../src/diff/format/json-lines.js';

describe('jsonLines agrees with the YAML parser on JSON text', () => {
  const text = JSON.stringify({ a: { 'b/c': [1, { d: 'x"y', e: [] }, 'z'], f: null }, 'g~h': { i: { j: true } }, k: [[1, 2], [3]] }, null, 2);
  test.each(['/a', '/a/b~1c', '/a/b~1c/0', '/a/b~1c/1', '/a/b~1c/1/d', '/a/b~1c/1/e', '/a/b~1c/2', '/a/f', '/g~0h', '/g~0h/i/j', '/k/0', '/k/1', '/k/1/0'])('%s', (pointer) => {
    expect(jsonLines(text).get(pointer)).toBe(lineOfPointer(text, pointer));
  });

  const box = path.resolve('../shared/specs/real/box-openapi.json');
  test.skipIf(!existsSync(box))(`a real spec: sampled pointers (skipped when ${box} is absent)`, () => {
    const real = readFileSync(box, 'utf8');
    const doc = JSON.parse(real) as { paths: Record<string, Record<string, unknown>> };
    const lines = jsonLines(real);
    for (const route of Object.keys(doc.paths).slice(0, 20)) {
      const pointer = `/paths/${route.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      expect(lines.get(pointer), pointer).toBe(lineOfPointer(real, pointer));
    }
  });
});
