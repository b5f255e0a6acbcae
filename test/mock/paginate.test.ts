import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
import { useClientAgainstMock } from './helpers.js';

/**
 * paginate() from the generated client over the stateful mock, in each style the IR detects: every created item
 * comes back exactly once, in creation order, and the guards stop early.
 */

interface Payment {
  id: string;
  amount: number;
}
interface PaginatedCall {
  (input?: Record<string, unknown>, options?: Record<string, unknown>): Promise<{ ok: boolean; status: number; data?: unknown; response: Response }>;
  paginate(input?: Record<string, unknown>, options?: Record<string, unknown>): AsyncGenerator<Payment>;
  pages(input?: Record<string, unknown>, options?: Record<string, unknown>): AsyncGenerator<{ items: Payment[]; response: Response; index: number }>;
}
interface Api {
  createPayment(input: { body: { amount: number } }): Promise<{ ok: boolean; status: number; data?: unknown }>;
  listPayments: PaginatedCall;
}

const COUNT = 1000;
const styles = [
  { style: 'cursor', sizeParam: 'limit' },
  { style: 'offset', sizeParam: 'limit' },
  { style: 'page', sizeParam: 'per_page' },
] as const;

for (const { style, sizeParam } of styles) {
  describe(`${style} pagination over a stateful mock collection`, () => {
    const spec = path.resolve(`fixtures/paginate/${style}.yaml`);
    const under = useClientAgainstMock<{ createClient(o: Record<string, unknown>): Api }>(spec, `paginate-${style}`, { stateful: true });
    const created: string[] = [];

    beforeAll(async () => {
      for (let batch = 0; batch < COUNT; batch += 50) {
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => under.api.createPayment({ body: { amount: batch + i } })));
        for (const r of results) {
          expect(r.status).toBe(201);
          created.push((r.data as Payment).id);
        }
      }
    }, 60_000);

    test(`returns each of ${COUNT} items exactly once, in order`, async () => {
      const seen: string[] = [];
      for await (const payment of under.api.listPayments.paginate({ query: { [sizeParam]: 100 } })) seen.push(payment.id);
      expect(new Set(created).size).toBe(COUNT);
      expect(seen).toEqual(created);
    });

    test('pages() yields pages of the requested size; maxPages and maxItems stop early', async () => {
      const sizes: number[] = [];
      for await (const page of under.api.listPayments.pages({ query: { [sizeParam]: 30 } }, { maxPages: 3 })) sizes.push(page.items.length);
      expect(sizes).toEqual([30, 30, 30]);
      const first: string[] = [];
      for await (const payment of under.api.listPayments.paginate({ query: { [sizeParam]: 30 } }, { maxItems: 45 })) first.push(payment.id);
      expect(first).toEqual(created.slice(0, 45));
    });
  });
}

test('the page style follows the Link header the mock sends', async () => {
  const spec = path.resolve('fixtures/paginate/page.yaml');
  const mock = await startMockServer({ spec, stateful: true });
  try {
    for (let i = 0; i < 3; i++) await fetch(`${mock.url}/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: i }) });
    const first = await fetch(`${mock.url}/payments?per_page=2`);
    expect(first.headers.get('link')).toBe('</payments?page=2&per_page=2>; rel="next"');
    const last = await fetch(`${mock.url}/payments?per_page=2&page=2`);
    expect(((await last.json()) as unknown[]).length).toBe(1);
    expect(last.headers.get('link')).toBeNull();
  } finally {
    await mock.close();
  }
});
