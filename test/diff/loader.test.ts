import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isConcordError } from '../../src/errors.js';
import { loadForDiff, originOf } from '../../src/diff/loader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-loader-'));
  await mkdir(path.join(dir, 'schemas'));
  await writeFile(
    path.join(dir, 'openapi.yaml'),
    ['openapi: 3.0.3', 'info:', '  title: T', '  version: 1.0.0', 'paths:', '  /pets:', '    get:', '      responses:', "        '200':", '          description: ok', '          content:', '            application/json:', '              schema:', "                $ref: './schemas/pet.yaml'", 'components:', '  schemas:', '    Owner:', "      $ref: './schemas/pet.yaml#/definitions/Owner'", ''].join('\n'),
  );
  await writeFile(path.join(dir, 'schemas/pet.yaml'), ['type: object', 'properties:', '  name:', '    type: string', '  owner:', "    $ref: '#/definitions/Owner'", 'definitions:', '  Owner:', '    type: object', '    properties:', '      id:', '        type: integer', ''].join('\n'));
  await writeFile(path.join(dir, 'broken.yaml'), ['openapi: 3.0.3', 'info: {title: T, version: 1.0.0}', 'paths:', '  /a:', '    get:', '      responses:', "        '200':", '          description: ok', '          content:', '            application/json:', "              schema: {$ref: '#/components/schemas/Missing'}", ''].join('\n'));
  // An anchor whose alias sits inside itself: a loop in the parsed data (js-yaml keeps aliases as shared objects).
  await writeFile(path.join(dir, 'loop.yaml'), ['openapi: 3.0.3', 'info: {title: T, version: 1.0.0}', 'paths:', '  /n:', '    get:', '      responses:', "        '200':", '          description: ok', '          content:', '            application/json:', "              schema: {type: object, properties: {node: {$ref: '#/components/schemas/Node'}}}", 'components:', '  schemas:', '    Node: &node', '      type: object', '      deprecated: true', '      x-self:', '        again: *node', ''].join('\n'));
  await writeFile(path.join(dir, 'missing-file.yaml'), ['openapi: 3.0.3', 'info: {title: T, version: 1.0.0}', 'paths: {}', 'components:', '  schemas:', "    A: {$ref: './nope.yaml'}", ''].join('\n'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the diff loader', () => {
  test('a YAML alias that loops does not hang or overflow the diff (the keyword index is bounded by depth)', async () => {
    const { runDiff } = await import('../../src/diff/index.js');
    const file = path.join(dir, 'loop.yaml');
    const result = await runDiff({ base: file, revision: file, format: 'json' });
    expect(result.report.summary.total).toBe(0);
  });

  test('bundles external refs once, keeps internal refs of the referenced file working, and remembers origins', async () => {
    const { spec, origins } = await loadForDiff(path.join(dir, 'openapi.yaml'), new Map());
    const schemas = (spec.document['components'] as { schemas: Record<string, unknown> }).schemas;
    // Components are bundled first, so the shared Owner lives under components and pet.yaml's ref points at it.
    expect(schemas['Owner']).toMatchObject({ type: 'object' });
    const pet = (spec.document['paths'] as Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> }>>)['/pets']?.['get']?.responses['200']?.content['application/json']?.schema;
    expect(pet?.properties['owner']).toEqual({ $ref: '#/components/schemas/Owner' });
    const origin = originOf(origins, '/paths/~1pets/get/responses/200/content/application~1json/schema/properties/name');
    expect(origin).toEqual({ file: path.join(dir, 'schemas/pet.yaml'), pointer: '/properties/name' });
  });

  test('a $ref to nothing is SPEC_REF naming the file, pointer and line of the $ref', async () => {
    const error = await loadForDiff(path.join(dir, 'broken.yaml'), new Map()).catch((caught: unknown) => caught);
    expect(isConcordError(error) && error.code).toBe('SPEC_REF');
    expect(isConcordError(error) && error.location).toMatchObject({ file: path.join(dir, 'broken.yaml'), line: 11 });
  });

  test('a $ref to a missing file is SPEC_REF (exit 2), not an internal error', async () => {
    const error = await loadForDiff(path.join(dir, 'missing-file.yaml'), new Map()).catch((caught: unknown) => caught);
    expect(isConcordError(error) && error.code).toBe('SPEC_REF');
    expect(isConcordError(error) && error.exitCode).toBe(2);
  });
});
