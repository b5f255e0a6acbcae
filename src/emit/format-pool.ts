import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PRETTIER_OPTIONS, formatTypeScript } from './format.js';

/** Each source formatted, or the error prettier raised for it. */
export type FormatOutcome = { ok: true; code: string } | { ok: false; error: unknown };

/**
 * Below this much code, starting a worker (~0.3 s to load prettier's TypeScript parser) costs more than it saves.
 * Prettier formats about 0.7 MB/s here, so past this each extra thread pays for itself several times.
 */
export const POOL_MIN_BYTES = 512 * 1024;
const MAX_WORKERS = 3;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// The CommonJS entry seen through import(): its exports may sit under \`default\`.
const loaded = import(workerData.prettier).then((module) => (typeof module.format === 'function' ? module : module.default));
parentPort.on('message', async ({ id, code }) => {
  try {
    const prettier = await loaded;
    parentPort.postMessage({ id, ok: true, code: await prettier.format(code, workerData.options) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
`;

/**
 * Prettier over many files. It is the slowest step of generating a large contract and runs on one thread, so
 * when there is enough code and an idle core, worker threads take files from a shared queue (largest first)
 * while this thread formats too. Same prettier, same options: the output does not depend on the split.
 */
export async function formatMany(sources: readonly string[], options: { workers?: number } = {}): Promise<FormatOutcome[]> {
  const workers = Math.min(options.workers ?? defaultWorkers(sources), sources.length - 1);
  const outcomes: FormatOutcome[] = new Array<FormatOutcome>(sources.length);
  const queue = sources.map((_, index) => index).sort((a, b) => (sources[b]?.length ?? 0) - (sources[a]?.length ?? 0));
  const here = async (): Promise<void> => {
    for (let index = queue.shift(); index !== undefined; index = queue.shift()) outcomes[index] = await formatHere(sources[index] ?? '');
  };
  if (workers < 1) {
    await here();
    return outcomes;
  }
  const prettier = pathToFileURL(createRequire(import.meta.url).resolve('prettier')).href;
  const pool = Array.from({ length: workers }, () => new Worker(WORKER_SOURCE, { eval: true, workerData: { prettier, options: PRETTIER_OPTIONS } }));
  try {
    await Promise.all([here(), ...pool.map((worker) => drain(worker, sources, queue, outcomes))]);
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return outcomes;
}

function defaultWorkers(sources: readonly string[]): number {
  const total = sources.reduce((sum, code) => sum + code.length, 0);
  // Only cores nobody else is using help (this thread takes one): on a busy machine (CI, a shared box) extra
  // threads made it slower.
  const idle = Math.round(availableParallelism() - 1 - (loadavg()[0] ?? 0));
  return Math.min(MAX_WORKERS, idle, Math.floor(total / POOL_MIN_BYTES));
}

async function formatHere(code: string): Promise<FormatOutcome> {
  try {
    return { ok: true, code: await formatTypeScript(code) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** One worker takes files from the queue until it is empty; if the worker fails, its file is formatted here. */
function drain(worker: Worker, sources: readonly string[], queue: number[], outcomes: FormatOutcome[]): Promise<void> {
  return new Promise((resolve) => {
    let current: number | undefined;
    const next = (): void => {
      current = queue.shift();
      if (current === undefined) resolve();
      else worker.postMessage({ id: current, code: sources[current] });
    };
    worker.on('message', (reply: { id: number; ok: boolean; code?: string; message?: string }) => {
      outcomes[reply.id] = reply.ok ? { ok: true, code: reply.code ?? '' } : { ok: false, error: new Error(reply.message) };
      next();
    });
    worker.once('error', () => {
      const lost = current;
      current = undefined;
      void (lost === undefined ? Promise.resolve() : formatHere(sources[lost] ?? '').then((outcome) => void (outcomes[lost] = outcome))).then(resolve);
    });
    next();
  });
}
