/**
 * Prometheus / OpenMetrics text exposition (format 0.0.4) without a dependency: counters and gauges with labels.
 * Label values are escaped; names are the caller's responsibility (they are constants in concord's code).
 */

export type MetricType = 'counter' | 'gauge';

export interface MetricSample {
  labels: Readonly<Record<string, string>>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: readonly MetricSample[];
}

/** The content type a scrape endpoint answers with. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return '';
  return `{${names.map((name) => `${name}="${escapeLabel(labels[name] ?? '')}"`).join(',')}}`;
}

export function renderMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples)
      lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** A counter family keyed by its label values; samples come out in first-seen order. */
export interface LabelledCounter {
  inc(labels: Readonly<Record<string, string>>, by?: number): void;
  get(labels: Readonly<Record<string, string>>): number;
  samples(extra?: Readonly<Record<string, string>>): MetricSample[];
}

export function createLabelledCounter(): LabelledCounter {
  const values = new Map<string, { labels: Readonly<Record<string, string>>; value: number }>();
  // Callers pass labels in a fixed order per family, so the values alone are a key (cheap on the call path).
  const keyOf = (labels: Readonly<Record<string, string>>): string => Object.values(labels).join('\u0001');
  return {
    inc(labels, by = 1) {
      const key = keyOf(labels);
      const entry = values.get(key);
      if (entry === undefined) values.set(key, { labels: { ...labels }, value: by });
      else entry.value += by;
    },
    get: (labels) => values.get(keyOf(labels))?.value ?? 0,
    samples: (extra = {}) => [...values.values()].map((e) => ({ labels: { ...extra, ...e.labels }, value: e.value })),
  };
}

const unescapeLabel = (value: string): string => value.replace(/\\(\\|n|")/g, (_, c: string) => (c === 'n' ? '\n' : c));
const unescapeHelp = (value: string): string => value.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : c));
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** The inverse of `renderMetrics`, for the text it writes (HELP, TYPE and sample lines; no timestamps). */
export function parseMetricsText(text: string): MetricFamily[] {
  const families = new Map<string, { name: string; help: string; type: MetricType; samples: MetricSample[] }>();
  const family = (name: string) => {
    let found = families.get(name);
    if (found === undefined) families.set(name, (found = { name, help: '', type: 'gauge', samples: [] }));
    return found;
  };
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const target = family(meta[2] as string);
      if (meta[1] === 'HELP') target.help = unescapeHelp(meta[3] ?? '');
      else if (meta[3] === 'counter' || meta[3] === 'gauge') target.type = meta[3];
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (sample === null) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (sample[2] ?? '').matchAll(LABEL))
      labels[name as string] = unescapeLabel(value as string);
    family(sample[1] as string).samples.push({ labels, value: parseValue(sample[3] as string) });
  }
  return [...families.values()];
}
