import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/generate.js';
import { ROOT, scratch } from '../../helpers/workspace.js';

/**
 * The `alerts` target against promtool (Debian `prometheus`), the independent peer: the rules load
 * (`promtool check rules`), and `promtool test rules` feeds series that cross the configured thresholds and series
 * that do not, for the API-wide rules and the rules of operations marked critical (in the contract and in config).
 */
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

let dir = '';
let rules: Rule[] = [];

beforeAll(async () => {
  dir = scratch('alerts');
  await generate({
    spec: path.join(ROOT, 'fixtures/ops.yaml'),
    out: dir,
    targets: ['alerts'],
    criticalOperations: ['GET /orders/{orderId}'],
    alerts: { maxDepth: 5, maxOldestAgeSeconds: 600, maxRejectionRatio: 0.05, window: '5m', for: '2m', store: 'postgres://ops@db/shop' },
  });
  const document = parse(readFileSync(path.join(dir, 'alerts.rules.yml'), 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };
  rules = document.groups.flatMap((g) => g.rules);
});

describe('alerts target', () => {
  it('writes the three signals per API and per critical operation, thresholds from config, runbooks naming concord dlq', () => {
    expect(rules.map((r) => r.alert)).toEqual([
      'ConcordShopOrdersDeadLetterDepth',
      'ConcordShopOrdersDeadLetterOldest',
      'ConcordShopOrdersValidationRejections',
      'ConcordShopOrdersCreateOrderDeadLetterDepth', // x-concord-critical in the contract
      'ConcordShopOrdersCreateOrderDeadLetterOldest',
      'ConcordShopOrdersCreateOrderValidationRejections',
      'ConcordShopOrdersGetOrderDeadLetterDepth', // alerts.critical in config
      'ConcordShopOrdersGetOrderDeadLetterOldest',
      'ConcordShopOrdersGetOrderValidationRejections',
    ]);
    expect(rules[0]?.expr).toBe('max(concord_dlq_depth{api="shop-orders"}) > 5');
    expect(rules[1]?.expr).toBe('max(concord_dlq_oldest_age_seconds{api="shop-orders"}) > 600');
    expect(rules[2]?.expr).toContain('[5m]');
    expect(rules.every((r) => r.for === '2m')).toBe(true);
    for (const rule of rules) expect(rule.annotations['runbook']).toContain('concord dlq list --store postgres://ops@db/shop');
    expect(rules[0]?.annotations['runbook']).toContain('concord dlq replay --all');
  });

  it.skipIf(!hasPromtool)('passes promtool check rules (skips visibly without promtool)', () => {
    const result = spawnSync('promtool', ['check', 'rules', path.join(dir, 'alerts.rules.yml')], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toContain('SUCCESS: 9 rules found');
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasPromtool)('fires on series above the thresholds and stays quiet below them (promtool test rules; skips visibly without promtool)', () => {
    const api = 'api="shop-orders"';
    /** An expected alert: the rule's labels plus the annotations as Prometheus renders them for this value. */
    const alert = (name: string, rendered: string) => {
      const rule = rules.find((r) => r.alert === name);
      if (rule === undefined) throw new Error(`no rule ${name}`);
      const annotations = Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, v.replace(/\{\{[^}]*\}\}/g, rendered)]));
      return { exp_labels: rule.labels, exp_annotations: annotations };
    };
    const quiet = (alertname: string, eval_time: string) => ({ eval_time, alertname, exp_alerts: [] });
    const tests = [
      {
        interval: '1m',
        input_series: [
          // Two processes sharing one PostgreSQL store report the same depth: max, not sum (10, not 20).
          { series: `concord_dlq_depth{${api},instance="a"}`, values: '0+1x30' },
          { series: `concord_dlq_depth{${api},instance="b"}`, values: '0+1x30' },
          { series: 'concord_dlq_depth{api="another-api"}', values: '100x30' },
          { series: `concord_dlq_oldest_age_seconds{${api}}`, values: '0+60x30' },
          { series: `concord_dlq_operation_depth{${api},operation="createOrder"}`, values: '0+1x30' },
          { series: `concord_dlq_operation_depth{${api},operation="getOrder"}`, values: '0x30' },
          // createOrder: 10 % rejected; getOrder: none; the API as a whole: 2.5 %, below 5 %.
          { series: `concord_client_validations_total{${api},operation="createOrder",side="request"}`, values: '0+100x30' },
          { series: `concord_client_validation_rejections_total{${api},operation="createOrder",side="request"}`, values: '0+10x30' },
          { series: `concord_client_validations_total{${api},operation="getOrder",side="response"}`, values: '0+300x30' },
        ],
        alert_rule_test: [
          quiet('ConcordShopOrdersDeadLetterDepth', '4m'),
          { eval_time: '10m', alertname: 'ConcordShopOrdersDeadLetterDepth', exp_alerts: [alert('ConcordShopOrdersDeadLetterDepth', '10')] },
          quiet('ConcordShopOrdersDeadLetterOldest', '8m'),
          { eval_time: '15m', alertname: 'ConcordShopOrdersDeadLetterOldest', exp_alerts: [alert('ConcordShopOrdersDeadLetterOldest', '15m 0s')] },
          { eval_time: '10m', alertname: 'ConcordShopOrdersCreateOrderDeadLetterDepth', exp_alerts: [alert('ConcordShopOrdersCreateOrderDeadLetterDepth', '10')] },
          quiet('ConcordShopOrdersGetOrderDeadLetterDepth', '20m'),
          quiet('ConcordShopOrdersValidationRejections', '20m'),
          { eval_time: '20m', alertname: 'ConcordShopOrdersCreateOrderValidationRejections', exp_alerts: [alert('ConcordShopOrdersCreateOrderValidationRejections', '10%')] },
          quiet('ConcordShopOrdersGetOrderValidationRejections', '20m'),
        ],
      },
      {
        interval: '1m',
        input_series: [
          // The provider rejects a fifth of getOrder's responses: the API-wide rule and getOrder's fire.
          { series: `concord_client_validations_total{${api},operation="getOrder",side="response"}`, values: '0+100x30' },
          { series: `concord_server_validations_total{${api},operation="getOrder",side="request"}`, values: '0+100x30' },
          { series: `concord_server_validation_rejections_total{${api},operation="getOrder",side="request"}`, values: '0+40x30' },
          { series: `concord_dlq_depth{${api}}`, values: '5x30' },
        ],
        alert_rule_test: [
          { eval_time: '20m', alertname: 'ConcordShopOrdersValidationRejections', exp_alerts: [alert('ConcordShopOrdersValidationRejections', '20%')] },
          { eval_time: '20m', alertname: 'ConcordShopOrdersGetOrderValidationRejections', exp_alerts: [alert('ConcordShopOrdersGetOrderValidationRejections', '20%')] },
          quiet('ConcordShopOrdersCreateOrderValidationRejections', '20m'),
          // At the threshold is not above it.
          quiet('ConcordShopOrdersDeadLetterDepth', '20m'),
        ],
      },
    ];
    const file = path.join(dir, 'alerts.test.yml');
    writeFileSync(file, stringify({ rule_files: ['alerts.rules.yml'], evaluation_interval: '1m', tests }, { lineWidth: 0 }));
    const result = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8', cwd: dir });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});

describe('alerts from the config file (CLI)', () => {
  it('takes thresholds and critical operations from concord.config.json, and --check sees the rules as fresh', async () => {
    const { cli } = await import('../../helpers/workspace.js');
    const { copyFileSync } = await import('node:fs');
    const work = scratch('alerts-config');
    copyFileSync(path.join(ROOT, 'fixtures/ops.yaml'), path.join(work, 'ops.yaml'));
    writeFileSync(
      path.join(work, 'concord.config.json'),
      JSON.stringify({ spec: 'ops.yaml', out: 'ops', targets: ['alerts'], alerts: { api: 'shop', maxDepth: 3, maxRejectionPercent: 7, window: '15m', critical: ['getOrder'] } }),
    );
    const generated = await cli(['generate'], { cwd: work });
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const text = readFileSync(path.join(work, 'ops/alerts.rules.yml'), 'utf8');
    expect(text.startsWith('# Generated by concord')).toBe(true);
    const loaded = parse(text) as { groups: Array<{ rules: Rule[] }> };
    const all = loaded.groups.flatMap((g) => g.rules);
    expect(all.map((r) => r.alert)).toContain('ConcordShopGetOrderValidationRejections');
    expect(all[0]?.expr).toBe('max(concord_dlq_depth{api="shop"}) > 3');
    expect(all[2]?.expr).toMatch(/\[15m\]\)\) > 0\.07$/);
    expect((await cli(['generate', '--check'], { cwd: work })).code).toBe(0);
    writeFileSync(path.join(work, 'concord.config.json'), JSON.stringify({ spec: 'ops.yaml', out: 'ops', alerts: { window: 'ten minutes' } }));
    const bad = await cli(['generate'], { cwd: work });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('window');
  });
});
