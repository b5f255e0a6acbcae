import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { generate } from '../../../src/generate.js';
import { scratch, typecheck } from '../../helpers/workspace.js';

/**
 * The types of the streaming and pagination surface compile under the strict settings and mean something: a
 * wrong use is a compile error (`@ts-expect-error` fails the check when the line is NOT an error).
 */

const dir = scratch('client-streaming-types');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('EventStream data, .stream(), paginate() and pages() are typed', async () => {
  await generate({ spec: path.resolve('fixtures/streaming/events.yaml'), out: path.join(dir, 'ev'), format: false, validate: false });
  await generate({ spec: path.resolve('fixtures/paginate/page.yaml'), out: path.join(dir, 'page'), format: false, validate: false });
  writeFileSync(
    path.join(dir, 'usage.ts'),
    `import { createClient as events, EventStream } from './ev/index.js';
import { createClient as payments, type Payment } from './page/index.js';

export async function use(): Promise<void> {
  const api = events({ baseUrl: 'http://127.0.0.1:1' });
  const r = await api.createChat({ body: { prompt: 'hi' } });
  if (r.ok && r.data instanceof EventStream) {
    for await (const e of r.data) {
      const delta: string = e.data.delta;
      const id: string | undefined = e.id;
      // @ts-expect-error a chunk has no text (that is the buffered Completion)
      void e.data.text;
      void delta, id;
    }
  }
  const chunks = await api.createChat.stream({ body: { prompt: 'hi' } });
  for await (const e of chunks) {
    // @ts-expect-error delta is a string
    const wrong: number = e.data.delta;
    void wrong;
  }
  for await (const e of await api.exportRecords.stream()) {
    const n: number = e.data.id;
    void n;
  }
  for await (const e of await api.streamTicks.stream()) {
    const seq: number = e.data.seq;
    void seq;
  }
  for await (const row of api.readFeed.paginate({}, { maxItems: 3 })) {
    const id: number = row.id;
    void id;
  }
  const p = payments({ baseUrl: 'http://127.0.0.1:1' });
  for await (const item of p.listPayments.paginate({ query: { per_page: 10 } }, { maxPages: 2 })) {
    const q: Payment = item;
    // @ts-expect-error an item is a Payment, not a number
    const wrong: number = item;
    void q, wrong;
  }
  for await (const page of p.listPayments.pages()) {
    const first: Payment | undefined = page.items[0];
    const status: number = page.response.status;
    void first, status;
  }
  // @ts-expect-error getPayment is not paginated
  void p.getPayment.paginate;
}
`,
  );
  expect(await typecheck(dir)).toBe('');
}, 120_000);
