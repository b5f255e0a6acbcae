/**
 * The mock's Prometheus counters: the provider router's families under `concord_mock_`, fed by the one pipeline's
 * events and answers, so a consumer's test run can be scraped like a provider.
 */
import { createServerMetrics, type ServerMetrics } from '../../templates/runtime/server-metrics.js';

export function createMockMetrics(): ServerMetrics {
  return createServerMetrics('concord_mock_');
}
