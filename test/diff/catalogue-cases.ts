import { itemDoc } from './helpers.js';

/**
 * Table-driven fixtures for the rules added to cover oasdiff's catalogue (issue 12): per rule a firing pair and a
 * near miss, small inline documents. test/diff/rules.test.ts holds the same discipline for rules with a fixture
 * directory; every rule must have one or the other.
 */

export interface CatalogueCase {
  rule: string;
  base: unknown;
  revision: unknown;
  nearMiss: [unknown, unknown];
  /** The rule expected when the pair is diffed the other way round (the counterpart), if any. */
  reverse?: string;
}

type Json = Record<string, unknown>;
const str = { type: 'string' };
const obj = (properties: Json, extra: Json = {}): Json => ({ type: 'object', properties, ...extra });

/** One GET /things operation with the given operation-object fields; `doc` merges into the document. */
export function opDoc(op: Json = {}, doc: Json = {}): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Things', version: '1.0.0' },
    paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok' } }, ...op } } },
    ...doc,
  };
}

const param = (schema: Json): Json => opDoc({ parameters: [{ name: 'limit', in: 'query', schema }] });
const callback = { onEvent: { '{$request.query.url}': { post: { requestBody: { content: { 'application/json': { schema: str } } }, responses: { '200': { description: 'ok' } } } } } };
const webhookDoc = (payload: Json | undefined): Json =>
  opDoc({}, payload === undefined ? {} : { webhooks: { petCreated: { post: { requestBody: { content: { 'application/json': { schema: payload } } }, responses: { '200': { description: 'ok' } } } } } });

/** An OAuth2 scheme whose authorizationCode flow offers these scopes, required (with `read`) by GET /things. */
const oauthDoc = (scopes: string[], description = 'OAuth'): Json =>
  opDoc(
    { security: [{ oauth: ['read'] }] },
    { components: { securitySchemes: { oauth: { type: 'oauth2', description, flows: { authorizationCode: { authorizationUrl: 'https://auth.example/authorize', tokenUrl: 'https://auth.example/token', scopes: Object.fromEntries(scopes.map((scope) => [scope, `may ${scope}`])) } } } } } },
  );

/** GET /things answers `Used`; `schemas` are the components. */
const componentsDoc = (schemas: Json): Json =>
  opDoc({ responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Used' } } } } } }, { components: { schemas } });
const used = obj({ helper: { $ref: '#/components/schemas/Helper' } });

export const CATALOGUE: CatalogueCase[] = [
  { rule: 'component-schema-removed', base: componentsDoc({ Used: used, Helper: str, Unused: str }), revision: componentsDoc({ Used: used, Helper: str }), nearMiss: [componentsDoc({ Used: used, Helper: str, Unused: str }), componentsDoc({ Used: obj({ helper: str }), Unused: { type: 'string', description: 'd' } })] },
  { rule: 'parameter-default-changed', base: param({ type: 'integer', default: 10 }), revision: param({ type: 'integer', default: 20 }), nearMiss: [param({ type: 'integer', default: 10 }), param({ type: 'integer', default: 10, description: 'x' })], reverse: 'parameter-default-changed' },
  { rule: 'extensible-enum-value-removed', base: itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['a', 'b'] } })), revision: itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['a'] } })), nearMiss: [itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['a', 'b'] } })), itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['b', 'a'] } }))], reverse: 'extensible-enum-value-added' },
  { rule: 'extensible-enum-value-added', base: itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['a'] } })), revision: itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['a', 'b'] } })), nearMiss: [itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['a'] } })), itemDoc(obj({ s: { type: 'string', 'x-extensible-enum': ['a'], description: 'd' } }))], reverse: 'extensible-enum-value-removed' },
  { rule: 'content-encoding-changed', base: itemDoc(obj({ f: { type: 'string', contentEncoding: 'base64' } })), revision: itemDoc(obj({ f: { type: 'string', contentEncoding: 'base32' } })), nearMiss: [itemDoc(obj({ f: { type: 'string', contentEncoding: 'base64' } })), itemDoc(obj({ f: { type: 'string', contentEncoding: 'base64', description: 'd' } }))], reverse: 'content-encoding-changed' },
  { rule: 'content-schema-changed', base: itemDoc(obj({ f: { type: 'string', contentMediaType: 'application/json', contentSchema: obj({ a: str }) } })), revision: itemDoc(obj({ f: { type: 'string', contentMediaType: 'application/json', contentSchema: obj({ a: { type: 'integer' } }) } })), nearMiss: [itemDoc(obj({ f: { type: 'string', contentSchema: obj({ a: str }) } })), itemDoc(obj({ f: { type: 'string', contentSchema: obj({ a: str }) } }))], reverse: 'content-schema-changed' },
  { rule: 'operation-reactivated', base: opDoc({ deprecated: true, 'x-sunset': '2030-01-01' }), revision: opDoc(), nearMiss: [opDoc({ deprecated: true, 'x-sunset': '2030-01-01' }), opDoc({ deprecated: true, 'x-sunset': '2030-01-01' })] },
  { rule: 'operation-removed-before-sunset', base: opDoc({ deprecated: true, 'x-sunset': '2030-01-01' }), revision: opDoc({}, { paths: { '/other': { get: { responses: { '200': { description: 'ok' } } } } } }), nearMiss: [opDoc({ deprecated: true, 'x-sunset': '2025-06-01' }), opDoc({}, { paths: { '/other': { get: { responses: { '200': { description: 'ok' } } } } } })] },
  { rule: 'parameter-removed-before-sunset', base: opDoc({ parameters: [{ name: 'limit', in: 'query', deprecated: true, 'x-sunset': '2030-01-01', schema: { type: 'integer' } }] }), revision: opDoc(), nearMiss: [opDoc({ parameters: [{ name: 'limit', in: 'query', deprecated: true, 'x-sunset': '2025-06-01', schema: { type: 'integer' } }] }), opDoc()] },
  { rule: 'operation-sunset-invalid', base: opDoc(), revision: opDoc({ deprecated: true, 'x-sunset': 'next spring' }), nearMiss: [opDoc(), opDoc({ deprecated: true, 'x-sunset': '2030-01-01' })] },
  { rule: 'operation-sunset-missing', base: opDoc(), revision: opDoc({ deprecated: true }), nearMiss: [opDoc(), opDoc({ deprecated: true, 'x-stability-level': 'alpha' })] },
  { rule: 'operation-sunset-too-soon', base: opDoc(), revision: opDoc({ deprecated: true, 'x-sunset': '2026-02-01' }), nearMiss: [opDoc(), opDoc({ deprecated: true, 'x-sunset': '2026-02-01', 'x-stability-level': 'beta' })] },
  { rule: 'operation-sunset-moved-earlier', base: opDoc({ deprecated: true, 'x-sunset': '2027-01-01' }), revision: opDoc({ deprecated: true, 'x-sunset': '2026-02-01' }), nearMiss: [opDoc({ deprecated: true, 'x-sunset': '2027-01-01' }), opDoc({ deprecated: true, 'x-sunset': '2026-12-01' })] },
  { rule: 'operation-stability-invalid', base: opDoc({ 'x-stability-level': 'stable' }), revision: opDoc({ 'x-stability-level': 'production' }), nearMiss: [opDoc({ 'x-stability-level': 'beta' }), opDoc({ 'x-stability-level': 'stable' })] },
  { rule: 'operation-stability-decreased', base: opDoc({ 'x-stability-level': 'stable' }), revision: opDoc({ 'x-stability-level': 'beta' }), nearMiss: [opDoc({ 'x-stability-level': 'beta' }), opDoc({ 'x-stability-level': 'stable' })] },
  { rule: 'webhook-added', base: webhookDoc(undefined), revision: webhookDoc(str), nearMiss: [webhookDoc(str), webhookDoc(str)], reverse: 'webhook-removed' },
  { rule: 'webhook-removed', base: webhookDoc(str), revision: webhookDoc(undefined), nearMiss: [webhookDoc(str), webhookDoc({ type: 'string', description: 'd' })], reverse: 'webhook-added' },
  { rule: 'callback-added', base: opDoc(), revision: opDoc({ callbacks: callback }), nearMiss: [opDoc({ callbacks: callback }), opDoc({ callbacks: callback })], reverse: 'callback-removed' },
  { rule: 'callback-removed', base: opDoc({ callbacks: callback }), revision: opDoc(), nearMiss: [opDoc(), opDoc()], reverse: 'callback-added' },
  { rule: 'security-scheme-scope-removed', base: oauthDoc(['read', 'write']), revision: oauthDoc(['read']), nearMiss: [oauthDoc(['read', 'write']), oauthDoc(['write', 'read'], 'OAuth, reworded')], reverse: 'security-scheme-scope-added' },
  { rule: 'security-scheme-scope-added', base: oauthDoc(['read']), revision: oauthDoc(['read', 'admin']), nearMiss: [oauthDoc(['read']), oauthDoc(['read'], 'OAuth, reworded')], reverse: 'security-scheme-scope-removed' },
  { rule: 'server-added', base: opDoc({}, { servers: [{ url: 'https://a.example' }] }), revision: opDoc({}, { servers: [{ url: 'https://a.example' }, { url: 'https://b.example' }] }), nearMiss: [opDoc({}, { servers: [{ url: 'https://a.example' }] }), opDoc({}, { servers: [{ url: 'https://a.example/' }] })], reverse: 'server-removed' },
  { rule: 'server-removed', base: opDoc({}, { servers: [{ url: 'https://a.example' }, { url: 'https://b.example' }] }), revision: opDoc({}, { servers: [{ url: 'https://a.example' }] }), nearMiss: [opDoc(), opDoc({}, { servers: [{ url: '/' }] })], reverse: 'server-added' },
];

/** 2020-12 keywords and body-level cases that land on existing rules: [name, base item, revision item, expected ids]. */
export const KEYWORD_CASES: Array<[string, unknown, unknown, string[]]> = [
  ['const changed', obj({ k: { const: 'a' } }), obj({ k: { const: 'b' } }), ['enum-value-added', 'enum-value-removed']],
  ['contains added', obj({ l: { type: 'array', items: str } }), obj({ l: { type: 'array', items: str, contains: { const: 'x' } } }), ['constraint-tightened']],
  ['minContains raised', obj({ l: { type: 'array', contains: str, minContains: 1 } }), obj({ l: { type: 'array', contains: str, minContains: 2 } }), ['constraint-tightened']],
  ['maxContains raised', obj({ l: { type: 'array', contains: str, maxContains: 1 } }), obj({ l: { type: 'array', contains: str, maxContains: 3 } }), ['constraint-loosened']],
  // Position 1 was governed by `items` (string) and now by an integer entry: a type change at that position.
  ['prefixItems grew', obj({ t: { type: 'array', prefixItems: [str], items: str } }), obj({ t: { type: 'array', prefixItems: [str, { type: 'integer' }], items: str } }), ['type-changed']],
  ['prefixItems grew over any items', obj({ t: { type: 'array', prefixItems: [str] } }), obj({ t: { type: 'array', prefixItems: [str, { type: 'integer' }] } }), ['constraint-tightened']],
  ['prefixItems grew by an entry equal to items (no change)', obj({ t: { type: 'array', items: str } }), obj({ t: { type: 'array', prefixItems: [str], items: str } }), []],
  ['if/then added', obj({ a: str, b: str }), obj({ a: str, b: str }, { if: { required: ['a'] }, then: { required: ['b'] } }), ['constraint-tightened']],
  ['else removed', obj({ a: str }, { if: { required: ['a'] }, else: { required: ['b'] } }), obj({ a: str }, { if: { required: ['a'] } }), ['constraint-loosened']],
  ['not added', obj({ a: str }), obj({ a: str }, { not: { required: ['a'] } }), ['constraint-tightened']],
  ['not removed', obj({ a: str }, { not: { required: ['a'] } }), obj({ a: str }), ['constraint-loosened']],
  // oasdiff's checker fixture not_base/not_revision: properties removed, added and narrowed inside `not`.
  ['a property changed inside not', obj({}, { not: obj({ p: { type: 'string', maxLength: 10 } }, { required: ['p'] }) }), obj({}, { not: obj({ p: { type: 'string', maxLength: 5 } }, { required: ['p'] }) }), ['constraint-tightened', 'constraint-loosened']],
  ['contentSchema added', obj({ f: { type: 'string', contentMediaType: 'application/json' } }), obj({ f: { type: 'string', contentMediaType: 'application/json', contentSchema: obj({ a: str }) } }), ['constraint-tightened']],
  ['contentSchema removed', obj({ f: { type: 'string', contentSchema: obj({ a: str }) } }), obj({ f: { type: 'string' } }), ['constraint-loosened']],
  ['dependentRequired entry changed', obj({ a: str, b: str, c: str }, { dependentRequired: { a: ['b'] } }), obj({ a: str, b: str, c: str }, { dependentRequired: { a: ['b', 'c'] } }), ['constraint-tightened', 'constraint-loosened']],
  ['patternProperties entry added', obj({ m: { type: 'object' } }), obj({ m: { type: 'object', patternProperties: { '^x-': str } } }), ['constraint-tightened']],
  ['propertyNames removed', obj({ m: { type: 'object', propertyNames: { pattern: '^[a-z]+$' } } }), obj({ m: { type: 'object' } }), ['constraint-loosened']],
  ['dependentRequired added', obj({ a: str, b: str }), obj({ a: str, b: str }, { dependentRequired: { a: ['b'] } }), ['constraint-tightened']],
  ['dependentSchemas removed', obj({ a: str }, { dependentSchemas: { a: { required: ['b'] } } }), obj({ a: str }), ['constraint-loosened']],
  ['unevaluatedProperties false added', obj({ a: str }), obj({ a: str }, { unevaluatedProperties: false }), ['constraint-tightened']],
  ['unevaluatedItems removed', obj({ l: { type: 'array', prefixItems: [str], unevaluatedItems: false } }), obj({ l: { type: 'array', prefixItems: [str] } }), ['constraint-loosened']],
  ['contentMediaType changed', obj({ f: { type: 'string', contentMediaType: 'application/json' } }), obj({ f: { type: 'string', contentMediaType: 'application/xml' } }), ['content-encoding-changed']],
  ['body-level maxLength decreased', { type: 'string', maxLength: 10 }, { type: 'string', maxLength: 5 }, ['constraint-tightened']],
  ['body-level maxItems increased', { type: 'array', items: str, maxItems: 5 }, { type: 'array', items: str, maxItems: 10 }, ['constraint-loosened']],
  ['body-level minimum raised', { type: 'integer', minimum: 0 }, { type: 'integer', minimum: 1 }, ['constraint-tightened']],
  ['request body wrapped in oneOf', obj({ a: str }), { oneOf: [obj({ a: str }), obj({ b: str })] }, ['schema-wrapped-in-one-of']],
  ['request body became an anyOf of itself and more', obj({ a: str }), { anyOf: [obj({ a: str }), obj({ b: str })] }, ['union-member-added']],
  ['required added inside an allOf member', { allOf: [obj({ a: str })] }, { allOf: [obj({ a: str }, { required: ['a'] })] }, ['property-became-required']],
  ['required added inside an anyOf member', { anyOf: [obj({ a: str }), str] }, { anyOf: [obj({ a: str }, { required: ['a'] }), str] }, ['property-became-required']],
];
