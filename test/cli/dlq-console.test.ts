import { existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole, type RunningConsole } from '../../src/dlq/console-server.js';
import { openOperatorStore, type OperatorStore } from '../../src/dlq/store.js';
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import { parkedOrder } from '../helpers/dead-letter-records.js';
import { createFileDeadLetterStore } from '../../templates/runtime/dlq-file.js';
import { cli, scratch } from '../helpers/workspace.js';

/**
 * `concord dlq serve` in headless Chromium (Debian's, driven by playwright-core): the page loads with no external
 * asset, lists the parked requests with age and reason, shows one redacted, and replays one against a local server
 * after a confirmation; the alert signals are on the page. Plus the guards: read-only by default, a token when
 * bound beyond loopback.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let target: Server;
let targetUrl = '';
const delivered: string[] = [];
let dir = '';

function record(id: string, minutesAgo: number, operationId: string): DeadLetterRecord {
  return parkedOrder({ id, target: targetUrl, operationId, minutesAgo, attempts: 4, sku: id });
}

beforeAll(async () => {
  target = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delivered.push(String(req.headers['idempotency-key']));
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  dir = path.join(scratch('dlq-console'), 'store');
  const file = await createFileDeadLetterStore(dir);
  await file.put(record('rec-old', 120, 'createOrder'));
  await file.put(record('rec-new', 3, 'refundOrder'));
  await file.close();
});
afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

describe('console guards', () => {
  it('refuses to bind beyond loopback without a token (exit 2)', async () => {
    const result = await cli(['dlq', 'serve', '--store', dir, '--host', '0.0.0.0', '--port', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--token');
  });

  it('is read-only without --allow-writes, and wants its token when given one', async () => {
    const store = await openOperatorStore(dir);
    const running = await serveConsole(store, { port: 0, host: '127.0.0.1', allowWrites: false, token: 's3cret' });
    try {
      expect((await fetch(`${running.url}api/records`)).status).toBe(401);
      const auth = { authorization: 'Bearer s3cret' };
      const list = (await (await fetch(`${running.url}api/records`, { headers: auth })).json()) as { records: unknown[] };
      expect(list.records).toHaveLength(2);
      const write = await fetch(`${running.url}api/records/rec-old/purge`, { method: 'POST', headers: { ...auth, 'x-concord-console': '1' } });
      expect(write.status).toBe(403);
    } finally {
      await running.close();
      await store.close();
    }
  });
});

describe('console signals', () => {
  it('reads the validation rejection rate from a client or provider metrics endpoint', async () => {
    const metrics = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(
        [
          'concord_client_validations_total{operation="createOrder",side="request"} 150',
          'concord_server_validations_total{operation="createOrder"} 50',
          'concord_client_validation_rejections_total{operation="createOrder",side="request"} 10',
          'concord_server_validation_rejections_total{operation="createOrder",side="request"} 20',
          '',
        ].join('\n'),
      );
    });
    await new Promise<void>((resolve) => metrics.listen(0, '127.0.0.1', resolve));
    const store = await openOperatorStore(dir);
    const running = await serveConsole(store, {
      port: 0,
      host: '127.0.0.1',
      allowWrites: false,
      metricsUrl: `http://127.0.0.1:${(metrics.address() as AddressInfo).port}/metrics`,
    });
    try {
      const body = (await (await fetch(`${running.url}api/records`)).json()) as { signals: Record<string, { value: number | null; firing: boolean }> };
      expect(body.signals['validationRejectionRate']).toMatchObject({ value: 0.15, firing: true });
      expect(body.signals['depth']).toMatchObject({ value: 2, firing: false });
    } finally {
      await running.close();
      await store.close();
      await new Promise<void>((resolve) => metrics.close(() => resolve()));
    }
  });
});

describe.skipIf(!hasChromium)(`console in headless Chromium (skips visibly without ${CHROMIUM})`, () => {
  let browser: Browser;
  let store: OperatorStore;
  let running: RunningConsole;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    store = await openOperatorStore(dir);
    running = await serveConsole(store, { port: 0, host: '127.0.0.1', allowWrites: true, thresholds: { maxOldestAgeSeconds: 3600 } });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
    await store?.close();
  });

  it('loads, lists, shows one redacted, replays one after confirming, and screenshots', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(running.url)) external.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(running.url);
    await page.waitForSelector('tbody#records tr');
    const rows = await page.$$eval('tbody#records tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent ?? '')));
    expect(rows.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['rec-old', '2h', 'createOrder'],
      ['rec-new', '3m', 'refundOrder'],
    ]);
    expect(rows[0]?.[4]).toContain('attempts after 4 attempt(s), HTTP 503');
    // The three signals: 2 parked (below 10), the oldest 2 h (above 1 h: firing), no metrics source.
    expect(await page.textContent('#sig-depth b')).toBe('2');
    expect(await page.getAttribute('#sig-age', 'class')).toContain('firing');
    expect(await page.textContent('#sig-rate b')).toBe('n/a');

    await page.click('tr[data-id="rec-old"] button:text("Show")');
    await page.waitForFunction(() => document.getElementById('detail')?.textContent?.includes('"id": "rec-old"'));
    expect(await page.textContent('#detail')).toContain('"authorization": "[REDACTED]"');

    await page.click('tr[data-id="rec-old"] button:text("Replay")');
    expect(await page.isVisible('dialog#confirm')).toBe(true);
    await page.click('#confirm-ok');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('delivered and removed'));
    await page.waitForFunction(() => document.querySelectorAll('tbody#records tr').length === 1);
    expect(delivered).toEqual(['key-rec-old']);
    expect((await store.list()).map((r) => r.id)).toEqual(['rec-new']);

    const shot = path.join(path.dirname(dir), 'console.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5000);
    expect(external).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
