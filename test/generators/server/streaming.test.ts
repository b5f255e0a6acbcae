import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProvider, importGenerated, type Generated } from './harness.js';
import type { RunningServer } from '../../../templates/runtime/server-node.js';

/** A provider handler answers a streaming operation with an async iterable; the generated client reads it typed. */

type Handler = (input: unknown) => unknown;
interface ServerModule {
  createRouter(handlers: Record<string, Handler>): unknown;
  ServerSentEvent: new (data: unknown, fields?: { id?: string; event?: string; retry?: number }) => unknown;
}
interface NodeModule {
  serveNode(router: unknown): Promise<RunningServer>;
}
interface Event {
  event: string;
  id: string | undefined;
  data: { id: string | number; delta?: string };
}
interface ClientModule {
  createClient(options: Record<string, unknown>): {
    createChat: { stream(input: unknown): Promise<{ toArray(): Promise<Event[]> }> };
    exportRecords: { stream(input?: unknown): Promise<{ toArray(): Promise<Event[]> }> };
  };
  StreamInterruptedError: new (...args: never[]) => Error;
}

let generated: Generated;
let server: RunningServer | undefined;
let client: ClientModule;
let exportBody: () => AsyncIterable<unknown>;

beforeAll(async () => {
  generated = await generateProvider(path.resolve('fixtures/streaming/events.yaml'), ['types', 'zod', 'client', 'server']);
  const api = await importGenerated<ServerModule>(generated.dir, 'server.ts');
  const node = await importGenerated<NodeModule>(generated.dir, 'runtime/server-node.ts');
  client = await importGenerated<ClientModule>(generated.dir, 'index.ts');
  const unused: Handler = () => ({ status: 200, body: [] });
  server = await node.serveNode(
    api.createRouter({
      createChat: () => ({
        status: 200,
        contentType: 'text/event-stream',
        body: (async function* () {
          for (const [i, delta] of ['Hel', 'lo', '!'].entries()) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            yield new api.ServerSentEvent({ id: 'c1', delta }, { id: String(i + 1), event: 'delta' });
          }
        })(),
      }),
      exportRecords: () => ({ status: 200, body: exportBody() }),
      streamTicks: unused,
      readFeed: unused,
      search: unused,
    }),
  );
}, 120_000);
afterAll(async () => {
  await server?.close();
  await generated?.remove();
});

describe('provider streaming', () => {
  it('encodes an async iterable of ServerSentEvents as SSE the client reads typed', async () => {
    const api = client.createClient({ baseUrl: server?.url });
    const events = await (await api.createChat.stream({ body: { prompt: 'hi' } })).toArray();
    expect(events).toEqual([
      { event: 'delta', id: '1', data: { id: 'c1', delta: 'Hel' } },
      { event: 'delta', id: '2', data: { id: 'c1', delta: 'lo' } },
      { event: 'delta', id: '3', data: { id: 'c1', delta: '!' } },
    ]);
  });

  it('encodes plain values as NDJSON lines', async () => {
    exportBody = async function* () {
      yield { id: 1, name: 'a' };
      yield { id: 2 };
    };
    const events = await (await client.createClient({ baseUrl: server?.url }).exportRecords.stream()).toArray();
    expect(events.map((e) => e.data)).toEqual([{ id: 1, name: 'a' }, { id: 2 }]);
  });

  it('an event outside the contract breaks the stream instead of reaching the client', async () => {
    exportBody = async function* () {
      yield { id: 1 };
      yield { id: 'not a number' };
      yield { id: 3 };
    };
    const stream = await client.createClient({ baseUrl: server?.url }).exportRecords.stream();
    await expect(stream.toArray()).rejects.toBeInstanceOf(client.StreamInterruptedError);
  });
});
