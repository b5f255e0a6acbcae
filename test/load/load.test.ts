import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/load/load.js';
import { buildIr } from '../../src/ir/build/document.js';
import { ConcordError } from '../../src/errors.js';
import { scratch } from '../helpers/workspace.js';

function write(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}

const MULTI_FILE = {
  'openapi.yaml': `openapi: 3.0.3
info: { title: multi, version: '1' }
paths:
  /pets:
    $ref: ./paths/pets.yaml
components:
  schemas:
    Pet:
      $ref: ./schemas/pet.yaml
`,
  'paths/pets.yaml': `get:
  operationId: listPets
  responses:
    '200':
      description: ok
      content:
        application/json:
          schema:
            type: array
            items:
              $ref: ../schemas/pet.yaml
`,
  'schemas/pet.yaml': `type: object
required: [id]
properties:
  id: { type: integer }
  parent:
    $ref: ./pet.yaml
`,
};

describe('loadSpec', () => {
  let server: Server;
  let base = '';
  const served = scratch('served');
  write(served, MULTI_FILE);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const { readFile } = require('node:fs') as typeof import('node:fs');
      readFile(path.join(served, decodeURIComponent(req.url ?? '/')), (error, data) => {
        if (error) {
          res.writeHead(404);
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end(data);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('bundles multi-file relative $refs from disk, with a recursive schema, and lists every file read', async () => {
    const spec = await loadSpec(path.join(served, 'openapi.yaml'));
    expect(spec.files.map((f) => path.relative(served, f)).sort()).toEqual(['openapi.yaml', 'paths/pets.yaml', 'schemas/pet.yaml']);
    const ir = buildIr(spec);
    expect(ir.operations.map((o) => o.name)).toEqual(['listPets']);
    expect(ir.schemas.find((s) => s.name === 'Pet')?.recursive).toBe(true);
    expect(JSON.stringify(spec.document)).not.toMatch(/\.yaml/);
  });

  it('loads the same multi-file document over http(s), with the same hash', async () => {
    const fromDisk = await loadSpec(path.join(served, 'openapi.yaml'));
    const fromUrl = await loadSpec(`${base}/openapi.yaml`);
    expect(fromUrl.hash).toBe(fromDisk.hash);
    expect(fromUrl.files).toEqual([]);
  });

  it('names the URL when it answers an error status', async () => {
    await expect(loadSpec(`${base}/nope.yaml`)).rejects.toMatchObject({ code: 'SPEC_NOT_FOUND' });
  });

  const cases: Array<{ name: string; text: string; want: (spec: Awaited<ReturnType<typeof loadSpec>>) => void }> = [
    {
      name: 'OpenAPI 3.2 is read as 3.1 with a warning',
      text: `openapi: 3.2.0\ninfo: { title: t, version: '1' }\npaths: {}\n`,
      want: (spec) => {
        expect(spec.sourceVersion).toBe('3.2.0');
        expect(spec.diagnostics.map((d) => d.code)).toContain('OPENAPI_32');
      },
    },
    {
      name: 'a 3.1 document with only components',
      text: `openapi: 3.1.0\ninfo: { title: t, version: '1' }\ncomponents:\n  schemas:\n    A: { type: string }\n`,
      want: (spec) => expect(buildIr(spec).schemas.map((s) => s.name)).toEqual(['A']),
    },
    {
      name: 'a numeric info.version is read as a string, with a warning',
      text: `openapi: 3.0.3\ninfo: { title: t, version: 2 }\npaths: {}\n`,
      want: (spec) => {
        expect(buildIr(spec).version).toBe('2');
        expect(spec.diagnostics.map((d) => d.code)).toContain('INFO_VERSION_NUMBER');
      },
    },
    {
      name: '$ref keys inside example data stay data (SCIM payloads use them)',
      text: `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /u:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              example: { members: [{ $ref: 'https://example.com/scim/Users/1', value: '1' }] }
`,
      want: (spec) => expect(JSON.stringify(spec.document)).toContain('"$ref":"https://example.com/scim/Users/1"'),
    },
    {
      name: 'YAML merge keys',
      text: `openapi: 3.0.3
info: { title: t, version: '1' }
paths: {}
components:
  schemas:
    Base: &base { type: object, properties: { id: { type: string } } }
    Derived:
      <<: *base
      description: merged
`,
      want: (spec) => {
        const derived = buildIr(spec).schemas.find((s) => s.name === 'Derived');
        expect(derived?.schema.kind).toBe('object');
        expect(derived?.schema.description).toBe('merged');
      },
    },
    {
      name: 'structural problems are warnings with a pointer',
      text: `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      responses:\n        '200': { descriptionx: oops }\n`,
      want: (spec) => expect(spec.diagnostics.find((d) => d.code === 'SPEC_VALIDATION')?.pointer).toBe('/paths/~1a/get/responses/200'),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = scratch('load-case');
      write(dir, { 'openapi.yaml': c.text });
      c.want(await loadSpec(path.join(dir, 'openapi.yaml')));
    });
  }

  it('repairs what bundling leaves behind: $ref-ed property maps, mappings that still name files', async () => {
    const dir = scratch('normalise');
    write(dir, {
      'openapi.yaml': `openapi: 3.0.3
info: { title: t, version: '1' }
paths: {}
components:
  schemas:
    Shape:
      oneOf: [{ $ref: './shapes.yaml#/Circle' }]
      discriminator: { propertyName: kind, mapping: { circle: './shapes.yaml#/Circle' } }
    Box:
      type: object
      properties:
        $ref: './shapes.yaml#/Common'
`,
      'shapes.yaml': `Circle: { type: object, properties: { kind: { type: string }, r: { type: number } } }
Common: { id: { type: string }, size: { type: integer } }
`,
    });
    const spec = await loadSpec(path.join(dir, 'openapi.yaml'));
    const box = buildIr(spec).schemas.find((s) => s.name === 'Box')?.schema;
    expect(box?.kind === 'object' ? box.properties.map((p) => p.name) : []).toEqual(['id', 'size']);
    expect(spec.diagnostics.find((d) => d.code === 'DISCRIMINATOR_MAPPING')?.pointer).toBe('/components/schemas/Shape/discriminator/mapping/circle');
  });

  it('a broken $ref in a referenced file names that file, its line and the pointer', async () => {
    const dir = scratch('broken-external');
    write(dir, {
      'openapi.yaml': `openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    $ref: ./a.yaml\n`,
      'a.yaml': `get:\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: ./missing.yaml\n`,
    });
    const error = (await loadSpec(path.join(dir, 'openapi.yaml')).catch((e: unknown) => e)) as ConcordError;
    expect(error).toBeInstanceOf(ConcordError);
    expect(error.code).toBe('SPEC_CONTRACT');
    expect(error.details.join('\n')).toMatch(/a\.yaml:8 #\/get\/responses\/200\/content\/application~1json\/schema\/\$ref\n.*missing\.yaml/);
  });
});
