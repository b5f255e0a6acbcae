import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from './diagnostics.js';
import type { OpenApiDocument } from './load.js';
import { summariseValidation, validateStructure, VALIDATE_OPTIONS, type ValidationFailure } from './validate.js';

/** A structural validation running beside the rest of generation; `done` settles with its warnings. */
export interface BackgroundValidation {
  done: Promise<Diagnostic[]>;
  /** Stop it (generation failed and nobody will read the warnings). */
  cancel(): void;
}

// The worker runs the same validator call as `validateStructure`; it is CommonJS source evaluated in the worker,
// so it runs the same way from the compiled package and from the TypeScript sources under test.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SwaggerParser = require(workerData.parser);
SwaggerParser.validate(workerData.document, workerData.options).then(
  () => parentPort.postMessage({ ok: true }),
  (error) => parentPort.postMessage({ ok: false, details: Array.isArray(error && error.details) ? error.details.map((d) => ({ instancePath: d.instancePath, keyword: d.keyword, message: d.message, params: d.params })) : undefined, message: error instanceof Error ? error.message : String(error) }),
);
`;

/**
 * Structural validation only produces warnings, and on a large contract it is the slowest step of loading (ajv
 * over the dereferenced document: 4 s on Kubernetes), so `generate` runs it in a worker thread while the IR and
 * the generators run. The document is copied into the worker when it starts, so later changes do not reach it.
 */
export function validateInBackground(document: OpenApiDocument, file: string): BackgroundValidation {
  let cancelled = false;
  let worker: Worker | undefined;
  const done = new Promise<Diagnostic[]>((resolve) => {
    // A worker that cannot start or dies is no reason to lose the warnings: validate here instead.
    let settled = false;
    const settle = (found: Diagnostic[] | Promise<Diagnostic[]>): void => {
      if (settled) return;
      settled = true;
      resolve(found);
    };
    const inline = (): void => {
      if (!settled) settle(cancelled ? [] : validateStructure(document, file));
    };
    try {
      const parser = createRequire(import.meta.url).resolve('@apidevtools/swagger-parser');
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { parser, document, options: VALIDATE_OPTIONS } });
    } catch {
      inline();
      return;
    }
    worker.once('message', (result: { ok: boolean } & ValidationFailure) => settle(result.ok ? [] : summariseValidation(result, file)));
    worker.once('error', inline);
    worker.once('exit', inline);
  }).finally(() => void worker?.terminate());
  return {
    done,
    cancel: () => {
      cancelled = true;
      void worker?.terminate();
    },
  };
}
