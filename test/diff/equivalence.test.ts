import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { diffFiles } from './helpers.js';

const PETSTORE = path.resolve('fixtures/petstore.yaml');
const SHARED = path.resolve(process.cwd(), '../shared/specs');
const MULTIFILE = path.join(SHARED, 'multifile/oai-petstore-separate/spec/swagger.yaml');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-eq-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reverse the key order of every object (arrays keep their order: it can matter). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reverseKeys(inner)]));
  return value;
}

function rewriteRefs(value: unknown, map: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, map));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, key === '$ref' && typeof inner === 'string' ? (map[inner] ?? inner) : rewriteRefs(inner, map)]));
  }
  return value;
}

describe('equivalent documents report no changes', () => {
  test('a document against itself', async () => {
    const report = await diffFiles(PETSTORE, PETSTORE);
    expect(report.changes).toEqual([]);
    expect(report.versioning).toMatchObject({ bump: 'none', required: 'none', ok: true });
  });

  test('YAML against its JSON re-serialisation', async () => {
    const json = path.join(dir, 'petstore.json');
    await writeFile(json, JSON.stringify(parse(await readFile(PETSTORE, 'utf8')), null, 2));
    expect((await diffFiles(PETSTORE, json)).changes).toEqual([]);
  });

  test('every object key in reverse order', async () => {
    const reversed = path.join(dir, 'reversed.yaml');
    await writeFile(reversed, stringify(reverseKeys(parse(await readFile(PETSTORE, 'utf8')))));
    expect((await diffFiles(PETSTORE, reversed)).changes).toEqual([]);
  });

  test.skipIf(!existsSync(MULTIFILE))('a multi-file Swagger 2.0 spec against a hand-bundled copy with named definitions', async () => {
    const spec = path.dirname(MULTIFILE);
    const load = async (file: string): Promise<unknown> => parse(await readFile(path.join(spec, file), 'utf8'));
    const parameters = (await load('parameters.yaml')) as Record<string, unknown>;
    const map = {
      'parameters.yaml#/tagsParam': '#/parameters/tagsParam',
      'parameters.yaml#/limitsParam': '#/parameters/limitsParam',
      'Pet.yaml': '#/definitions/Pet',
      'NewPet.yaml': '#/definitions/NewPet',
      '../common/Error.yaml': '#/definitions/Error',
    };
    const root = (await load('swagger.yaml')) as Record<string, unknown>;
    const bundled = rewriteRefs(
      { ...root, parameters, definitions: { Pet: await load('Pet.yaml'), NewPet: await load('NewPet.yaml'), Error: await load('../common/Error.yaml') } },
      map,
    );
    const file = path.join(dir, 'bundled.yaml');
    await writeFile(file, stringify(bundled));
    // The point of the copy: its schemas are named definitions where the original inlines external files.
    expect(JSON.stringify(bundled)).not.toContain('.yaml');
    const report = await diffFiles(MULTIFILE, file);
    expect(report.changes).toEqual([]);
    expect(report.base.operations).toBe(4);
  });
});
