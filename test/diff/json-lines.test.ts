import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { lineOfPointer } from '../../src/load/parse.js';
import { jsonLineFinder, jsonLines } from '../../src/diff/format/json-lines.js';

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

describe('jsonLineFinder (lazy) gives jsonLines\' answer for every pointer', () => {
  const pointersOf = (doc: unknown): string[] => {
    const out: string[] = [];
    const walk = (node: unknown, pointer: string): void => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        const here = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        out.push(here, `${here}/gone`);
        walk(value, here);
      }
    };
    walk(doc, '');
    return [...out, '', '/nothing', '/k/01', '/k/1.0'];
  };
  const check = (text: string): void => {
    const eager = jsonLines(text);
    const lazy = jsonLineFinder(text);
    const pointers = pointersOf(JSON.parse(text));
    expect(pointers.length).toBeGreaterThan(5);
    for (const pointer of pointers) expect(lazy(pointer), pointer).toBe(eager.get(pointer));
  };
  test('nested objects, arrays, escapes, empty containers', () => {
    check(JSON.stringify({ a: { 'b/c': [1, { d: 'x"y\\', e: [] }, 'z'], f: null, '': {} }, 'g~h': { i: { j: true } }, 'q"\\u': 1, k: [[1, 2], [3], {}] }, null, 2));
  });
  test('compact JSON on one line', () => {
    check(JSON.stringify({ a: [1, { b: 2 }], c: { d: 'e' } }));
  });
  test('a duplicate key (jsonLines mixes both occurrences) is answered as jsonLines does', () => {
    const text = '{\n "a": {\n  "x": 1\n },\n "a": {\n  "y": 2\n }\n}';
    const lazy = jsonLineFinder(text);
    for (const pointer of ['/a', '/a/x', '/a/y']) expect(lazy(pointer), pointer).toBe(jsonLines(text).get(pointer));
  });
  const discord = path.resolve('../shared/specs/real/discord-openapi.json');
  test.skipIf(!existsSync(discord))(`a real spec, every pointer (skipped when ${discord} is absent)`, () => {
    check(readFileSync(discord, 'utf8'));
  });
});
