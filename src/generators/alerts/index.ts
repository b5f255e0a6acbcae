import { stringify } from 'yaml';
import type { Generator } from '../registry.js';
import { buildAlertRules } from './rules.js';

/**
 * The `alerts` target: `alerts.rules.yml`, Prometheus alerting rules (load it with `rule_files`). Thresholds come
 * from the config's `alerts` section; operations marked `x-concord-critical: true` (or listed in
 * `alerts.critical`) get rules of their own.
 */
export const alertsGenerator: Generator = ({ ir, options }) => {
  const { api, rules } = buildAlertRules(ir, options?.alerts ?? {});
  const document = { groups: [{ name: `concord-${api}`, rules }] };
  return {
    files: [{ path: 'alerts.rules.yml', content: stringify(document, { lineWidth: 0, aliasDuplicateObjects: false }) }],
    runtime: [],
    exports: [],
  };
};
