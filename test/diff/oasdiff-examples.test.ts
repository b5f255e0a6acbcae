import { describe, expect, test } from 'vitest';
import { coverageById } from '../../src/diff/rules/oasdiff-catalogue.js';
import { diffDocs } from './helpers.js';

/**
 * The mapping says which concord rule reports each oasdiff check; these pairs prove it for a sample of every family:
 * for each oasdiff id, a change oasdiff reports under that id makes concord report a rule mapped to it, in the
 * direction the mapping gives. (oasdiff's own levels and ids: docs/oasdiff-checks.tsv.)
 */

type Json = Record<string, unknown>;
const str = { type: 'string' };
const doc = (op: Json, pathItem: Json = {}, extra: Json = {}): Json => ({ openapi: '3.1.0', info: { title: 'T', version: '1.0.0' }, paths: { '/items': { ...pathItem, post: { operationId: 'create', responses: { '200': { description: 'ok' } }, ...op } } }, ...extra });
const reqBody = (schema: Json | undefined): Json => doc({ requestBody: { content: { 'application/json': schema === undefined ? {} : { schema } } } });
const resBody = (schema: Json | undefined, mediaType = 'application/json'): Json => doc({ responses: { '200': { description: 'ok', content: { [mediaType]: schema === undefined ? {} : { schema } } } } });
const reqProp = (schema: Json): Json => reqBody({ type: 'object', properties: { p: schema } });
const resProp = (schema: Json): Json => resBody({ type: 'object', properties: { p: schema } });
const param = (schema: Json, extra: Json = {}): Json => doc({ parameters: [{ name: 'q', in: 'query', schema, ...extra }] });
const petUnion = (target: string): Json => ({ oneOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }], discriminator: { propertyName: 't', mapping: { x: `#/components/schemas/${target}` } } });
const pets = (d: Json): Json => ({ ...d, components: { schemas: { A: { type: 'object', properties: { t: str, a: str } }, B: { type: 'object', properties: { t: str, b: { type: 'integer' } } } } } });
const oauth = (tokenUrl: string): Json => doc({ security: [{ o: [] }] }, {}, { components: { securitySchemes: { o: { type: 'oauth2', flows: { clientCredentials: { tokenUrl, scopes: {} } } } } } });
const header = (schema: Json): Json => doc({ responses: { '200': { description: 'ok', headers: { 'X-A': { schema } } } } });

const CASES: Array<[string, Json, Json]> = [
  ['request-body-media-type-schema-added', reqBody(undefined), reqBody(str)],
  ['response-body-media-type-schema-removed', resBody(str), resBody(undefined)],
  ['request-parameter-property-enum-value-removed', param({ type: 'object', properties: { a: { type: 'string', enum: ['x', 'y'] } } }), param({ type: 'object', properties: { a: { type: 'string', enum: ['x'] } } })],
  ['new-required-request-default-parameter-to-existing-path', doc({}), doc({}, { parameters: [{ name: 'q', in: 'query', required: true, schema: str }] })],
  ['response-header-type-changed', header(str), header({ type: 'integer' })],
  ['response-header-type-generalized', header({ type: 'integer' }), header({ type: 'number' })],
  ['response-header-became-nullable', header(str), header({ type: ['string', 'null'] })],
  ['request-parameter-list-of-types-widened', param({ type: ['string'] }), param({ type: ['string', 'integer'] })],
  ['response-property-list-of-types-widened', resProp({ type: ['string'] }), resProp({ type: ['string', 'integer'] })],
  ['request-property-list-of-types-narrowed', reqProp({ type: ['string', 'integer'] }), reqProp({ type: ['string'] })],
  ['response-mediatype-enum-value-removed', resBody({ type: 'string', enum: ['a', 'b'] }), resBody({ type: 'string', enum: ['a'] })],
  ['request-body-became-enum', reqBody(str), reqBody({ type: 'string', enum: ['a'] })],
  ['response-body-const-changed', resBody({ const: 'a' }), resBody({ const: 'b' })],
  ['request-property-const-added', reqProp(str), reqProp({ type: 'string', const: 'a' })],
  ['response-media-type-name-generalized', resBody(str), resBody(str, 'application/*')],
  ['response-body-min-properties-decreased', resBody({ type: 'object', minProperties: 2 }), resBody({ type: 'object', minProperties: 1 })],
  ['request-property-max-properties-set', reqProp({ type: 'object' }), reqProp({ type: 'object', maxProperties: 3 })],
  ['request-body-unique-items-set', reqBody({ type: 'array', items: str }), reqBody({ type: 'array', items: str, uniqueItems: true })],
  ['response-property-unique-items-unset', resProp({ type: 'array', items: str, uniqueItems: true }), resProp({ type: 'array', items: str })],
  ['request-property-multiple-of-generalized', reqProp({ type: 'integer', multipleOf: 4 }), reqProp({ type: 'integer', multipleOf: 2 })],
  ['response-body-multiple-of-changed', resBody({ type: 'integer', multipleOf: 2 }), resBody({ type: 'integer', multipleOf: 3 })],
  ['request-parameter-exclusive-max-set', param({ type: 'integer' }), param({ type: 'integer', exclusiveMaximum: 10 })],
  ['response-property-exclusive-min-decreased', resProp({ type: 'integer', exclusiveMinimum: 5 }), resProp({ type: 'integer', exclusiveMinimum: 1 })],
  ['request-body-if-added', reqBody({ type: 'object' }), reqBody({ type: 'object', if: { required: ['a'] }, then: { required: ['b'] } })],
  ['response-property-else-removed', resProp({ type: 'object', if: { required: ['a'] }, else: { required: ['b'] } }), resProp({ type: 'object', if: { required: ['a'] } })],
  ['response-body-prefix-items-added', resBody({ type: 'array', items: str }), resBody({ type: 'array', items: str, prefixItems: [{ type: 'integer' }] })],
  ['request-property-prefix-items-removed', reqProp({ type: 'array', items: str, prefixItems: [{ type: 'integer' }] }), reqProp({ type: 'array', items: str })],
  ['response-body-dependent-required-changed', resBody({ type: 'object', dependentRequired: { a: ['b'] } }), resBody({ type: 'object', dependentRequired: { a: ['b', 'c'] } })],
  ['request-body-content-schema-added', reqBody({ type: 'string', contentMediaType: 'application/json' }), reqBody({ type: 'string', contentMediaType: 'application/json', contentSchema: { type: 'object' } })],
  ['response-property-content-schema-removed', resProp({ type: 'string', contentSchema: { type: 'object' } }), resProp(str)],
  ['request-body-all-of-added-annotation-only', reqBody({ allOf: [{ type: 'object' }] }), reqBody({ allOf: [{ type: 'object' }, { description: 'd' }] })],
  ['request-body-wrapped-in-one-of', reqBody({ type: 'object', properties: { a: str } }), reqBody({ oneOf: [{ type: 'object', properties: { a: str } }, str] })],
  ['response-required-property-became-not-write-only', resBody({ type: 'object', required: ['p'], properties: { p: { type: 'string', writeOnly: true } } }), resBody({ type: 'object', required: ['p'], properties: { p: str } })],
  ['request-required-property-became-not-read-only', reqBody({ type: 'object', required: ['p'], properties: { p: { type: 'string', readOnly: true } } }), reqBody({ type: 'object', required: ['p'], properties: { p: str } })],
  ['request-header-property-became-required', doc({ parameters: [{ name: 'X-H', in: 'header', schema: { type: 'object', properties: { a: str } } }] }), doc({ parameters: [{ name: 'X-H', in: 'header', schema: { type: 'object', required: ['a'], properties: { a: str } } }] })],
  ['api-global-security-added', doc({}, {}, { security: [{ k: [] }], components: { securitySchemes: { k: { type: 'apiKey', in: 'header', name: 'X' } } } }), doc({}, {}, { security: [{ k: [] }, { j: [] }], components: { securitySchemes: { k: { type: 'apiKey', in: 'header', name: 'X' }, j: { type: 'apiKey', in: 'header', name: 'Y' } } } })],
  ['request-parameter-sunset-deleted', param(str, { deprecated: true, 'x-sunset': '2099-01-01' }), param(str, { deprecated: true })],
  ['response-property-deprecated-with-sunset', resProp(str), resProp({ type: 'string', deprecated: true, 'x-sunset': '2099-01-01' })],
  ['request-body-media-type-item-schema-added', doc({ requestBody: { content: { 'application/x-ndjson': { schema: str } } } }), doc({ requestBody: { content: { 'application/x-ndjson': { schema: str, itemSchema: { type: 'object', required: ['id'] } } } } })],
  ['response-body-media-type-item-schema-removed-untyped', doc({ responses: { '200': { description: 'ok', content: { 'text/event-stream': { itemSchema: { type: 'object' } } } } } }), doc({ responses: { '200': { description: 'ok', content: { 'text/event-stream': {} } } } })],
  ['api-schema-removed', doc({}, {}, { components: { schemas: { Unused: str } } }), doc({})],
  ['api-tag-removed', doc({ tags: ['a', 'b'] }), doc({ tags: ['a'] })],
  ['response-property-discriminator-mapping-changed', pets(resProp(petUnion('A'))), pets(resProp(petUnion('B')))],
  ['request-parameter-property-type-changed', param({ type: 'object', properties: { a: str } }), param({ type: 'object', properties: { a: { type: 'boolean' } } })],
  ['response-header-type-specialized', header({ type: 'number' }), header({ type: 'integer' })],
  ['response-property-pattern-added', resProp(str), resProp({ type: 'string', pattern: '^a' })],
  ['request-property-pattern-generalized', reqProp({ type: 'string', pattern: '^ab' }), reqProp({ type: 'string', pattern: '^a' })],
  ['new-required-request-header-property', doc({ parameters: [{ name: 'X-H', in: 'header', schema: { type: 'object', properties: { a: str } } }] }), doc({ parameters: [{ name: 'X-H', in: 'header', schema: { type: 'object', required: ['b'], properties: { a: str, b: str } } }] })],
  ['request-parameter-explode-changed', param({ type: 'array', items: str }, { explode: true }), param({ type: 'array', items: str }, { explode: false })],
  ['response-optional-property-became-write-only', resProp(str), resProp({ type: 'string', writeOnly: true })],
  ['request-required-property-became-read-only', reqBody({ type: 'object', required: ['p'], properties: { p: str } }), reqBody({ type: 'object', required: ['p'], properties: { p: { type: 'string', readOnly: true } } })],
  ['api-security-component-oauth-token-url-changed', oauth('https://a.example/token'), oauth('https://b.example/token')],
  ['request-parameter-removed-with-deprecation', param(str, { deprecated: true, 'x-sunset': '2020-01-01' }), doc({})],
  ['api-path-sunset-parse', doc({}), doc({ deprecated: true, 'x-sunset': 'soon' })],
  // `items: false` after `prefixItems` closes the tuple: oasdiff reports it under the property ids, body or not.
  ['request-property-schema-became-false', reqProp({ type: 'array', prefixItems: [str] }), reqProp({ type: 'array', prefixItems: [str], items: false })],
  ['response-property-schema-became-false', resBody({ type: 'array', prefixItems: [str] }), resBody({ type: 'array', prefixItems: [str], items: false })],
  ['request-property-schema-became-not-false', reqBody({ type: 'array', prefixItems: [str], items: false }), reqBody({ type: 'array', prefixItems: [str] })],
  ['response-property-schema-became-not-false', resProp({ type: 'array', prefixItems: [str], items: false }), resProp({ type: 'array', prefixItems: [str] })],
  ['request-property-schema-became-false', reqProp({ type: 'object' }), reqBody({ type: 'object', properties: { p: false } })],
  ['request-body-schema-became-false', reqBody({ type: 'object' }), doc({ requestBody: { content: { 'application/json': { schema: false } } } })],
  ['request-body-schema-became-not-false', doc({ requestBody: { content: { 'application/json': { schema: false } } } }), reqBody({ type: 'object' })],
  ['sunset-deleted', doc({ deprecated: true, 'x-sunset': '2099-01-01' }), doc({ deprecated: true })],
];

describe('oasdiff checks, concord rules: a sample pair per family fires the mapped rule', () => {
  const covered = coverageById();
  test.each(CASES)('%s', async (id, base, revision) => {
    const expected = covered.get(id) ?? [];
    expect(expected.length, `${id} is mapped`).toBeGreaterThan(0);
    const report = await diffDocs(base, revision);
    const found = report.changes.map((change) => `${change.id}/${change.direction}`);
    expect(found.some((key) => expected.some((entry) => key === `${entry.rule}/${entry.direction}`)), `${id}: one of ${expected.map((e) => `${e.rule}/${e.direction}`).join(', ')} in ${found.join(', ')}`).toBe(true);
  });
});
