/**
 * Phase timing for speed work: with `CONCORD_PROFILE=1` each phase prints its wall time and the process's RSS
 * (now and peak so far) to stderr. Off by default; when off, `profiled` only runs the function.
 */
const enabled = process.env['CONCORD_PROFILE'] === '1';
const started = performance.now();

export function profileEnabled(): boolean {
  return enabled;
}

export function profiled<T>(phase: string, fn: () => T): T {
  if (!enabled) return fn();
  const start = performance.now();
  const result = fn();
  if (result instanceof Promise) return result.then((value: unknown) => (report(phase, start), value)) as T;
  report(phase, start);
  return result;
}

function report(phase: string, start: number): void {
  const mb = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MB`;
  const now = performance.now();
  process.stderr.write(
    `[concord profile] ${phase.padEnd(24)} ${(now - start).toFixed(0).padStart(6)} ms  (at ${(now - started).toFixed(0)} ms)  rss ${mb(process.memoryUsage.rss())}  peak ${mb(process.resourceUsage().maxRSS * 1024)}\n`,
  );
}
