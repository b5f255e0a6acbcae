import { loadSpec, type LoadedSpec } from './load/load.js';
import { buildIr, type BuildOptions } from './ir/build/document.js';
import type { IrDocument } from './ir/types.js';
import { ALL_TARGETS, DEFAULT_TARGETS, TARGET_DEPENDENCIES, loadGenerator, type Target } from './generators/registry.js';
import { CONCORD_VERSION, fileHeader } from './emit/header.js';
import { createHash } from 'node:crypto';
import { formatMany } from './emit/format-pool.js';
import { runtimeClosure } from './emit/runtime-files.js';
import { writeOutputAtomically, type OutputFile, type WriteReport } from './emit/write.js';
import { ConcordError } from './errors.js';
import { profiled } from './util/profile.js';
import type { AlertOptions } from './generators/alerts/rules.js';
import type { ContractOverrides } from './load/overrides.js';

export interface GenerateOptions extends BuildOptions {
  spec: string;
  out: string;
  targets?: readonly Target[];
  cwd?: string;
  /** Structural validation of the document (warnings only). Default true. */
  validate?: boolean;
  /** Run prettier over the output. Default true. */
  format?: boolean;
  onStep?: (step: string) => void;
  /** Repairs for a contract the user cannot edit (config `overrides`). */
  overrides?: ContractOverrides;
  /** A document already loaded from `spec` (e.g. by `--check`'s fast path), so it is not read twice. */
  loaded?: LoadedSpec;
  /** The `alerts` target's thresholds and labels (config `alerts`). */
  alerts?: AlertOptions;
  /**
   * Named schemas + operations from which types, validators and client are split into one module per tag
   * (default SPLIT_THRESHOLD, 250); 0 splits every contract (tests).
   */
  splitThreshold?: number;
}

export interface WrittenResult extends GenerateResult {
  /** What the write removed or overwrote that the user may want to know about. */
  written: WriteReport;
}

export interface GenerateResult {
  spec: LoadedSpec;
  ir: IrDocument;
  files: OutputFile[];
  targets: Target[];
  /** Milliseconds per step. */
  timings: Record<string, number>;
}

/** Resolve requested targets plus what they depend on, in a fixed order. */
export function resolveTargets(requested: readonly Target[] | undefined): Target[] {
  const wanted = new Set<Target>();
  const add = (target: Target): void => {
    if (wanted.has(target)) return;
    wanted.add(target);
    TARGET_DEPENDENCIES[target].forEach(add);
  };
  (requested ?? DEFAULT_TARGETS).forEach(add);
  return ALL_TARGETS.filter((t) => wanted.has(t));
}

/** load -> IR -> generators -> formatted files, all in memory. */
export async function generateInMemory(options: GenerateOptions): Promise<GenerateResult> {
  const timings: Record<string, number> = {};
  const time = async <T>(step: string, fn: () => Promise<T> | T): Promise<T> => {
    options.onStep?.(step);
    const start = performance.now();
    try {
      return await profiled(step, fn);
    } finally {
      timings[step] = Math.round(performance.now() - start);
    }
  };
  // Validation (warnings only) runs in a worker beside the IR and the generators; its warnings are in place before
  // this returns.
  const spec = options.loaded ?? await time('load', () => loadSpec(options.spec, { ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.overrides ? { overrides: options.overrides } : {}), validate: options.validate !== false, validateInBackground: true }));
  try {
    const result = await generateFromSpec(spec, options, time, timings);
    await spec.pendingValidation?.done;
    return result;
  } catch (error) {
    spec.pendingValidation?.cancel();
    throw error;
  }
}

type Timer = <T>(step: string, fn: () => Promise<T> | T) => Promise<T>;

async function generateFromSpec(spec: LoadedSpec, options: GenerateOptions, time: Timer, timings: Record<string, number>): Promise<GenerateResult> {
  const ir = await time('model', () => buildIr(spec, options));
  const targets = resolveTargets(options.targets);
  const raw: OutputFile[] = [];
  const runtime: string[] = [];
  const exports: string[] = [];
  for (const target of targets) {
    const output = await time(target, async () => (await loadGenerator(target))({ ir, targets: new Set(targets), options: { ...(options.alerts === undefined ? {} : { alerts: options.alerts }), ...(options.splitThreshold === undefined ? {} : { splitThreshold: options.splitThreshold }) } }));
    raw.push(...output.files);
    runtime.push(...output.runtime);
    exports.push(...output.exports);
  }
  for (const [name, content] of runtimeClosure(runtime)) raw.push({ path: `runtime/${name}`, content });
  raw.push({ path: 'index.ts', content: `${[...new Set(exports)].join('\n')}\n` });

  const header = fileHeader(ir.title);
  // Above the budget nothing goes through prettier (see FORMAT_BUDGET_BYTES).
  const format = options.format !== false && raw.reduce((sum, file) => sum + file.content.length, 0) <= FORMAT_BUDGET_BYTES;
  const files = await time('format', async () => {
    const bodies = await formatFiles(raw, format);
    return raw.map((file, index) => ({ path: file.path, content: (file.path.endsWith('.yml') ? header.replace(/^\/\//gm, '#') : header) + (bodies[index] ?? '') }));
  });
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { spec, ir, files, targets, timings };
}

/**
 * Prettier costs about 1.5 s per MB here (25 s on the Kubernetes spec's 17 MB of output), so files above this size
 * keep concord's own deterministic layout. Runtime templates are stored prettier-formatted (a test checks it).
 */
export const PRETTIER_MAX_BYTES = 256 * 1024;

/**
 * Above this much output, nothing is run through prettier: formatting OpenAI's 3.6 MB of (split) output took 16 s
 * against 4 s for the rest of generation, and generation is held to 1.5x openapi-typescript's time. Such outputs
 * keep concord's own layout (one declaration per line, object types one member per line).
 */
export const FORMAT_BUDGET_BYTES = 1024 * 1024;

const formatted = (file: OutputFile): boolean => !file.path.startsWith('runtime/') && file.path.endsWith('.ts') && file.content.length <= PRETTIER_MAX_BYTES;

/** Each file's body as shipped: prettier's where it applies (see `formatMany`), else as generated. */
async function formatFiles(raw: readonly OutputFile[], format: boolean): Promise<string[]> {
  const chosen = format ? raw.filter(formatted) : [];
  const outcomes = await formatMany(chosen.map((file) => file.content));
  const byFile = new Map(chosen.map((file, index) => [file, outcomes[index]]));
  return raw.map((file) => {
    const outcome = byFile.get(file);
    if (outcome === undefined) return file.content;
    if (outcome.ok) return outcome.code;
    // Unparseable output is a concord bug: say which file, keep the message short.
    const { error } = outcome;
    throw new ConcordError('INTERNAL', `Generated ${file.path} is not valid TypeScript: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
  });
}

export async function generate(options: GenerateOptions): Promise<WrittenResult> {
  const result = await generateInMemory(options);
  const start = performance.now();
  options.onStep?.('write');
  const written = await profiled('write', () => writeOutputAtomically(options.out, result.files, { version: CONCORD_VERSION, specHash: result.spec.hash, optionsHash: optionsHash(result.targets, options), targets: result.targets }));
  result.timings['write'] = Math.round(performance.now() - start);
  return { ...result, written };
}

/** What besides the spec shapes the output; a changed value means a fast --check answer is not valid. */
export function optionsHash(targets: readonly Target[], options: Pick<GenerateOptions, 'format' | 'idempotencyHeader' | 'keyedOperations' | 'formats' | 'criticalOperations' | 'alerts' | 'pagination' | 'resumableOperations' | 'splitThreshold'>): string {
  const key = JSON.stringify({
    targets,
    format: options.format !== false,
    header: options.idempotencyHeader ?? null,
    keyed: [...(options.keyedOperations ?? [])].sort(),
    ...(options.formats ? { formats: options.formats } : {}),
    ...(options.pagination ? { pagination: options.pagination } : {}),
    ...(options.resumableOperations ? { resumable: [...options.resumableOperations].sort() } : {}),
    ...(options.splitThreshold === undefined ? {} : { split: Number.isFinite(options.splitThreshold) ? options.splitThreshold : 'never' }),
    ...(options.criticalOperations === undefined && options.alerts === undefined ? {} : { critical: [...(options.criticalOperations ?? [])].sort(), alerts: options.alerts ?? null }),
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
