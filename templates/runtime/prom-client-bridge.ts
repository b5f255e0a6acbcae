/**
 * An optional bridge for applications that already serve prom-client's registry: concord's counters and gauges
 * (`metricsText()` of a client, router or mock) appear in `register.metrics()` beside the application's own.
 * prom-client is not imported: the registry is typed by the one method the bridge calls, so it stays optional.
 */
import { parseMetricsText, type MetricFamily, type MetricType } from './metrics-text.js';

/** What prom-client's `Registry.getMetricsAsString` reads from a registered metric. */
export interface BridgedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly aggregator: 'sum';
  get(): Promise<{
    name: string;
    help: string;
    type: MetricType;
    aggregator: 'sum';
    values: Array<{ labels: Record<string, string>; value: number }>;
  }>;
  reset(): void;
}

/** The part of prom-client's `Registry` the bridge uses. */
export interface PromClientRegistry {
  // prom-client types the parameter as its own metric classes, which a plain object cannot be; its registry reads
  // only name, help, type and get() (what BridgedMetric has), so the parameter stays open here.
  registerMetric(metric: never): void;
}

/**
 * Registers one metric per family `metricsText()` renders now. Each scrape renders the text once (families read
 * it within the same 100 ms), so the values are those of one moment.
 */
export function registerWithPromClient(registry: PromClientRegistry, metricsText: () => string): BridgedMetric[] {
  let cached: { at: number; families: Map<string, MetricFamily> } | undefined;
  const current = (): Map<string, MetricFamily> => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > 100) {
      cached = { at: now, families: new Map(parseMetricsText(metricsText()).map((f) => [f.name, f])) };
    }
    return cached.families;
  };
  const metrics = [...current().values()].map((family): BridgedMetric => ({
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator: 'sum',
    get: async () => ({
      name: family.name,
      help: family.help,
      type: family.type,
      aggregator: 'sum',
      values: (current().get(family.name)?.samples ?? []).map((s) => ({ labels: { ...s.labels }, value: s.value })),
    }),
    // concord's counters belong to the client or router; prom-client's resetMetrics() must not zero them.
    reset: () => undefined,
  }));
  const register = registry.registerMetric as (this: PromClientRegistry, metric: BridgedMetric) => void;
  for (const metric of metrics) register.call(registry, metric);
  return metrics;
}
