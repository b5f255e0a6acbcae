import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { yamlLines, yamlLinesByFullParse } from '../../src/diff/format/yaml-lines.js';

/** Every key and item pointer of a document, plus a missing child under some of them (a removed thing's pointer). */
function pointersOf(text: string, every = 1): string[] {
  const out: string[] = [];
  const escape = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
  const walk = (node: unknown, pointer: string): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const here = `${pointer}/${escape(key)}`;
      out.push(here);
      walk(value, here);
    }
  };
  walk(parse(text, { uniqueKeys: false, merge: false }), '');
  const sampled = out.filter((_, i) => i % every === 0);
  return [...sampled, ...sampled.filter((_, i) => i % 5 === 0).map((p) => `${p}/gone/0`), '/nothing', '/0', ''];
}

function expectSameAsFullParse(text: string, every = 1): void {
  const fast = yamlLines(text);
  const full = yamlLinesByFullParse(text);
  const pointers = pointersOf(text, every);
  expect(pointers.length).toBeGreaterThan(3);
  for (const pointer of pointers) expect(fast(pointer), pointer).toBe(full(pointer));
}

const CASES: Array<[string, string]> = [
  ['block maps and sequences', 'openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - name: q\n          in: query\n        - name: r\n          in: header\n          schema: { type: string }\n'],
  ['a sequence at its key\'s indentation', 'tags:\n- a\n- name: b\n  x: 1\nnext:\n  - c\n'],
  ['quoted, numeric and odd keys', "responses:\n  '200':\n    description: ok\n  \"404\": { description: no }\n  500:\n    description: x\n  'it''s': 1\n  a/b: 2\n  a~b: 3\n  007: seven\n  1.5: f\n  true: t\n  ~: n\n  key with spaces : 4\n"],
  ['comments and blank lines', '# head\n\nroot:\n  # note\n  a: 1 # trailing\n\n  b:   # comment before a block\n    c: 2\n'],
  ['block scalars that look like keys', 'a:\n  description: |\n    b: not a key\n    - not an item\n  after: 1\n  folded: >-\n    c: text\n\n    d: more\n  last: 2\n'],
  ['multi-line plain and quoted scalars', 'a:\n  text: one\n    two three\n  quoted: "x\n    y"\n  b: 1\n'],
  ['flow collections (full parse below them)', 'a:\n  enum: [x, y, z]\n  obj: {p: 1, q: [1, 2]}\n  multi: [\n    1,\n    2\n  ]\n  b: 1\n'],
  ['anchors, aliases and merge keys', 'base: &base\n  x: 1\n  y: 2\nuse:\n  <<: *base\n  z: 3\nlist:\n  - &item\n    k: v\n  - *item\n'],
  ['an item that is a block on the next line', 'list:\n  -\n    a: 1\n    b: 2\n  - - nested\n    - again\n  -   spaced: 1\n      more: 2\n'],
  ['duplicate keys (the first counts)', 'a:\n  x: 1\n  x: 2\nb: 3\n'],
  ['CRLF line breaks', 'a:\r\n  b:\r\n    - c: 1\r\n      d: 2\r\n'],
  ['a byte-order mark and a document start', '\uFEFF---\nopenapi: 3.1.0\ninfo:\n  title: t\n'],
  ['directives', '%YAML 1.2\n---\na:\n  b: 1\n'],
  ['tags', 'a: !!map\n  b: 1\nc: !!str 2\n'],
];

describe('yamlLines gives the position-tracking parse\'s line for every pointer', () => {
  test.each(CASES)('%s', (_name, text) => {
    expectSameAsFullParse(text);
  });

  test('the documented examples', () => {
    const text = ['openapi: 3.0.3', 'paths:', '  /a:', '    get:', '      parameters:', '        - name: q', '          in: query'].join('\n');
    const find = yamlLines(text);
    expect(find('/paths/~1a/get')).toBe(4);
    expect(find('/paths/~1a/get/parameters/0/in')).toBe(7);
    expect(find('/paths/~1a/delete')).toBe(3);
    expect(find('/nothing')).toBeUndefined();
  });

  const specs = path.resolve('../shared/specs');
  const yamlSpecs = existsSync(specs)
    ? [
        ['real/openai-openapi.yaml', 97],
        ['real/oai-petstore-expanded.yaml', 1],
        ['real/oai-uspto.yaml', 1],
        ['real/oai-link-example.yaml', 1],
        ['real/redocly-museum.yaml', 1],
        ['edge/openapi-typescript-yaml-merge.yaml', 1],
      ].filter(([file]) => existsSync(path.join(specs, file as string)))
    : [];
  test.skipIf(yamlSpecs.length === 0).each(yamlSpecs)(`real spec %s (skipped when ${specs} is absent)`, (file, every) => {
    expectSameAsFullParse(readFileSync(path.join(specs, file as string), 'utf8'), every as number);
  });
});
