import { describe, expect, test } from 'vitest';
import type { Change } from '../../src/diff/types.js';
import { diffDocs, itemDoc } from './helpers.js';

const str = { type: 'string' };
const item = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({ type: 'object', required, properties, ...extra });
const summary = (changes: Change[]): string[] => changes.filter((change) => change.family !== 'versioning').map((change) => `${change.id}/${change.direction}/${change.level}`).sort();

describe('schema comparison by content', () => {
  test.each<[string, unknown, unknown, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['a renamed component with the same content is no change', { $ref: '#/components/schemas/Old' }, { $ref: '#/components/schemas/New' }, { Old: item({ a: str }) }, { New: item({ a: str }) }, []],
    ['a renamed component with other content is compared by content', { $ref: '#/components/schemas/Old' }, { $ref: '#/components/schemas/New' }, { Old: item({ a: str }) }, { New: item({ a: { type: 'integer' } }) }, ['type-changed/request/breaking', 'type-changed/response/breaking']],
    ['a ref replaced by the same schema inline is no change', { $ref: '#/components/schemas/Old' }, item({ a: str }), { Old: item({ a: str }) }, {}, []],
    ['an object rewritten as an allOf of its parts is no change', item({ a: str, b: str }, ['a']), { allOf: [item({ a: str }, ['a']), item({ b: str })] }, {}, {}, []],
    ['integer -> number widens: info for requests, breaking for responses (the generated client validates them)', item({ n: { type: 'integer' } }), item({ n: { type: 'number' } }), {}, {}, ['constraint-loosened/request/info', 'constraint-loosened/response/breaking']],
    ['string -> enum restricts', item({ s: str }), item({ s: { type: 'string', enum: ['a'] } }), {}, {}, ['constraint-tightened/request/breaking', 'constraint-tightened/response/info']],
    ['a new required readOnly property does not break requests', item({ a: str }), item({ a: str, id: { type: 'string', readOnly: true } }, ['id']), {}, {}, ['property-added-required/response/info']],
    ['a removed writeOnly property does not break responses', item({ a: str, secret: { type: 'string', writeOnly: true } }, ['secret']), item({ a: str }), {}, {}, ['required-property-removed/request/warning']],
    ['a plain schema that becomes a union gains a member', item({ v: str }), item({ v: { oneOf: [str, { type: 'integer' }] } }), {}, {}, ['union-member-added/request/info', 'union-member-added/response/breaking']],
    ['anyOf -> oneOf tightens', item({ v: { anyOf: [str, { type: 'integer' }] } }), item({ v: { oneOf: [str, { type: 'integer' }] } }), {}, {}, ['constraint-tightened/request/breaking', 'constraint-tightened/response/info']],
    ['exclusiveMinimum (3.0 boolean form) is stricter than minimum', item({ n: { type: 'number', minimum: 0 } }), item({ n: { type: 'number', minimum: 0, exclusiveMinimum: true } }), {}, {}, ['constraint-tightened/request/breaking', 'constraint-tightened/response/info']],
    ['multipleOf 2 -> 3 both adds and removes valid values', item({ n: { type: 'integer', multipleOf: 2 } }), item({ n: { type: 'integer', multipleOf: 3 } }), {}, {}, ['constraint-loosened/request/info', 'constraint-loosened/response/breaking', 'constraint-tightened/request/breaking', 'constraint-tightened/response/info']],
  ])('%s', async (_name, baseItem, revisionItem, baseExtra, revisionExtra, want) => {
    const report = await diffDocs(itemDoc(baseItem, baseExtra), itemDoc(revisionItem, revisionExtra));
    expect(summary(report.changes)).toEqual([...want].sort());
  });

  test('recursive schemas terminate and a change deep inside is found once per direction', async () => {
    const node = (leaf: unknown) => ({ Node: item({ value: leaf, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } }, next: { $ref: '#/components/schemas/Other' } }), Other: item({ back: { $ref: '#/components/schemas/Node' } }) });
    const ref = { $ref: '#/components/schemas/Node' };
    const report = await diffDocs(itemDoc(ref, node(str)), itemDoc(ref, node({ type: 'boolean' })));
    expect(summary(report.changes)).toEqual(['type-changed/request/breaking', 'type-changed/response/breaking']);
    expect(report.changes[0]?.message).toContain('`Node.value`');
    expect(report.changes[0]?.impact.types).toContain('Node');
  });

  test('a shared component changed once is one change per direction listing every operation', async () => {
    const doc = (tag: unknown) => {
      const base = itemDoc(item({ shared: { $ref: '#/components/schemas/Shared' } }), { Shared: item({ tag }) });
      (base['paths'] as Record<string, unknown>)['/other'] = { get: { operationId: 'getOther', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Shared' } } } } } } };
      return base;
    };
    const report = await diffDocs(doc(str), doc({ type: 'integer' }));
    const response = report.changes.filter((change) => change.id === 'type-changed' && change.direction === 'response');
    expect(response).toHaveLength(1);
    expect(response[0]?.operations.map((op) => `${op.method} ${op.path}`)).toEqual(['post /items', 'get /other']);
    expect(response[0]?.impact.functions).toEqual(['createItem', 'getOther']);
    expect(response[0]?.impact.types).toEqual(['Item', 'Shared']);
  });

  test('impact names the request variant of a type with readOnly properties', async () => {
    const withId = (name: unknown) => item({ id: { type: 'string', readOnly: true }, name });
    const report = await diffDocs(itemDoc(withId(str)), itemDoc(withId({ type: 'integer' })));
    const request = report.changes.find((change) => change.direction === 'request');
    const response = report.changes.find((change) => change.direction === 'response');
    expect(request?.impact.types).toEqual(['ItemRequest']);
    expect(response?.impact.types).toEqual(['Item']);
  });
});

describe('parameter and header schemas use the schema rules in their direction', () => {
  const doc = (param: unknown, header: unknown) => ({
    openapi: '3.0.3',
    info: { title: 'P', version: '1.0.0' },
    paths: { '/a': { get: { operationId: 'getA', parameters: [{ name: 'q', in: 'query', schema: param }], responses: { '200': { description: 'ok', headers: { 'X-Count': { schema: header } } } } } } },
  });
  test.each<[string, unknown, unknown, unknown, unknown, string[]]>([
    ['parameter type changed', str, { type: 'integer' }, str, str, ['type-changed/request/breaking']],
    ['parameter format changed', { type: 'string', format: 'date' }, { type: 'string', format: 'uuid' }, str, str, ['format-changed/request/breaking']],
    ['parameter enum value removed', { type: 'string', enum: ['a', 'b'] }, { type: 'string', enum: ['a'] }, str, str, ['enum-value-removed/request/breaking']],
    ['parameter enum value added', { type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] }, str, str, ['enum-value-added/request/info']],
    ['parameter default changed', { type: 'integer', default: 10 }, { type: 'integer', default: 20 }, str, str, ['parameter-default-changed/request/breaking']],
    ['response header enum widened', str, str, { type: 'string', enum: ['a'] }, { type: 'string', enum: ['a', 'b'] }, ['enum-value-added/response/breaking']],
    ['response header became nullable', str, str, str, { type: 'string', nullable: true }, ['nullable-added/response/breaking']],
  ])('%s', async (_name, baseParam, revisionParam, baseHeader, revisionHeader, want) => {
    const report = await diffDocs(doc(baseParam, baseHeader), doc(revisionParam, revisionHeader));
    expect(summary(report.changes)).toEqual(want);
  });
});

describe('Swagger 2.0 is converted before comparing', () => {
  test('a 2.0 document and its 3.0 equivalent report no changes', async () => {
    const swagger = {
      swagger: '2.0',
      info: { title: 'S', version: '1.0.0' },
      paths: { '/a/{id}': { get: { operationId: 'getA', produces: ['application/json'], parameters: [{ name: 'id', in: 'path', required: true, type: 'integer' }], responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/A' } } } } } },
      definitions: { A: item({ id: { type: 'integer' } }, ['id']) },
    };
    const openapi = {
      openapi: '3.0.3',
      info: { title: 'S', version: '1.0.0' },
      paths: { '/a/{id}': { get: { operationId: 'getA', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } } } } } },
      components: { schemas: { A: item({ id: { type: 'integer' } }, ['id']) } },
    };
    expect((await diffDocs(swagger, openapi)).changes).toEqual([]);
  });
});
