import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/load/load.js';
import { buildIr } from '../../src/ir/build/document.js';
import type { IrDocument } from '../../src/ir/types.js';
import { useClientAgainstMock } from '../mock/helpers.js';

/** OpenAPI 3.2 read as 3.2: the new methods, parameter location, stream items, $self and tag fields. */

const SPEC = path.resolve('fixtures/openapi-3.2/features.yaml');
let ir: IrDocument;

beforeAll(async () => {
  const spec = await loadSpec(SPEC);
  expect(spec.diagnostics.filter((d) => d.code === 'SPEC_VALIDATION')).toEqual([]);
  ir = buildIr(spec);
});

describe('OpenAPI 3.2 in the IR', () => {
  it('QUERY and additionalOperations are operations', () => {
    expect(ir.operations.map((o) => [o.name, o.method])).toEqual([
      ['searchRecords', 'query'],
      ['filterRows', 'get'],
      ['purgeRows', 'purge'],
    ]);
  });

  it('in: querystring with form content is the whole query string (an exploded form object)', () => {
    const [param] = ir.operations.find((o) => o.name === 'filterRows')?.parameters ?? [];
    expect(param).toMatchObject({ name: 'filter', in: 'query', style: 'form', explode: true, schema: { kind: 'object' } });
  });

  it('itemSchema types each line of a JSON Lines response', () => {
    const media = ir.operations.find((o) => o.name === 'filterRows')?.responses[0]?.content[0];
    expect(media?.stream).toMatchObject({ format: 'ndjson', itemSource: 'itemSchema', item: { kind: 'ref', name: 'Row' } });
  });

  it('$self and the new tag fields', () => {
    expect(ir.self).toBe('https://example.com/specs/search.yaml');
    expect(ir.tags).toEqual([
      { name: 'search', summary: 'Searching', kind: 'nav' },
      { name: 'advanced', parent: 'search', kind: 'nav' },
    ]);
  });
});

describe('OpenAPI 3.2 through the generated client and the mock', () => {
  type Call = (input?: object, options?: object) => Promise<{ status: number; data?: unknown }>;
  type Api = Record<string, Call & { stream?: (input?: object) => Promise<{ toArray(): Promise<Array<{ data: unknown }>> }> }>;
  const under = useClientAgainstMock<{ createClient(o: object): Api }>(SPEC, 'openapi-32');

  it('sends QUERY with a body, PURGE, and the querystring object as key=value pairs', async () => {
    expect((await under.api['searchRecords']?.({ body: { text: 'x' } }))?.status).toBe(200);
    expect(under.mock.requests.at(-1)).toMatchObject({ method: 'QUERY', body: { text: 'x' } });
    expect((await under.api['purgeRows']?.())?.status).toBe(204);
    expect(under.mock.requests.at(-1)?.method).toBe('PURGE');
    const rows = await (await under.api['filterRows']?.stream?.({ query: { filter: { name: 'a b', min: 2 } } }))?.toArray();
    expect(under.mock.requests.at(-1)?.query).toBe('name=a%20b&min=2');
    expect(rows?.length).toBeGreaterThan(0);
  });
});
