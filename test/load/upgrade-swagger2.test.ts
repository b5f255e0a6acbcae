import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isConcordError } from '../../src/errors.js';
import { upgradeSwagger2 } from '../../src/load/upgrade-swagger2.js';

type Doc = Record<string, unknown>;

function isRecord(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Frozen inputs make any write to the 2.0 document throw (ES modules run in strict mode). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

function at(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node)) node = node[token];
    else return undefined;
  }
  return node;
}

const BASE: Doc = { swagger: '2.0', info: { title: 'T', version: '1' }, paths: {} };
const OK = { '200': { description: 'ok' } };

function upgrade(given: Doc): ReturnType<typeof upgradeSwagger2> {
  return upgradeSwagger2(deepFreeze({ ...structuredClone(BASE), ...structuredClone(given) }));
}

/** One operation at `/p` (method `get` unless told), 200 response unless given. */
function op(operation: Doc, method = 'get'): Doc {
  return { paths: { '/p': { [method]: { responses: OK, ...operation } } } };
}

interface Case {
  name: string;
  given: Doc;
  /** Pointer into the converted document. */
  at: string;
  want: unknown;
  /** Expected warnings: 2.0 pointer and a piece of the message. */
  warns?: Array<[pointer: string, includes: string]>;
}

const PET = { type: 'object', properties: { id: { type: 'integer' } } };

const cases: Case[] = [
  { name: 'info is copied with its extensions', given: { info: { title: 'A', version: '2', 'x-logo': { url: 'l' } } }, at: '/info', want: { title: 'A', version: '2', 'x-logo': { url: 'l' } } },
  { name: 'tags are copied', given: { tags: [{ name: 'pets', description: 'd', externalDocs: { url: 'https://e' } }] }, at: '/tags', want: [{ name: 'pets', description: 'd', externalDocs: { url: 'https://e' } }] },
  { name: 'externalDocs is copied', given: { externalDocs: { url: 'https://docs', description: 'd' } }, at: '/externalDocs', want: { url: 'https://docs', description: 'd' } },
  { name: 'root extensions are kept', given: { 'x-root': { a: [1] } }, at: '/x-root', want: { a: [1] } },
  { name: 'openapi version', given: {}, at: '/openapi', want: '3.0.3' },
  // servers
  { name: 'host + basePath + schemes -> one server per scheme', given: { host: 'api.x.io:8080', basePath: '/v1', schemes: ['http', 'https'] }, at: '/servers', want: [{ url: 'http://api.x.io:8080/v1' }, { url: 'https://api.x.io:8080/v1' }] },
  { name: 'no schemes -> https', given: { host: 'api.x.io' }, at: '/servers', want: [{ url: 'https://api.x.io' }] },
  { name: 'no host -> relative basePath server', given: { basePath: '/v2/', schemes: ['http'] }, at: '/servers', want: [{ url: '/v2' }] },
  { name: 'neither host nor basePath -> "/"', given: {}, at: '/servers', want: [{ url: '/' }] },
  { name: 'operation schemes -> operation servers', given: { host: 'h', schemes: ['https'], ...op({ schemes: ['wss'] }) }, at: '/paths/~1p/get/servers', want: [{ url: 'wss://h' }] },
  // components
  {
    name: 'definitions -> components.schemas with refs rewritten',
    given: { definitions: { Pet: { type: 'object', properties: { tags: { type: 'array', items: { $ref: '#/definitions/Tag' } } } }, Tag: { type: 'string' } } },
    at: '/components/schemas',
    want: { Pet: { type: 'object', properties: { tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } } } }, Tag: { type: 'string' } },
  },
  {
    name: 'top-level query parameter -> components.parameters',
    given: { parameters: { limit: { name: 'limit', in: 'query', type: 'integer', format: 'int32', maximum: 100, 'x-p': true } } },
    at: '/components/parameters',
    want: { limit: { name: 'limit', in: 'query', schema: { type: 'integer', format: 'int32', maximum: 100 }, 'x-p': true } },
  },
  {
    name: 'top-level body parameter -> components.requestBodies with the document media types',
    given: { consumes: ['application/json', 'application/xml'], definitions: { Pet: PET }, parameters: { PetBody: { name: 'pet', in: 'body', required: true, description: 'd', schema: { $ref: '#/definitions/Pet' } } } },
    at: '/components',
    want: {
      schemas: { Pet: PET },
      requestBodies: {
        PetBody: {
          description: 'd',
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } }, 'application/xml': { schema: { $ref: '#/components/schemas/Pet' } } },
        },
      },
    },
  },
  {
    name: 'top-level responses -> components.responses',
    given: { definitions: { Err: PET }, responses: { NotFound: { description: 'nf', schema: { $ref: '#/definitions/Err' } } } },
    at: '/components/responses',
    want: { NotFound: { description: 'nf', content: { 'application/json': { schema: { $ref: '#/components/schemas/Err' } } } } },
  },
  { name: 'basic -> http basic', given: { securityDefinitions: { b: { type: 'basic', description: 'd', 'x-s': 1 } } }, at: '/components/securitySchemes/b', want: { type: 'http', scheme: 'basic', description: 'd', 'x-s': 1 } },
  { name: 'apiKey as is', given: { securityDefinitions: { k: { type: 'apiKey', name: 'X-Key', in: 'header' } } }, at: '/components/securitySchemes/k', want: { type: 'apiKey', name: 'X-Key', in: 'header' } },
  {
    name: 'oauth2 flows are renamed, scopes kept',
    given: {
      securityDefinitions: {
        i: { type: 'oauth2', flow: 'implicit', authorizationUrl: 'https://a', scopes: { read: 'r' } },
        p: { type: 'oauth2', flow: 'password', tokenUrl: 'https://t', scopes: {} },
        c: { type: 'oauth2', flow: 'application', tokenUrl: 'https://t', scopes: { w: 'w' } },
        x: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://a', tokenUrl: 'https://t' },
      },
    },
    at: '/components/securitySchemes',
    want: {
      i: { type: 'oauth2', flows: { implicit: { authorizationUrl: 'https://a', scopes: { read: 'r' } } } },
      p: { type: 'oauth2', flows: { password: { tokenUrl: 'https://t', scopes: {} } } },
      c: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://t', scopes: { w: 'w' } } } },
      x: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://a', tokenUrl: 'https://t', scopes: {} } } },
    },
  },
  // request bodies
  {
    name: 'body parameter -> requestBody with the operation consumes',
    given: { consumes: ['text/plain'], ...op({ consumes: ['application/xml'], parameters: [{ name: 'b', in: 'body', required: true, schema: { type: 'string' } }] }, 'post') },
    at: '/paths/~1p/post',
    want: { requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } } } }, responses: OK },
  },
  { name: 'body parameter uses the document consumes', given: { consumes: ['text/plain'], ...op({ parameters: [{ name: 'b', in: 'body', schema: { type: 'string' } }] }, 'post') }, at: '/paths/~1p/post/requestBody', want: { content: { 'text/plain': { schema: { type: 'string' } } } } },
  { name: 'body parameter defaults to application/json', given: op({ parameters: [{ name: 'b', in: 'body', schema: { type: 'object' } }] }, 'post'), at: '/paths/~1p/post/requestBody', want: { content: { 'application/json': { schema: { type: 'object' } } } } },
  {
    name: 'formData -> urlencoded object schema',
    given: op({ parameters: [{ name: 'a', in: 'formData', type: 'string', required: true }, { name: 'n', in: 'formData', type: 'integer', description: 'd' }] }, 'post'),
    at: '/paths/~1p/post/requestBody',
    want: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { a: { type: 'string' }, n: { description: 'd', type: 'integer' } }, required: ['a'] } } } },
  },
  {
    name: 'formData with a file -> multipart, file -> string/binary',
    given: op({ consumes: ['application/x-www-form-urlencoded', 'multipart/form-data'], parameters: [{ name: 'f', in: 'formData', type: 'file' }, { name: 'n', in: 'formData', type: 'string' }] }, 'post'),
    at: '/paths/~1p/post/requestBody',
    want: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { f: { type: 'string', format: 'binary' }, n: { type: 'string' } } } } } },
  },
  { name: 'formData with multipart consumes -> multipart', given: op({ consumes: ['multipart/form-data'], parameters: [{ name: 'n', in: 'formData', type: 'string' }] }, 'post'), at: '/paths/~1p/post/requestBody/content', want: { 'multipart/form-data': { schema: { type: 'object', properties: { n: { type: 'string' } } } } } },
  {
    name: 'urlencoded array fields get an encoding style',
    given: op({ parameters: [{ name: 'ids', in: 'formData', type: 'array', items: { type: 'integer' }, collectionFormat: 'multi' }] }, 'post'),
    at: '/paths/~1p/post/requestBody/content/application~1x-www-form-urlencoded',
    want: { schema: { type: 'object', properties: { ids: { type: 'array', items: { type: 'integer' } } } }, encoding: { ids: { style: 'form', explode: true } } },
  },
  // non-body parameters
  {
    name: 'value keywords move into schema, extensions stay on the parameter',
    given: op({ parameters: [{ name: 'q', in: 'query', description: 'd', required: false, type: 'string', pattern: '^a', minLength: 1, maxLength: 5, enum: ['a', 'ab'], default: 'a', 'x-foo': 1 }] }),
    at: '/paths/~1p/get/parameters/0',
    want: { name: 'q', in: 'query', description: 'd', required: false, schema: { type: 'string', pattern: '^a', minLength: 1, maxLength: 5, enum: ['a', 'ab'], default: 'a' }, 'x-foo': 1 },
  },
  {
    name: 'array items (nested) move into schema',
    given: op({ parameters: [{ name: 'ids', in: 'header', type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 0, exclusiveMinimum: true, 'x-i': 1 } }] }),
    at: '/paths/~1p/get/parameters/0',
    want: { name: 'ids', in: 'header', style: 'simple', schema: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 0, exclusiveMinimum: true, 'x-i': 1 } } },
  },
  { name: 'allowEmptyValue is kept', given: op({ parameters: [{ name: 'f', in: 'query', type: 'boolean', allowEmptyValue: true }] }), at: '/paths/~1p/get/parameters/0', want: { name: 'f', in: 'query', allowEmptyValue: true, schema: { type: 'boolean' } } },
  { name: 'x-nullable on a parameter -> schema nullable', given: op({ parameters: [{ name: 's', in: 'query', type: 'string', 'x-nullable': true }] }), at: '/paths/~1p/get/parameters/0', want: { name: 's', in: 'query', schema: { type: 'string', nullable: true } } },
  {
    name: 'path parameter without required becomes required',
    given: { paths: { '/p/{id}': { get: { responses: OK, parameters: [{ name: 'id', in: 'path', type: 'string' }] } } } },
    at: '/paths/~1p~1{id}/get/parameters/0',
    want: { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    warns: [['/paths/~1p~1{id}/get/parameters/0', 'always required']],
  },
  // responses
  {
    name: 'response schema -> content per produces; headers get a schema; examples by media type',
    given: op({
      produces: ['application/json', 'application/xml'],
      responses: {
        '200': {
          description: 'ok',
          schema: { type: 'object' },
          headers: { 'X-Rate': { type: 'integer', description: 'd' }, 'X-List': { type: 'array', items: { type: 'string' } } },
          examples: { 'application/json': { id: 1 } },
          'x-r': 'kept',
        },
      },
    }),
    at: '/paths/~1p/get/responses/200',
    want: {
      description: 'ok',
      headers: { 'X-Rate': { description: 'd', schema: { type: 'integer' } }, 'X-List': { schema: { type: 'array', items: { type: 'string' } } } },
      content: { 'application/json': { schema: { type: 'object' }, example: { id: 1 } }, 'application/xml': { schema: { type: 'object' } } },
      'x-r': 'kept',
    },
  },
  { name: 'response without schema has no content', given: op({ responses: { '204': { description: 'none' } } }), at: '/paths/~1p/get/responses/204', want: { description: 'none' } },
  { name: 'response schema defaults to application/json', given: op({ responses: { default: { description: 'e', schema: { type: 'string' } } } }), at: '/paths/~1p/get/responses/default/content', want: { 'application/json': { schema: { type: 'string' } } } },
  { name: 'response type file -> string/binary', given: op({ produces: ['application/octet-stream'], responses: { '200': { description: 'f', schema: { type: 'file' } } } }), at: '/paths/~1p/get/responses/200/content', want: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
  // schemas
  { name: 'x-nullable -> nullable', given: { definitions: { A: { type: 'string', 'x-nullable': true } } }, at: '/components/schemas/A', want: { type: 'string', nullable: true } },
  { name: 'nullable $ref -> allOf + nullable', given: { definitions: { A: PET, B: { properties: { a: { $ref: '#/definitions/A', 'x-nullable': true } } } } }, at: '/components/schemas/B/properties/a', want: { allOf: [{ $ref: '#/components/schemas/A' }], nullable: true } },
  { name: 'discriminator string -> propertyName', given: { definitions: { P: { type: 'object', discriminator: 'kind', required: ['kind'], properties: { kind: { type: 'string' } } } } }, at: '/components/schemas/P/discriminator', want: { propertyName: 'kind' } },
  { name: 'schema type file -> string/binary', given: { definitions: { F: { type: 'file', format: 'whatever' } } }, at: '/components/schemas/F', want: { type: 'string', format: 'binary' } },
  { name: 'schema extensions kept, refs inside them rewritten', given: { definitions: { A: PET, B: { type: 'object', 'x-see': { $ref: '#/definitions/A' } } } }, at: '/components/schemas/B', want: { type: 'object', 'x-see': { $ref: '#/components/schemas/A' } } },
  // operations and path items
  {
    name: 'operation fields are kept',
    given: op({ operationId: 'getP', summary: 's', description: 'd', tags: ['t'], deprecated: true, security: [{ k: [] }], externalDocs: { url: 'https://e' }, 'x-op': 1 }),
    at: '/paths/~1p/get',
    want: { operationId: 'getP', summary: 's', description: 'd', tags: ['t'], deprecated: true, security: [{ k: [] }], externalDocs: { url: 'https://e' }, 'x-op': 1, responses: OK },
  },
  {
    name: 'path-level body is merged into each operation; operation-level body overrides by name',
    given: {
      paths: {
        '/p/{id}': {
          'x-path': true,
          parameters: [{ name: 'id', in: 'path', required: true, type: 'string' }, { name: 'b', in: 'body', schema: { type: 'string' } }],
          get: { responses: OK },
          put: { responses: OK, parameters: [{ name: 'b', in: 'body', schema: { type: 'integer' } }] },
        },
      },
    },
    at: '/paths/~1p~1{id}',
    want: {
      'x-path': true,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: { requestBody: { content: { 'application/json': { schema: { type: 'string' } } } }, responses: OK },
      put: { requestBody: { content: { 'application/json': { schema: { type: 'integer' } } } }, responses: OK },
    },
  },
  // $ref rewriting
  { name: '#/parameters/X -> #/components/parameters/X', given: { parameters: { limit: { name: 'limit', in: 'query', type: 'integer' } }, ...op({ parameters: [{ $ref: '#/parameters/limit' }] }) }, at: '/paths/~1p/get/parameters', want: [{ $ref: '#/components/parameters/limit' }] },
  {
    name: '$ref to a body parameter -> requestBody $ref when media types match',
    given: { parameters: { B: { name: 'b', in: 'body', schema: { type: 'string' } } }, ...op({ parameters: [{ $ref: '#/parameters/B' }] }, 'post') },
    at: '/paths/~1p/post',
    want: { requestBody: { $ref: '#/components/requestBodies/B' }, responses: OK },
  },
  {
    name: '$ref to a body parameter is inlined when the operation consumes other media types',
    given: { definitions: { Pet: PET }, parameters: { B: { name: 'b', in: 'body', required: true, schema: { $ref: '#/definitions/Pet' } } }, ...op({ consumes: ['application/xml'], parameters: [{ $ref: '#/parameters/B' }] }, 'post') },
    at: '/paths/~1p/post/requestBody',
    want: { required: true, content: { 'application/xml': { schema: { $ref: '#/components/schemas/Pet' } } } },
  },
  {
    name: '$ref to a formData parameter is resolved into the form schema',
    given: { parameters: { F: { name: 'f', in: 'formData', type: 'string', required: true } }, ...op({ parameters: [{ $ref: '#/parameters/F' }, { name: 'g', in: 'formData', type: 'integer' }] }, 'post') },
    at: '/paths/~1p/post',
    want: { requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { f: { type: 'string' }, g: { type: 'integer' } }, required: ['f'] } } } }, responses: OK },
  },
  { name: '#/responses/X -> #/components/responses/X', given: { responses: { E: { description: 'e' } }, ...op({ responses: { default: { $ref: '#/responses/E' } } }) }, at: '/paths/~1p/get/responses/default', want: { $ref: '#/components/responses/E' } },
  {
    name: 'a shared response is inlined when the operation produces other media types',
    given: { definitions: { E: PET }, responses: { E: { description: 'e', schema: { $ref: '#/definitions/E' } } }, ...op({ produces: ['application/xml'], responses: { default: { $ref: '#/responses/E' } } }) },
    at: '/paths/~1p/get/responses/default',
    want: { description: 'e', content: { 'application/xml': { schema: { $ref: '#/components/schemas/E' } } } },
  },
  { name: 'names that need URI escaping', given: { definitions: { 'A B': PET, C: { items: { $ref: '#/definitions/A%20B' } } } }, at: '/components/schemas/C/items', want: { $ref: '#/components/schemas/A%20B' } },
  {
    name: 'refs into moved path locations (as bundlers write them) follow the node',
    given: {
      paths: {
        '/a': { get: { responses: { '200': { description: 'a', schema: PET } } } },
        '/b': { get: { responses: { '200': { description: 'b', schema: { $ref: '#/paths/~1a/get/responses/200/schema' } } } } },
      },
    },
    at: '/paths/~1b/get/responses/200/content/application~1json/schema',
    want: { $ref: '#/paths/~1a/get/responses/200/content/application~1json/schema' },
  },
  // what cannot be converted
  { name: 'tsv warns', given: op({ parameters: [{ name: 't', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'tsv' }] }), at: '/paths/~1p/get/parameters/0/style', want: 'form', warns: [['/paths/~1p/get/parameters/0/collectionFormat', 'tsv']] },
  { name: 'unknown schema keyword is dropped', given: { definitions: { A: { type: 'object', patternProperties: { '^x': {} } } } }, at: '/components/schemas/A', want: { type: 'object' }, warns: [['/definitions/A/patternProperties', 'not an OpenAPI 3.0 schema keyword']] },
  { name: 'tuple items become anyOf', given: { definitions: { A: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] } } }, at: '/components/schemas/A/items', want: { anyOf: [{ type: 'string' }, { type: 'integer' }] }, warns: [['/definitions/A/items', 'tuple']] },
  { name: 'type null', given: { definitions: { A: { type: 'null' } } }, at: '/components/schemas/A', want: { nullable: true, enum: [null] }, warns: [['/definitions/A/type', 'null']] },
  { name: 'unknown oauth2 flow drops the scheme', given: { securityDefinitions: { o: { type: 'oauth2', flow: 'magic', scopes: {} } } }, at: '/components', want: undefined, warns: [['/securityDefinitions/o/flow', 'magic']] },
  { name: 'dangling ref is reported', given: { definitions: { A: { $ref: '#/definitions/Missing' } } }, at: '/components/schemas/A', want: { $ref: '#/components/schemas/Missing' }, warns: [['/definitions/A/$ref', 'points at nothing']] },
  { name: 'external ref is reported and left alone', given: { definitions: { A: { $ref: 'other.yaml#/Pet' } } }, at: '/components/schemas/A', want: { $ref: 'other.yaml#/Pet' }, warns: [['/definitions/A/$ref', 'bundle']] },
  {
    name: 'second body parameter is ignored',
    given: op({ parameters: [{ name: 'a', in: 'body', schema: { type: 'string' } }, { name: 'b', in: 'body', schema: { type: 'integer' } }] }, 'post'),
    at: '/paths/~1p/post/requestBody/content/application~1json/schema',
    want: { type: 'integer' },
    warns: [['/paths/~1p/post/parameters/0', 'only one body parameter']],
  },
];

describe('upgradeSwagger2 rules', () => {
  it.each(cases)('$name', ({ given, at: pointer, want, warns }) => {
    const { document, warnings } = upgrade(given);
    expect(at(document, pointer)).toEqual(want);
    for (const [warnPointer, includes] of warns ?? []) {
      expect(warnings).toContainEqual({ pointer: warnPointer, message: expect.stringContaining(includes) });
    }
    if (warns === undefined) expect(warnings).toEqual([]);
  });

  const styles: Array<{ location: string; format?: string; want: Doc; warns?: boolean }> = [
    { location: 'query', want: { style: 'form', explode: false } },
    { location: 'query', format: 'csv', want: { style: 'form', explode: false } },
    { location: 'path', format: 'csv', want: { style: 'simple' } },
    { location: 'header', format: 'csv', want: { style: 'simple' } },
    { location: 'query', format: 'ssv', want: { style: 'spaceDelimited', explode: false } },
    { location: 'query', format: 'pipes', want: { style: 'pipeDelimited', explode: false } },
    { location: 'query', format: 'multi', want: { style: 'form', explode: true } },
    { location: 'query', format: 'tsv', want: { style: 'form', explode: false }, warns: true },
    { location: 'header', format: 'ssv', want: { style: 'simple' }, warns: true },
    { location: 'path', format: 'multi', want: { style: 'simple' }, warns: true },
  ];
  it.each(styles)('collectionFormat $format in $location -> $want', ({ location, format, want, warns }) => {
    const param: Doc = { name: 'v', in: location, required: true, type: 'array', items: { type: 'string' } };
    if (format !== undefined) param['collectionFormat'] = format;
    const { document, warnings } = upgrade({ paths: { '/p/{v}': { get: { responses: OK, parameters: [param] } } } });
    const converted = at(document, '/paths/~1p~1{v}/get/parameters/0');
    expect({ style: at(converted, '/style'), explode: at(converted, '/explode') }).toEqual({ explode: undefined, ...want });
    expect(warnings.some((warning) => warning.pointer.endsWith('/collectionFormat'))).toBe(warns === true);
  });
});

describe('upgradeSwagger2 as a function', () => {
  const rich: Doc = {
    definitions: { Pet: PET, Pets: { type: 'array', items: { $ref: '#/definitions/Pet' } } },
    parameters: { B: { name: 'b', in: 'body', schema: { $ref: '#/definitions/Pet' } } },
    ...op({ parameters: [{ $ref: '#/parameters/B' }], responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Pets' } } } }, 'post'),
  };

  it('shares no object with its (frozen) input', () => {
    const input = deepFreeze({ ...structuredClone(BASE), ...structuredClone(rich) });
    const inputObjects = new Set<object>();
    const collect = (node: unknown, into: (value: object) => void): void => {
      if (node === null || typeof node !== 'object') return;
      into(node);
      for (const value of Object.values(node)) collect(value, into);
    };
    collect(input, (value) => inputObjects.add(value));
    const shared: object[] = [];
    collect(upgradeSwagger2(input).document, (value) => {
      if (inputObjects.has(value)) shared.push(value);
    });
    expect(shared).toEqual([]);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(upgrade(rich))).toBe(JSON.stringify(upgrade(rich)));
  });

  it('rejects a document that is not Swagger 2.0 with a ConcordError', () => {
    let caught: unknown;
    try {
      upgradeSwagger2({ openapi: '3.0.3' }, { file: 'x.yaml' });
    } catch (error) {
      caught = error;
    }
    expect(isConcordError(caught) && caught.code === 'SPEC_UNSUPPORTED_VERSION' && caught.location?.file === 'x.yaml').toBe(true);
  });
});

async function validationErrors(document: Doc): Promise<Array<{ instancePath?: string; params?: Doc; message?: string }>> {
  try {
    await SwaggerParser.validate(structuredClone(document) as never);
    return [];
  } catch (error) {
    const details = isRecord(error) && Array.isArray(error['details']) ? error['details'] : [{ message: String(error) }];
    return details.filter(isRecord);
  }
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (isRecord(node)) {
    if (typeof node['$ref'] === 'string') found.push(node['$ref']);
    Object.values(node).forEach((value) => refsIn(value, found));
  }
  return found;
}

function bodyLikeParameters(document: Doc): string[] {
  const found: string[] = [];
  const paths = isRecord(document['paths']) ? document['paths'] : {};
  for (const [route, item] of Object.entries(paths)) {
    if (!isRecord(item)) continue;
    const lists = [item['parameters'], ...Object.values(item).map((operation) => (isRecord(operation) ? operation['parameters'] : undefined))];
    for (const list of lists) {
      if (!Array.isArray(list)) continue;
      for (const param of list) if (isRecord(param) && (param['in'] === 'body' || param['in'] === 'formData')) found.push(route);
    }
  }
  return found;
}

describe('fixtures/petstore-v2.yaml', () => {
  it('converts into a valid OpenAPI 3.0 document', async () => {
    const source: unknown = parseYaml(readFileSync(path.resolve(process.cwd(), 'fixtures/petstore-v2.yaml'), 'utf8'));
    if (!isRecord(source)) throw new Error('fixture is not a mapping');
    const { document, warnings } = upgradeSwagger2(source);
    expect(warnings).toEqual([]);
    expect(await validationErrors(document)).toEqual([]);
    expect(document['servers']).toEqual([{ url: 'http://petstore.swagger.io/v1' }]);
    expect(at(document, '/paths/~1pets/get/responses/200')).toEqual({
      description: 'A paged array of pets',
      headers: { 'x-next': { description: 'A link to the next page of responses', schema: { type: 'string' } } },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Pets' } } },
    });
    expect(at(document, '/paths/~1pets/get/parameters/0')).toEqual({
      name: 'limit', in: 'query', description: 'How many items to return at one time (max 100)', required: false, schema: { type: 'integer', format: 'int32' },
    });
  });
});

const specs = path.resolve(process.cwd(), '../shared/specs');

describe.skipIf(!existsSync(specs))('Swagger 2.0 corpus', () => {
  // `invalidSource`: the 2.0 document itself breaks the 2.0 schema; the errors left after conversion must all be
  // of the listed kind (here: operations without `responses`, which 3.0 requires just as 2.0 did).
  const corpus: Array<{ file: string; invalidSource?: string }> = [
    { file: 'real/oai-petstore-v2.yaml' },
    { file: 'real/oai-petstore-expanded-v2.json' },
    { file: 'real/oai-uber-v2.json' },
    { file: 'real/slack-web-openapi-v2.json' },
    { file: 'real/kubernetes-swagger.json' },
    { file: 'edge/heyapi-full-2.0/full.yaml', invalidSource: 'responses' },
    { file: 'multifile/oai-petstore-separate/spec/swagger.yaml' },
  ];

  it.each(corpus)('$file converts to OpenAPI 3.0', async ({ file, invalidSource }) => {
    const bundled: unknown = JSON.parse(JSON.stringify(await SwaggerParser.bundle(path.join(specs, file))));
    if (!isRecord(bundled)) throw new Error('bundle did not return an object');
    const { document, warnings } = upgradeSwagger2(bundled, { file });

    expect(document['openapi']).toBe('3.0.3');
    expect(refsIn(document).filter((ref) => !ref.startsWith('#/') || ref.startsWith('#/definitions/') || ref.startsWith('#/parameters/') || ref.startsWith('#/responses/'))).toEqual([]);
    expect(bodyLikeParameters(document)).toEqual([]);
    // Every warning names a place that exists in the 2.0 document.
    expect(warnings.filter((warning) => at(bundled, warning.pointer) === undefined)).toEqual([]);

    const errors = await validationErrors(document);
    if (invalidSource === undefined) {
      expect(errors).toEqual([]);
    } else {
      expect((await validationErrors(bundled)).length).toBeGreaterThan(0);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.filter((error) => error.params?.['missingProperty'] !== invalidSource)).toEqual([]);
    }
  });
});
