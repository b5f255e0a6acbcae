import { parentPort, workerData } from 'node:worker_threads';
import { isConcordError } from '../errors.js';
import { parseText } from '../load/parse-text.js';

/**
 * Parses one large YAML file off the main thread (see parse-off-thread.ts). The result travels back as JSON text:
 * re-parsing JSON on the main thread is several times cheaper than structured-cloning the object graph.
 */
const { text, file } = workerData as { text: string; file: string };
try {
  parentPort?.postMessage({ ok: true, json: JSON.stringify(parseText(text, file)) });
} catch (error) {
  if (isConcordError(error)) parentPort?.postMessage({ ok: false, code: error.code, message: error.message, location: error.location, hint: error.hint });
  else parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
