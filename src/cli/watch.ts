import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { isConcordError } from '../errors.js';
import type { GenerateOptions, GenerateResult } from '../generate.js';
import type { Reporter } from './reporter.js';

/**
 * `generate --watch`: regenerate when the spec or any local file it $refs changes (debounced). An invalid
 * intermediate edit prints the error and keeps the last good output (the atomic write never started).
 */
export async function runWatch(jobs: GenerateOptions[], reporter: Reporter, run: (job: GenerateOptions, reporter: Reporter) => Promise<GenerateResult>): Promise<void> {
  const watchers = new Map<string, FSWatcher>();
  const attempt = async (job: GenerateOptions): Promise<void> => {
    try {
      const result = await run(job, reporter);
      for (const file of result.spec.files) watchDir(path.dirname(file), job);
    } catch (error) {
      if (isConcordError(error)) reporter.error(error);
      else reporter.internal(error);
      reporter.info(reporter.dim('  keeping the last good output; waiting for the next change…'));
      if (!/^https?:/i.test(job.spec)) watchDir(path.dirname(path.resolve(job.spec)), job);
    }
  };
  const timers = new Map<GenerateOptions, NodeJS.Timeout>();
  const schedule = (job: GenerateOptions): void => {
    clearTimeout(timers.get(job));
    timers.set(job, setTimeout(() => void attempt(job), 150));
  };
  function watchDir(dir: string, job: GenerateOptions): void {
    const key = `${dir}\u0000${job.out}`;
    if (watchers.has(key)) return;
    const out = path.resolve(job.out);
    const watcher = watch(dir, { recursive: false }, (_event, name) => {
      if (name === null) return;
      const full = path.resolve(dir, name.toString());
      if (full.startsWith(out) || /\.concord-(new|old)-/.test(full) || !/\.(ya?ml|json)$/i.test(full)) return;
      schedule(job);
    });
    watchers.set(key, watcher);
  }
  for (const job of jobs) await attempt(job);
  reporter.info(reporter.dim('watching for changes (Ctrl-C to stop)'));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      for (const watcher of watchers.values()) watcher.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
