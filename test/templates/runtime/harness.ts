/** Shared pieces for runtime tests: operation metadata, a fake clock whose sleep advances it, an event log. */
import type { IdempotencyMode, OperationMeta, ResilienceEvent } from '../../../templates/runtime/resilience.js';
import { authPlugin, type SecuritySchemeDescription } from '../../../templates/runtime/auth.js';
import { hmacScheme } from '../../../templates/runtime/auth-hmac.js';
import { oauth2Scheme } from '../../../templates/runtime/oauth2.js';
import type { ClientPlugins } from '../../../templates/runtime/plugins.js';

/** The auth plug-in with every scheme kind, as a client whose contract declares `schemes` of every kind gets it. */
export function allAuth(schemes: readonly SecuritySchemeDescription[]): ClientPlugins {
  return { auth: authPlugin(schemes, { oauth2: oauth2Scheme, hmac: hmacScheme }) };
}

export function operation(method: string, mode: IdempotencyMode, extra: Partial<OperationMeta> = {}): OperationMeta {
  return {
    operationId: `${method.toLowerCase()}Thing`,
    method,
    path: '/things',
    idempotency: { mode, header: 'Idempotency-Key', required: mode === 'keyed' },
    security: [],
    ...extra,
  };
}

export interface FakeTime {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  advance(ms: number): void;
  sleeps: number[];
}

/** Time stands still except when the code under test sleeps (or the test advances it). */
export function fakeTime(start = Date.parse('2030-01-01T00:00:00Z')): FakeTime {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleeps,
    advance(ms) {
      t += ms;
    },
    async sleep(ms, signal) {
      if (signal?.aborted === true) throw signal.reason;
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** Returns the given values in turn, then repeats the last one. */
export function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] ?? 0;
}

export function eventLog(): { events: ResilienceEvent[]; onEvent(event: ResilienceEvent): void; ofType<T extends ResilienceEvent['type']>(type: T): Array<Extract<ResilienceEvent, { type: T }>> } {
  const events: ResilienceEvent[] = [];
  return {
    events,
    onEvent: (event) => events.push(event),
    ofType: <T extends ResilienceEvent['type']>(type: T) => events.filter((e): e is Extract<ResilienceEvent, { type: T }> => e.type === type),
  };
}

export function post(url: string, body: unknown): Request {
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
