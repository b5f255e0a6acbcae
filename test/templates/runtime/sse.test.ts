import { describe, expect, test } from 'vitest';
import { ServerSentEventParser } from '../../../templates/runtime/sse.js';
import { JsonLinesParser } from '../../../templates/runtime/ndjson.js';
import { nextLink } from '../../../templates/runtime/paginate.js';

/** Framing by the WHATWG event-stream rules, fed in every possible split so chunk boundaries cannot matter. */

function parseAll(text: string, split: number): { events: ReturnType<ServerSentEventParser['push']>; parser: ServerSentEventParser } {
  const parser = new ServerSentEventParser();
  const events = [];
  for (let i = 0; i < text.length; i += split) events.push(...parser.push(text.slice(i, i + split)));
  return { events, parser };
}

describe('ServerSentEventParser', () => {
  const stream = '\uFEFF: a comment\nretry: 2500\nid: 7\nevent: delta\ndata: {"a":1}\ndata:second line\r\n\r\ndata: x\r\rid\ndata: y\n\nevent: ignored\n\nid: a\u0000b\ndata: z\n\n';
  for (const split of [1, 2, 3, 7, stream.length]) {
    test(`chunks of ${split}`, () => {
      const { events, parser } = parseAll(stream, split);
      expect(events).toEqual([
        { event: 'delta', data: '{"a":1}\nsecond line', id: '7' },
        { event: 'message', data: 'x', id: '7' },
        // `id` with no value resets the last event id to empty; an event with no data dispatches nothing.
        { event: 'message', data: 'y', id: '' },
        // An id containing NUL is ignored.
        { event: 'message', data: 'z', id: '' },
      ]);
      expect(parser.retryMs).toBe(2500);
      expect(parser.pending).toBe(false);
    });
  }

  test('an unfinished event is pending (the caller reports truncation)', () => {
    const parser = new ServerSentEventParser();
    expect(parser.push('data: 1\n\ndata: 2\n')).toHaveLength(1);
    expect(parser.pending).toBe(true);
  });

  test('a non-numeric retry is ignored', () => {
    const parser = new ServerSentEventParser();
    parser.push('retry: soon\n\n');
    expect(parser.retryMs).toBeUndefined();
  });
});

describe('JsonLinesParser', () => {
  test('NDJSON: lines across chunks, blank lines skipped, a last line without LF kept', () => {
    const parser = new JsonLinesParser('\n');
    expect(parser.push('{"a":1}\n\n{"b"')).toEqual(['{"a":1}']);
    expect(parser.push(':2}\r\n{"c":3}')).toEqual(['{"b":2}']);
    expect(parser.finish()).toEqual(['{"c":3}']);
  });

  test('JSON text sequences split on RS', () => {
    const parser = new JsonLinesParser('\u001e');
    expect(parser.push('\u001e{"a":1}\n\u001e{"b":2}\n')).toEqual(['{"a":1}']);
    expect(parser.finish()).toEqual(['{"b":2}']);
  });
});

describe('nextLink (RFC 8288)', () => {
  test('finds rel="next" among several links and relation types', () => {
    const header = '<https://api.example.com/items?page=1>; rel="first", <https://api.example.com/items?page=3&per_page=2>; rel="prev next", <https://x/y?page=9>; rel=last';
    expect(nextLink(header)).toBe('https://api.example.com/items?page=3&per_page=2');
  });
  test('no next link', () => {
    expect(nextLink('<https://x/y?page=1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('<https://x/y?page=2>; rel="nextpage"')).toBeUndefined();
  });
});
