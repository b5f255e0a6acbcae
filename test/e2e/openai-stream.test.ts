import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generate } from '../../src/generate.js';
import { startMockServer, type MockServer } from '../../src/mock/index.js';

/**
 * The proof of issue 14: OpenAI-style chat completion streaming end to end. The client generated from OpenAI's
 * contract reads the mock's SSE stream of createChatCompletion as typed chunks; a broken stream gives the typed
 * error; a resumable client picks up after the last id. Runs on a copy of the operation (fixtures/) always, and on
 * the full ../shared contract when it is there.
 */

interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: Array<{ index: number; delta: unknown }>;
}
interface ChatApi {
  createChatCompletion: {
    stream(input: { body: Record<string, unknown> }, options?: { headers?: Record<string, string> }): Promise<AsyncIterable<{ id: string | undefined; data: Chunk }> & { toArray(): Promise<Array<{ id: string | undefined; data: Chunk }>> }>;
  };
}
interface Module {
  createClient(options: Record<string, unknown>): ChatApi;
  StreamInterruptedError: new (...args: never[]) => Error;
}

const FIXTURE = path.resolve('fixtures/openai-chat-stream.yaml');
const SHARED = path.resolve('../shared/specs/real/openai-openapi.yaml');
const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hi' }], stream: true };

async function generated(spec: string, label: string, resumable: boolean): Promise<{ dir: string; mod: Module }> {
  const dir = path.resolve('.tmp', `openai-${label}-${process.pid}-${Date.now().toString(36)}`);
  await generate({ spec, out: dir, targets: ['zod', 'client'], format: false, validate: false, ...(resumable ? { resumableOperations: ['createChatCompletion'] } : {}) });
  return { dir, mod: (await import(path.join(dir, 'index.ts'))) as Module };
}

function suite(label: string, spec: string): void {
  let mock: MockServer;
  let plain: { dir: string; mod: Module };
  let resuming: { dir: string; mod: Module };
  beforeAll(async () => {
    [plain, resuming] = [await generated(spec, `${label}-plain`, false), await generated(spec, `${label}-resumable`, true)];
    mock = await startMockServer({ spec, buildOptions: { resumableOperations: ['createChatCompletion'] } });
  }, 120_000);
  afterAll(async () => {
    await mock?.close();
    for (const g of [plain, resuming]) if (g) rmSync(g.dir, { recursive: true, force: true });
  });
  const client = (mod: Module): ChatApi => mod.createClient({ baseUrl: mock.url, auth: { ApiKeyAuth: 'sk-test' } });

  test('streams typed, validated chat.completion.chunk events', async () => {
    const stream = await client(plain.mod).createChatCompletion.stream({ body }, { headers: { Prefer: 'stream-count=8' } });
    const chunks: Chunk[] = [];
    for await (const event of stream) chunks.push(event.data);
    expect(chunks).toHaveLength(8);
    for (const chunk of chunks) {
      expect(chunk.object).toBe('chat.completion.chunk');
      expect(Array.isArray(chunk.choices)).toBe(true);
      expect(typeof chunk.model).toBe('string');
    }
    expect(mock.requests.at(-1)?.headers['accept']).toBe('text/event-stream');
  });

  test('a stream broken after its first events gives StreamInterruptedError', async () => {
    const stream = await client(plain.mod).createChatCompletion.stream({ body }, { headers: { Prefer: 'stream-count=8, stream-cut=3' } });
    let received = 0;
    const error = await (async () => {
      try {
        for await (const _event of stream) received++;
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(received).toBe(3);
    expect(error).toBeInstanceOf(plain.mod.StreamInterruptedError);
    expect(error).toMatchObject({ eventsReceived: 3, lastEventId: '3' });
  });

  test('a resumable client reconnects with Last-Event-ID and resumes after the last id', async () => {
    const before = mock.requests.length;
    const stream = await client(resuming.mod).createChatCompletion.stream({ body }, { headers: { Prefer: 'stream-count=8, stream-cut=3' } });
    const events = await stream.toArray();
    expect(events.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(mock.requests.slice(before).map((r) => r.headers['last-event-id'])).toEqual([undefined, '3', '6']);
  });
}

describe('OpenAI chat completion streaming (fixture copy of createChatCompletion)', () => suite('fixture', FIXTURE));
describe.skipIf(!existsSync(SHARED))('OpenAI chat completion streaming (full contract in ../shared/specs; skipped when absent)', () => suite('shared', SHARED));
