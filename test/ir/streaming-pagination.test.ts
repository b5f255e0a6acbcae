import path from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/load/load.js';
import { buildIr } from '../../src/ir/build/document.js';
import type { BuildOptions } from '../../src/ir/build/document.js';
import type { IrDocument, IrOperation } from '../../src/ir/types.js';
import { ConcordError } from '../../src/errors.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string): string => path.join(ROOT, 'fixtures', name);
const irOf = async (file: string, options: BuildOptions = {}): Promise<IrDocument> => buildIr(await loadSpec(file, { validate: false }), options);
const op = (ir: IrDocument, name: string): IrOperation => {
  const found = ir.operations.find((o) => o.name === name);
  if (!found) throw new Error(`no operation ${name}`);
  return found;
};

describe('streaming detection', () => {
  it('marks SSE and NDJSON media, picks the per-event schema, and reads x-concord-resumable', async () => {
    const ir = await irOf(fixture('streaming/events.yaml'));
    const chat = op(ir, 'createChat');
    expect(chat.stream).toEqual({ resumable: true });
    const sse = chat.responses[0]?.content.find((m) => m.mediaType === 'text/event-stream');
    expect(sse?.stream).toMatchObject({ format: 'sse', itemSource: 'schema', item: { kind: 'ref', name: 'Chunk' } });
    expect(chat.responses[0]?.content.find((m) => m.mediaType === 'application/json')?.stream).toBeUndefined();

    const exports = op(ir, 'exportRecords');
    expect(exports.stream).toEqual({ resumable: false });
    expect(exports.responses[0]?.content[0]?.stream).toMatchObject({ format: 'ndjson', itemSource: 'array-items', item: { kind: 'ref', name: 'Row' } });

    const ticks = op(ir, 'streamTicks');
    expect(ticks.responses[0]?.content[0]?.stream).toMatchObject({ format: 'sse', itemSource: 'x-concord-stream-item', item: { kind: 'object' } });
    expect(op(ir, 'readFeed').stream).toBeUndefined();
  });

  it('takes OpenAPI 3.2 itemSchema first', async () => {
    const { irOfDocument } = await import('../generators/zod/harness.js');
    const { scratch } = await import('../helpers/workspace.js');
    const dir = scratch('ir-item-schema');
    const { ir } = await irOfDocument(
      {
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: { '/s': { get: { responses: { '200': { description: 'ok', content: { 'application/jsonl': { schema: { type: 'string' }, itemSchema: { type: 'integer' } } } } } } } },
      },
      dir,
      'item-schema',
    );
    expect(ir.operations[0]?.responses[0]?.content[0]?.stream).toMatchObject({ format: 'ndjson', itemSource: 'itemSchema', item: { kind: 'integer' } });
  });
});

describe('pagination detection', () => {
  it('recognises cursor (starting_after + has_more), offset/limit and page/per_page with Link', async () => {
    const cursor = op(await irOf(fixture('paginate/cursor.yaml')), 'listPayments').pagination;
    expect(cursor).toMatchObject({ style: 'cursor', source: 'detected', items: ['data'], cursorParam: 'starting_after', nextCursor: { from: 'last-item', field: 'id' }, hasMore: ['has_more'], limitParam: 'limit', itemSchema: { kind: 'ref', name: 'Payment' } });
    const offset = op(await irOf(fixture('paginate/offset.yaml')), 'listPayments').pagination;
    expect(offset).toMatchObject({ style: 'offset', items: ['items'], offsetParam: 'offset', limitParam: 'limit', linkHeader: false });
    const page = op(await irOf(fixture('paginate/page.yaml')), 'listPayments').pagination;
    expect(page).toMatchObject({ style: 'page', items: [], pageParam: 'page', limitParam: 'per_page', firstPage: 1, linkHeader: true });
  });

  it('does not paginate writes or single-item reads', async () => {
    const ir = await irOf(fixture('paginate/cursor.yaml'));
    expect(op(ir, 'createPayment').pagination).toBeUndefined();
    expect(op(ir, 'getPayment').pagination).toBeUndefined();
  });

  it('x-pagination declares (nested next cursor) or switches detection off', async () => {
    const ir = await irOf(fixture('streaming/events.yaml'));
    expect(op(ir, 'readFeed').pagination).toMatchObject({ style: 'cursor', source: 'x-pagination', items: ['entries'], cursorParam: 'from', nextCursor: { from: 'field', path: ['paging', 'after'] }, itemSchema: { kind: 'ref', name: 'Row' } });
    expect(op(ir, 'search').pagination).toBeUndefined();
  });

  it('the config map overrides the contract and detection', async () => {
    const ir = await irOf(fixture('streaming/events.yaml'), { pagination: { search: { style: 'offset', offset: 'offset', limit: 'limit', items: '' }, 'GET /feed': false } });
    expect(op(ir, 'search').pagination).toMatchObject({ style: 'offset', source: 'config', items: [], offsetParam: 'offset' });
    expect(op(ir, 'readFeed').pagination).toBeUndefined();
  });

  it('a malformed x-pagination is an error naming the pointer', async () => {
    const file = fixture('paginate/cursor.yaml');
    const spec = await loadSpec(file, { validate: false });
    const list = (spec.document['paths'] as Record<string, Record<string, Record<string, unknown>>>)['/payments']?.['get'];
    if (list) list['x-pagination'] = { style: 'cursor' };
    const error = (() => {
      try {
        buildIr(spec);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConcordError);
    expect((error as ConcordError).location?.pointer).toBe('/paths/~1payments/get/x-pagination');
    expect((error as ConcordError).message).toMatch(/needs `cursor`/);
  });
});

const corpus = path.join(ROOT, '..', 'shared', 'specs', 'real', 'openai-openapi.yaml');
describe.skipIf(!existsSync(corpus))('on the OpenAI contract (../shared/specs)', () => {
  it('streams createChatCompletion and paginates its lists', async () => {
    const ir = await irOf(corpus);
    const chat = op(ir, 'createChatCompletion');
    expect(chat.stream).toBeDefined();
    expect(chat.responses.find((r) => r.status === '200')?.content.find((m) => m.stream)?.stream).toMatchObject({ format: 'sse', item: { kind: 'ref', name: 'CreateChatCompletionStreamResponse' } });
    expect(op(ir, 'listFiles').pagination).toMatchObject({ style: 'cursor', cursorParam: 'after', hasMore: ['has_more'] });
  });
});
