import { ConcordError } from '../errors.js';
import type { Rng } from './fake/prng.js';

/**
 * Fault injection: `503=0.1,429=0.05,latency=50-400ms,reset=0.01,retry-after=1`. Every decision draws exactly
 * three numbers from the server's seeded stream, so a given seed and request order replay the same faults.
 */

export interface ChaosSpec {
  /** Injected statuses with their probabilities, tried in order on one draw. */
  faults: Array<{ status: number; probability: number }>;
  /** Probability of dropping the connection after the request took effect (the response is lost). */
  reset: number;
  latency: readonly [number, number] | undefined;
  /** Seconds sent in `Retry-After` on injected 429 and 503. */
  retryAfterSeconds: number;
  /** Probability of cutting a streaming answer mid-way (drawn only for streams, so other sequences are unchanged). */
  cut?: number;
}

export interface ChaosDecision {
  status: number | undefined;
  reset: boolean;
  latencyMs: number;
}

function probability(text: string, item: string): number {
  const percent = text.endsWith('%');
  const value = Number(percent ? text.slice(0, -1) : text);
  const p = percent ? value / 100 : value;
  if (!Number.isFinite(p) || p < 0 || p > 1) throw new ConcordError('USAGE', `Chaos "${item}": the probability must be between 0 and 1 (or 0% and 100%).`);
  return p;
}

function duration(text: string, item: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!match) throw new ConcordError('USAGE', `Chaos "${item}": expected a duration such as 50ms or 2s.`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

export function parseChaos(text: string): ChaosSpec {
  const spec: ChaosSpec = { faults: [], reset: 0, latency: undefined, retryAfterSeconds: 1 };
  for (const raw of text.split(/[,;]/)) {
    const item = raw.trim();
    if (item === '') continue;
    const index = item.indexOf('=');
    if (index < 0) throw new ConcordError('USAGE', `Chaos "${item}": expected key=value, e.g. 503=0.1 or latency=50-400ms.`);
    const key = item.slice(0, index).trim().toLowerCase();
    const value = item.slice(index + 1).trim();
    if (/^[1-5]\d\d$/.test(key)) spec.faults.push({ status: Number(key), probability: probability(value, item) });
    else if (key === 'reset') spec.reset = probability(value, item);
    else if (key === 'cut') spec.cut = probability(value, item);
    else if (key === 'retry-after') spec.retryAfterSeconds = Math.round(duration(value.endsWith('s') || value.endsWith('ms') ? value : `${value}s`, item) / 1000);
    else if (key === 'latency') {
      const [low = '', high] = value.split('-');
      const unit = /(ms|s)$/.exec(high ?? low)?.[1] ?? 'ms';
      const withUnit = (t: string): string => (/(ms|s)$/.test(t) ? t : `${t}${unit}`);
      const min = duration(withUnit(low), item);
      const max = high === undefined ? min : duration(withUnit(high), item);
      if (max < min) throw new ConcordError('USAGE', `Chaos "${item}": the latency range is reversed.`);
      spec.latency = [min, max];
    } else throw new ConcordError('USAGE', `Chaos "${item}": unknown key "${key}".`, { hint: 'Use a status (503=0.1), reset=0.01, cut=0.1 (streams), latency=50-400ms or retry-after=1.' });
  }
  const total = spec.faults.reduce((n, f) => n + f.probability, 0);
  if (total > 1 + 1e-9) throw new ConcordError('USAGE', `Chaos: the status probabilities add up to ${total}, more than 1.`);
  return spec;
}

export function decideChaos(spec: ChaosSpec, rng: Rng): ChaosDecision {
  const faultDraw = rng.next();
  const resetDraw = rng.next();
  const latencyDraw = rng.next();
  let status: number | undefined;
  let cumulative = 0;
  for (const fault of spec.faults) {
    cumulative += fault.probability;
    if (faultDraw < cumulative) {
      status = fault.status;
      break;
    }
  }
  const latencyMs = spec.latency === undefined ? 0 : Math.round(spec.latency[0] + latencyDraw * (spec.latency[1] - spec.latency[0]));
  return { status, reset: status === undefined && resetDraw < spec.reset, latencyMs };
}
