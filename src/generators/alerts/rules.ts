/**
 * Prometheus alerting rules for the seed's three operational signals — dead-letter depth, age of the oldest parked
 * request, validation rejection rate — per API (selected by the `api` label the user puts on `metricsText()` and
 * `concord dlq stats`) and per operation the contract or config marks critical. Every rule's runbook names the
 * `concord dlq` commands an on-call engineer runs.
 */
import type { IrDocument, IrOperation } from '../../ir/types.js';
import { ALERT_DEFAULTS, type AlertThresholds } from '../../dlq/thresholds.js';

/** Config values, possibly undefined (exactOptionalPropertyTypes): unset ones take ALERT_DEFAULTS. */
export type AlertOptions = { [K in keyof AlertThresholds]?: AlertThresholds[K] | undefined } & {
  /** The `api` label value; default: the contract title in kebab-case. */
  api?: string | undefined;
  /** Shown in runbooks (`--store …`); default `$CONCORD_DLQ_STORE`. Never put a password here. */
  store?: string | undefined;
  /** Severity label (default `page` for critical operations, `ticket` for the API-wide rules). */
  severity?: string | undefined;
};

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function apiLabel(ir: IrDocument, options: AlertOptions): string {
  if (options.api !== undefined) return options.api;
  const slug = ir.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? 'api' : slug;
}

const pascal = (text: string): string =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');

const quote = (value: string): string => JSON.stringify(value);

function runbook(store: string, operation: string | undefined): string {
  const only = operation === undefined ? '' : ` (the ${operation} records: grep ${operation})`;
  return [
    `1. See what is parked${only}: concord dlq list --store ${store}`,
    `2. Read one (credentials were redacted when parked): concord dlq show <id> --store ${store}`,
    `3. Fix the cause (partner down, bad deploy, contract drift), then re-send; each record is removed only after a 2xx: concord dlq replay --all --store ${store} --header "Authorization: Bearer $TOKEN"`,
    `4. Drop what can never succeed: concord dlq purge <id> --yes --store ${store}`,
    `Console: concord dlq serve --store ${store}   Numbers: concord dlq stats --store ${store}`,
  ].join('\n');
}

function rejectionRunbook(store: string, operation: string | undefined): string {
  const scope = operation === undefined ? '' : `{operation="${operation}"}`;
  return [
    `Requests or responses no longer match the contract${operation === undefined ? '' : ` for ${operation}`}.`,
    `1. Which side: concord_client_validation_rejections_total${scope} by side (request = our caller, response = the provider).`,
    `2. The client's validation-rejected events carry the JSON pointers of the failing fields.`,
    `3. Check the provider against the contract: concord diff <deployed spec> <our spec>.`,
    `Calls that then failed are parked: concord dlq list --store ${store}`,
  ].join('\n');
}

/** The three rules for one scope: the whole API, or one operation (`concord_dlq_operation_*` from `dlq stats`). */
function rulesFor(api: string, op: IrOperation | undefined, t: AlertThresholds, options: AlertOptions): AlertRule[] {
  const store = options.store ?? '$CONCORD_DLQ_STORE';
  const where = op === undefined ? `api=${quote(api)}` : `api=${quote(api)},operation=${quote(op.name)}`;
  const dlq = op === undefined ? 'concord_dlq' : 'concord_dlq_operation';
  const name = `Concord${pascal(api)}${op === undefined ? '' : pascal(op.name)}`;
  const labels = {
    api,
    ...(op === undefined ? {} : { operation: op.name }),
    severity: options.severity ?? (op === undefined ? 'ticket' : 'page'),
  };
  const what = op === undefined ? `API ${api}` : `${op.name} (${op.method.toUpperCase()} ${op.path}) of ${api}`;
  const validated = (metric: string): string =>
    `sum(rate({__name__=~"concord_(client|server|mock)_${metric}_total",${where}}[${t.window}]))`;
  const percent = Math.round(t.maxRejectionRatio * 10000) / 100;
  return [
    {
      alert: `${name}DeadLetterDepth`,
      // max, not sum: every process sharing a PostgreSQL store reports the same depth.
      expr: `max(${dlq}_depth{${where}}) > ${t.maxDepth}`,
      for: t.for,
      labels,
      annotations: {
        summary: `More than ${t.maxDepth} requests of ${what} are parked in the dead-letter queue`,
        description: `{{ $value }} requests are parked (threshold ${t.maxDepth}).`,
        runbook: runbook(store, op?.name),
      },
    },
    {
      alert: `${name}DeadLetterOldest`,
      expr: `max(${dlq}_oldest_age_seconds{${where}}) > ${t.maxOldestAgeSeconds}`,
      for: t.for,
      labels,
      annotations: {
        summary: `A request of ${what} has been parked for more than ${t.maxOldestAgeSeconds} s`,
        description: `The oldest parked request is {{ $value | humanizeDuration }} old.`,
        runbook: runbook(store, op?.name),
      },
    },
    {
      alert: `${name}ValidationRejections`,
      expr: `${validated('validation_rejections')} / ${validated('validations')} > ${t.maxRejectionRatio}`,
      for: t.for,
      labels,
      annotations: {
        summary: `More than ${percent} % of validations of ${what} are rejected over ${t.window}`,
        description: `{{ $value | humanizePercentage }} of contract validations fail.`,
        runbook: rejectionRunbook(store, op?.name),
      },
    },
  ];
}

export function buildAlertRules(ir: IrDocument, options: AlertOptions = {}): { api: string; rules: AlertRule[] } {
  const thresholds: AlertThresholds = { ...ALERT_DEFAULTS };
  for (const key of Object.keys(ALERT_DEFAULTS) as Array<keyof AlertThresholds>) {
    const value = options[key];
    if (value !== undefined) Object.assign(thresholds, { [key]: value });
  }
  const api = apiLabel(ir, options);
  const rules = rulesFor(api, undefined, thresholds, options);
  for (const op of ir.operations) if (op.critical === true) rules.push(...rulesFor(api, op, thresholds, options));
  return { api, rules };
}
