/**
 * The dead-letter signals an on-call engineer alerts on (depth, oldest parked age), overall and per operation, as
 * JSON or as Prometheus text for a textfile collector or a cron push. Metric names match the client's
 * `metricsText()` and the generated alert rules.
 */
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import { renderMetrics, type MetricFamily } from '../../templates/runtime/metrics-text.js';

export interface DeadLetterStatsReport {
  depth: number;
  oldestAgeSeconds: number | null;
  oldestId: string | null;
  byOperation: Record<string, { depth: number; oldestAgeSeconds: number }>;
  byReason: Record<string, number>;
}

export function deadLetterStats(records: readonly DeadLetterRecord[], nowMs = Date.now()): DeadLetterStatsReport {
  const ageOf = (r: DeadLetterRecord): number => Math.max(0, (nowMs - Date.parse(r.createdAt)) / 1000);
  const byOperation: DeadLetterStatsReport['byOperation'] = {};
  const byReason: Record<string, number> = {};
  let oldest: DeadLetterRecord | undefined;
  for (const r of records) {
    const entry = (byOperation[r.operationId] ??= { depth: 0, oldestAgeSeconds: 0 });
    entry.depth++;
    entry.oldestAgeSeconds = Math.max(entry.oldestAgeSeconds, ageOf(r));
    byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    if (oldest === undefined || ageOf(r) > ageOf(oldest)) oldest = r;
  }
  return {
    depth: records.length,
    oldestAgeSeconds: oldest === undefined ? null : ageOf(oldest),
    oldestId: oldest?.id ?? null,
    byOperation,
    byReason,
  };
}

/**
 * The whole store (`concord_dlq_*`, the same series a client's `metricsText()` exports) and per operation
 * (`concord_dlq_operation_*`, only the operator's view has it), so the generated per-API and per-operation alert
 * rules each find theirs. An empty store still reports 0.
 */
export function statsToPrometheus(stats: DeadLetterStatsReport, labels: Record<string, string> = {}): string {
  const operations = Object.entries(stats.byOperation);
  const perOperation = (value: (s: { depth: number; oldestAgeSeconds: number }) => number) =>
    operations.map(([operation, s]) => ({ labels: { ...labels, operation }, value: value(s) }));
  const families: MetricFamily[] = [
    { name: 'concord_dlq_depth', help: 'Requests parked in the dead-letter store.', type: 'gauge', samples: [{ labels, value: stats.depth }] },
    {
      name: 'concord_dlq_oldest_age_seconds',
      help: 'Age of the oldest parked request, in seconds (0 when none is parked).',
      type: 'gauge',
      samples: [{ labels, value: stats.oldestAgeSeconds ?? 0 }],
    },
    { name: 'concord_dlq_operation_depth', help: 'Requests parked in the dead-letter store, per operation.', type: 'gauge', samples: perOperation((s) => s.depth) },
    {
      name: 'concord_dlq_operation_oldest_age_seconds',
      help: 'Age of the oldest parked request of an operation, in seconds.',
      type: 'gauge',
      samples: perOperation((s) => s.oldestAgeSeconds),
    },
  ];
  return renderMetrics(families);
}
