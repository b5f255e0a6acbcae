import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { useClientAgainstMock } from './helpers.js';

/** The generated client reading the mock's streams: typed events, pacing, cuts, resumption, abort, validation. */

interface Event<T> {
  event: string;
  data: T;
  id: string | undefined;
}
interface Stream<T> extends AsyncIterable<Event<T>> {
  toArray(): Promise<Array<Event<T>>>;
  lastEventId: string | undefined;
}
type Options = { headers?: Record<string, string>; signal?: AbortSignal };
interface Api {
  createChat: { stream(input: { body: { prompt: string } }, options?: Options): Promise<Stream<{ id: string; delta: string }>> } & ((input: { body: { prompt: string } }, options?: Options) => Promise<{ ok: boolean; data: unknown }>);
  exportRecords: { stream(input?: object, options?: Options): Promise<Stream<{ id: number }>> };
  streamTicks: { stream(input?: object, options?: Options): Promise<Stream<{ seq: number }>> };
}
interface Module {
  createClient(options: Record<string, unknown>): Api;
  StreamInterruptedError: new (...args: never[]) => Error & { reason: string; eventsReceived: number; lastEventId: string | undefined };
  StreamEventValidationError: new (...args: never[]) => Error & { index: number };
}

const SPEC = path.resolve('fixtures/streaming/events.yaml');
const under = useClientAgainstMock<Module>(SPEC, 'stream');

async function caught(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('SSE from the mock', () => {
  test('typed, validated events with ids; the buffered call still answers JSON', async () => {
    const stream = await under.api.createChat.stream({ body: { prompt: 'hi' } }, { headers: { Prefer: 'stream-count=4' } });
    const events = await stream.toArray();
    expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4']);
    for (const e of events) {
      expect(e.event).toBe('message');
      expect(typeof e.data.id).toBe('string');
      expect(typeof e.data.delta).toBe('string');
    }
    const buffered = await under.api.createChat({ body: { prompt: 'hi' } });
    expect(buffered.ok).toBe(true);
    expect(buffered.data).toMatchObject({ id: expect.any(String), text: expect.any(String) });
  });

  test('the same request streams the same seeded events', async () => {
    const a = await (await under.api.createChat.stream({ body: { prompt: 'x' } })).toArray();
    const b = await (await under.api.createChat.stream({ body: { prompt: 'x' } })).toArray();
    expect(a).toEqual(b);
  });

  test('Prefer: stream-delay paces the events', async () => {
    const stream = await under.api.createChat.stream({ body: { prompt: 'hi' } }, { headers: { Prefer: 'stream-count=3, stream-delay=60ms' } });
    const times: number[] = [];
    for await (const _event of stream) times.push(performance.now());
    expect(times).toHaveLength(3);
    // A lower bound only: pacing means the server waited at least this long between events.
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(45);
  });

  test('a resumable stream cut mid-way reconnects with Last-Event-ID and delivers every event once', async () => {
    const before = under.mock.requests.length;
    const stream = await under.api.createChat.stream({ body: { prompt: 'hi' } }, { headers: { Prefer: 'stream-count=6, stream-cut=2' } });
    const events = await stream.toArray();
    expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6']);
    const sent = under.mock.requests.slice(before);
    expect(sent.map((r) => r.headers['last-event-id'])).toEqual([undefined, '2', '4']);
  });

  test('x-concord-stream-item types the events of a stream declared as text', async () => {
    const events = await (await under.api.streamTicks.stream()).toArray();
    expect(events).toHaveLength(5);
    for (const e of events) expect(Number.isInteger(e.data.seq)).toBe(true);
  });

  test('aborting through the signal stops the stream with a typed error', async () => {
    const controller = new AbortController();
    const stream = await under.api.createChat.stream({ body: { prompt: 'hi' } }, { signal: controller.signal, headers: { Prefer: 'stream-count=50, stream-delay=20ms' } });
    const error = await caught(async () => {
      for await (const event of stream) if (event.id === '2') controller.abort();
    });
    expect(error).toBeInstanceOf(under.mod.StreamInterruptedError);
    expect((error as { reason: string }).reason).toBe('aborted');
  });
});

describe('NDJSON from the mock', () => {
  test('each line is one typed record (array schema -> items)', async () => {
    const events = await (await under.api.exportRecords.stream(undefined, { headers: { Prefer: 'stream-count=7' } })).toArray();
    expect(events).toHaveLength(7);
    for (const e of events) expect(Number.isInteger(e.data.id)).toBe(true);
  });

  test('a broken, non-resumable stream throws StreamInterruptedError after the events it delivered', async () => {
    const stream = await under.api.exportRecords.stream(undefined, { headers: { Prefer: 'stream-count=5, stream-cut=3' } });
    const seen: number[] = [];
    const error = await caught(async () => {
      for await (const e of stream) seen.push(e.data.id);
    });
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(under.mod.StreamInterruptedError);
    expect(error).toMatchObject({ eventsReceived: 3 });
  });

  test('chaos cut=1 cuts every stream', async () => {
    const stream = await under.api.exportRecords.stream(undefined, { headers: { Prefer: 'chaos="cut=1", stream-count=20' } });
    await expect(stream.toArray()).rejects.toBeInstanceOf(under.mod.StreamInterruptedError);
  });
});

describe('streams from a hand-written server', () => {
  let server: http.Server;
  let raw: Api;
  let answer: (res: http.ServerResponse) => void = () => undefined;
  beforeAll(async () => {
    server = http.createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    raw = under.mod.createClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('an event that breaks the per-event schema throws StreamEventValidationError', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end('{"id":1}\n{"id":"two"}\n');
    };
    const stream = await raw.exportRecords.stream();
    const error = await caught(() => stream.toArray());
    expect(error).toBeInstanceOf(under.mod.StreamEventValidationError);
    expect(error).toMatchObject({ index: 1 });
  });

  test('a stream that ends in the middle of an SSE event is truncated, not shorter', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('id: 1\ndata: {"seq":1}\n\nid: 2\ndata: {"se');
    };
    const error = await caught(async () => (await raw.streamTicks.stream()).toArray());
    expect(error).toBeInstanceOf(under.mod.StreamInterruptedError);
    expect(error).toMatchObject({ reason: 'truncated', eventsReceived: 1, lastEventId: '1' });
  });

  test('data: [DONE] ends an SSE stream (the OpenAI convention)', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"seq":1}\n\ndata: [DONE]\n\n');
    };
    const events = await (await raw.streamTicks.stream()).toArray();
    expect(events.map((e) => e.data.seq)).toEqual([1]);
  });
});
