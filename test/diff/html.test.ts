import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { runDiff } from '../../src/diff/index.js';
import { itemDoc } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

let dir: string;
let html: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-html-'));
  const base = itemDoc({ type: 'object', required: ['id'], properties: { id: { type: 'string' }, size: { type: 'integer', maximum: 10 }, kind: { type: 'string', enum: ['a'] } } });
  const revision = itemDoc({ type: 'object', required: ['id'], properties: { id: { type: 'integer' }, size: { type: 'integer', maximum: 20 }, kind: { type: 'string', enum: ['a', '<b>'] } } });
  (revision['paths'] as Record<string, unknown>)['/other'] = { get: { operationId: 'getOther', responses: { '200': { description: 'ok' } } } };
  await writeFile(path.join(dir, 'base.yaml'), stringify(base));
  await writeFile(path.join(dir, 'revision.yaml'), stringify(revision));
  html = (await runDiff({ base: path.join(dir, 'base.yaml'), revision: path.join(dir, 'revision.yaml'), format: 'html' })).output;
  await writeFile(path.join(dir, 'report.html'), html);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--format html', () => {
  test('self-contained: no scripts, no external URLs, escaped content', () => {
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
    expect(html).toContain('&quot;&lt;b&gt;&quot;');
    // Grouped by operation, the group with breaking changes first.
    expect(html.indexOf('<h2>POST /items</h2>')).toBeGreaterThan(0);
    expect(html.indexOf('<h2>POST /items</h2>')).toBeLessThan(html.indexOf('<h2>GET /other</h2>'));
  });

  test.skipIf(!hasChromium)(`renders in headless Chromium with both sides' pointers and snippets (skipped without ${CHROMIUM})`, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`file://${path.join(dir, 'report.html')}`);
      const text = await page.innerText('body');
      expect(text).toContain('concord diff:');
      expect(text).toMatch(/\d+ breaking, \d+ warnings?, \d+ info/);
      expect(text).toContain('type-changed');
      expect(text).toContain('base #/components/schemas/Item/properties/id');
      expect(text).toContain('revision #/components/schemas/Item/properties/id');
      expect(text).toContain('"type": "integer"');
      // Breaking changes come before warnings and info inside a group.
      expect(text.indexOf('breaking')).toBeLessThan(text.indexOf('info'));
      const shot = path.join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(5000);
      expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
