import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadSpec, type LoadedSpec } from '../../../src/load/load.js';
import { buildIr } from '../../../src/ir/build/document.js';
import type { IrDocument } from '../../../src/ir/types.js';
import { generateTypes } from '../../../src/generators/types/generate.js';
import { schemaModel } from '../../../src/generators/print/schema-model.js';

const ENTRY_POINTS = ['paths', 'operations', 'components', 'webhooks', '$defs'];

/** Top-level type declarations of a generated types.ts, in order (duplicates kept). */
function declaredTypes(source: string): string[] {
  const file = ts.createSourceFile('types.ts', source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return file.statements.flatMap((statement) => (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) ? [statement.name.text] : []));
}

/** What types.ts must declare: each IR named schema's variants (and input types) once, and the entry points. */
function expectedTypes(ir: IrDocument): string[] {
  const model = schemaModel(ir);
  const names = model.nodes.flatMap((node) => [...new Set([node.name, model.inputName(node.name)])]);
  return [...names, ...ENTRY_POINTS].sort();
}

const inline = (document: Record<string, unknown>): LoadedSpec => ({ document, sourceVersion: '3.1.0', source: 'inline.json', files: [], diagnostics: [], hash: 'inline' });

/** An inline recursive response schema (hoisted by the IR), a readOnly component, a default (an input type). */
const TREE_POINTER = '#/paths/~1tree/get/responses/200/content/application~1json/schema';
const TREE = {
  openapi: '3.1.0',
  info: { title: 'Tree', version: '1' },
  paths: {
    '/tree': {
      get: {
        operationId: 'getTree',
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: TREE_POINTER } } } } } },
          },
        },
      },
    },
    '/nodes': {
      post: {
        operationId: 'createNode',
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } },
        responses: { '201': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } },
      },
    },
  },
  components: {
    schemas: {
      Node: { type: 'object', required: ['id'], properties: { id: { type: 'string', readOnly: true }, size: { type: 'integer', default: 1 }, parent: { $ref: '#/components/schemas/Node' } } },
    },
  },
};

describe('types.ts declares the IR named schemas, once each, and hoists nothing of its own', () => {
  it('an inline recursive schema is declared under the name the IR gave it', () => {
    const ir = buildIr(inline(TREE));
    const hoisted = ir.schemas.filter((s) => !s.pointer.startsWith('/components/schemas/'));
    expect(hoisted.map((s) => s.pointer)).toEqual([TREE_POINTER.slice(1)]);
    const declared = declaredTypes(generateTypes(ir));
    expect([...declared].sort()).toEqual(expectedTypes(ir));
    expect(declared).toContain(hoisted[0]?.name);
    expect(declared).toEqual(expect.arrayContaining(['Node', 'NodeRequest', 'NodeRequestInput']));
  });

  const dirs = ['fixtures', 'fixtures/zod'].map((dir) => path.resolve(dir));
  const files = dirs.flatMap((dir) => readdirSync(dir).filter((name) => /\.(ya?ml|json)$/.test(name)).map((name) => path.join(dir, name)));

  it.each(files.map((file) => [path.relative(process.cwd(), file), file]))('%s', async (_label, file) => {
    const ir = buildIr(await loadSpec(file, { validate: false }));
    expect(declaredTypes(generateTypes(ir)).sort()).toEqual(expectedTypes(ir));
  });
});
