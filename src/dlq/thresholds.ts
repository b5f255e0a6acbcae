/**
 * The three dead-letter alert signals' thresholds, shared by the generated alert rules and the console. Defaults
 * are a starting point: a few parked requests are routine during a partner's outage, an hour-old one is not.
 */
export interface AlertThresholds {
  /** Alert when more requests than this are parked. */
  maxDepth: number;
  /** Alert when the oldest parked request is older than this. */
  maxOldestAgeSeconds: number;
  /** Alert when rejections / validations over `window` exceed this ratio (0.05 = 5 %). */
  maxRejectionRatio: number;
  /** The rate window, a Prometheus duration. */
  window: string;
  /** How long a condition must hold before the alert fires, a Prometheus duration. */
  for: string;
}

export const ALERT_DEFAULTS: AlertThresholds = {
  maxDepth: 10,
  maxOldestAgeSeconds: 3600,
  maxRejectionRatio: 0.05,
  window: '10m',
  for: '5m',
};
