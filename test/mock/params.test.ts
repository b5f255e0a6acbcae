import { describe, expect, test } from 'vitest';
import type { IrDocument, IrOperation, IrParameter, IrSchema } from '../../src/ir/types.js';
import { ValidatorRegistry } from '../../src/validate/registry.js';
import { routeSpecOf } from '../../src/mock/routes.js';
import { parseParameters, prepareRoute, type CheckSettings } from '../../templates/runtime/server-checks.js';

/** Parameters of a mock route (wire hints from the IR) read by the pipeline's parameter step. */

const int: IrSchema = { kind: 'integer', pointer: '' };
const strings: IrSchema = { kind: 'array', pointer: '', items: { kind: 'string', pointer: '' } };
const ints: IrSchema = { kind: 'array', pointer: '', items: int };
const point: IrSchema = { kind: 'object', pointer: '', additionalProperties: true, properties: [{ name: 'x', required: true, schema: int }, { name: 'y', required: true, schema: int }] };

function param(name: string, where: IrParameter['in'], schema: IrSchema, style: IrParameter['style'], explode: boolean): IrParameter {
  return { name, in: where, required: false, deprecated: false, style, explode, allowReserved: false, schema, pointer: '' };
}

const settings: CheckSettings = { validateRequests: false, formats: 'outgoing', schemes: new Map(), verifiers: undefined, realm: '' };

function read(parameters: IrParameter[], raw: { path?: Record<string, string>; query?: string; headers?: Record<string, string>; cookie?: string }): Record<string, unknown> {
  const operation: IrOperation = { name: 'op', method: 'get', path: '/', deprecated: false, tags: [], parameters, responses: [], security: [], idempotency: { mode: 'safe', header: 'Idempotency-Key', required: false, source: 'method' }, callbacks: [], pointer: '' };
  const ir: IrDocument = { title: 't', version: '1', sourceVersion: '3.1.0', servers: [], schemas: [], operations: [operation], webhooks: [], securitySchemes: [], security: [], hash: '', bundledDocument: {} };
  const route = prepareRoute(routeSpecOf(operation, new Map(), new ValidatorRegistry(ir)), settings);
  const headers: Record<string, string> = { ...raw.headers, ...(raw.cookie === undefined ? {} : { cookie: raw.cookie }) };
  const request = { method: 'GET', url: '/', header: (name: string) => headers[name], body: () => Promise.resolve(new Uint8Array(0)), toRequest: () => new Request('http://x/') };
  const parsed = parseParameters(route, raw.path ?? {}, request, raw.query ?? '', settings);
  if (!parsed.ok) throw new Error('validation is off: parsing never refuses');
  return parsed.input as Record<string, unknown>;
}

describe('parameters: OpenAPI styles to typed values', () => {
  const cases: Array<{ name: string; p: IrParameter; raw: Parameters<typeof read>[1]; want: unknown }> = [
    { name: 'query form explode array', p: param('ids', 'query', ints, 'form', true), raw: { query: 'ids=1&ids=2' }, want: [1, 2] },
    { name: 'query form csv array', p: param('ids', 'query', ints, 'form', false), raw: { query: 'ids=1,2,3' }, want: [1, 2, 3] },
    { name: 'query pipeDelimited', p: param('t', 'query', strings, 'pipeDelimited', false), raw: { query: 't=a|b' }, want: ['a', 'b'] },
    { name: 'query spaceDelimited', p: param('t', 'query', strings, 'spaceDelimited', false), raw: { query: 't=a%20b' }, want: ['a', 'b'] },
    { name: 'query deepObject', p: param('p', 'query', point, 'deepObject', true), raw: { query: 'p[x]=1&p[y]=2' }, want: { x: 1, y: 2 } },
    { name: 'query form explode object', p: param('p', 'query', point, 'form', true), raw: { query: 'x=3&y=4' }, want: { x: 3, y: 4 } },
    { name: 'query a number that is not one stays text', p: param('n', 'query', int, 'form', true), raw: { query: 'n=12abc' }, want: '12abc' },
    { name: 'path simple decoded', p: param('id', 'path', { kind: 'string', pointer: '' }, 'simple', false), raw: { path: { id: 'a%20b' } }, want: 'a b' },
    { name: 'path label array', p: param('id', 'path', ints, 'label', false), raw: { path: { id: '.1,2' } }, want: [1, 2] },
    { name: 'path matrix scalar', p: param('id', 'path', int, 'matrix', false), raw: { path: { id: ';id=5' } }, want: 5 },
    { name: 'header csv array', p: param('X-Ids', 'header', ints, 'simple', false), raw: { headers: { 'x-ids': '7, 8' } }, want: [7, 8] },
    { name: 'header boolean', p: param('X-Flag', 'header', { kind: 'boolean', pointer: '' }, 'simple', false), raw: { headers: { 'x-flag': 'true' } }, want: true },
    { name: 'cookie', p: param('session', 'cookie', int, 'form', true), raw: { cookie: 'a=b; session=42' }, want: 42 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const values = read([c.p], c.raw);
      expect((values[c.p.in] as Record<string, unknown>)[c.p.name]).toEqual(c.want);
    });
  }

  test('absent parameters are absent, not undefined-valued', () => {
    expect(read([param('n', 'query', int, 'form', true)], {})['query']).toEqual({});
  });
});
