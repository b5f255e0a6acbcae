import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConcordError, type ErrorCode, type ErrorLocation } from '../errors.js';
import { parseText } from '../load/parse.js';

/** YAML above this size is parsed in a worker: js-yaml takes ~0.5 s on a 3 MB spec, and the two sides then overlap. */
const OFF_THREAD_BYTES = 512 * 1024;

const WORKER = new URL('./parse-worker.js', import.meta.url);

type Reply = { ok: true; json: string } | { ok: false; code?: ErrorCode; message: string; location?: ErrorLocation; hint?: string };

/** parseText, on a worker thread for large YAML (when the compiled worker exists), inline otherwise. */
export async function parseLarge(text: string, file: string): Promise<unknown> {
  const json = text.trimStart().startsWith('{') || text.trimStart().startsWith('[');
  if (json || text.length < OFF_THREAD_BYTES || !existsSync(fileURLToPath(WORKER))) return parseText(text, file);
  const reply = await new Promise<Reply>((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { text, file } });
    worker.once('message', (message: Reply) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
  if (reply.ok) return JSON.parse(reply.json) as unknown;
  if (reply.code) throw new ConcordError(reply.code, reply.message, { ...(reply.location ? { location: reply.location } : {}), ...(reply.hint ? { hint: reply.hint } : {}) });
  throw new Error(reply.message);
}
