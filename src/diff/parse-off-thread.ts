import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConcordError, type ErrorCode, type ErrorLocation } from '../errors.js';
import { isJsonText, parseText } from '../load/parse-text.js';

/** YAML above this size may be parsed in a worker: js-yaml takes ~0.15 s on a 3 MB spec, a worker ~0.1 s to start. */
const OFF_THREAD_BYTES = 512 * 1024;

/** Parses running in a worker now. One at a time: the main thread parses the other side meanwhile, rather than idle. */
let inWorker = 0;

const WORKER = new URL('./parse-worker.js', import.meta.url);

type Reply = { ok: true; json: string } | { ok: false; code?: ErrorCode; message: string; location?: ErrorLocation; hint?: string };

/**
 * parseText for large YAML: on a worker thread when none is busy (and the compiled worker exists), so that the two
 * sides of a diff parse at the same time, one here and one there; inline otherwise.
 */
export async function parseLarge(text: string, file: string): Promise<unknown> {
  const json = isJsonText(text);
  if (json || text.length < OFF_THREAD_BYTES || inWorker > 0 || !existsSync(fileURLToPath(WORKER))) return parseText(text, file);
  inWorker++;
  let reply: Reply;
  try {
    reply = await new Promise<Reply>((resolve, reject) => {
      const worker = new Worker(WORKER, { workerData: { text, file } });
      worker.once('message', (message: Reply) => {
        resolve(message);
        void worker.terminate();
      });
      worker.once('error', reject);
    });
  } finally {
    inWorker--;
  }
  if (reply.ok) return JSON.parse(reply.json) as unknown;
  if (reply.code) throw new ConcordError(reply.code, reply.message, { ...(reply.location ? { location: reply.location } : {}), ...(reply.hint ? { hint: reply.hint } : {}) });
  throw new Error(reply.message);
}
