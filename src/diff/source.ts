import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ConcordError, isConcordError } from '../errors.js';
import { buildIr } from '../ir/build/document.js';
import { profiled } from '../util/profile.js';
import type { IrDocument } from '../ir/types.js';
import { lineIndex } from './format/github.js';
import { materialiseGitSpec, parseGitSpec } from './git.js';
import { loadForDiff, NeedsFullLoader, originOf, type FastLoad, type ParseCache } from './loader.js';

/** A place in a source file, for annotations: the file as the user knows it and a 1-based line. */
export interface SourceLocation {
  file: string;
  line?: number;
}

/** One side of a diff, loaded: the IR plus what the annotators need to point at the right file and line. */
export interface LoadedSide {
  /** The input as the user wrote it. */
  label: string;
  ir: IrDocument;
  /** The bundled document the IR was built from (rules read keywords the IR does not model from it). */
  document: Record<string, unknown>;
  /** The file and line a pointer into the bundled document came from (the referenced file, not the `$ref`). */
  locate?: (pointer: string) => SourceLocation | undefined;
}

const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

/** A file path, an http(s) URL, or `rev:path` (a path that exists on disk wins over the git reading). */
export async function loadSide(input: string, cwd: string, cache: ParseCache = new Map()): Promise<LoadedSide> {
  if (isUrl(input)) {
    const { loadSpec } = await import('../load/load.js');
    const spec = await loadSpec(input, { cwd, validate: false });
    return { label: input, ir: buildIr(spec), document: spec.document };
  }
  const local = path.resolve(cwd, input);
  const gitSpec = existsSync(local) ? undefined : parseGitSpec(input);
  if (!gitSpec) {
    const loaded = await profiled(`diff: read ${path.basename(local)}`, () => load(local, cache));
    return { label: input, ir: profiled(`diff: IR of ${path.basename(local)}`, () => buildIr(loaded.spec)), document: loaded.spec.document, locate: locator(loaded, (file) => path.relative(cwd, file).split(path.sep).join('/')) };
  }
  const { dir, specPath } = await materialiseGitSpec(input, gitSpec.rev, gitSpec.file, cwd);
  try {
    // The temp checkout is private to this side: its files must not be shared through the cache.
    const loaded = await load(specPath, new Map());
    return { label: input, ir: buildIr(loaded.spec), document: loaded.spec.document, locate: locator(loaded, (file) => path.relative(dir, file).split(path.sep).join('/')) };
  } catch (error) {
    throw relabel(error, dir, `${gitSpec.rev}:`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The fast loader, or the full one when a `$ref` needs the network. */
async function load(file: string, cache: ParseCache): Promise<FastLoad> {
  try {
    return await loadForDiff(file, cache);
  } catch (error) {
    if (!(error instanceof NeedsFullLoader)) throw error;
    const { loadSpec } = await import('../load/load.js');
    const spec = await loadSpec(file, { validate: false });
    return { spec, origins: new Map([['', { file: spec.source, pointer: '' }]]), texts: new Map() };
  }
}

function locator(loaded: FastLoad, display: (file: string) => string): (pointer: string) => SourceLocation | undefined {
  const indexes = new Map<string, (pointer: string) => number | undefined>();
  return (pointer) => {
    const origin = originOf(loaded.origins, pointer);
    if (!origin) return undefined;
    const text = loaded.texts.get(origin.file);
    let find = indexes.get(origin.file);
    if (!find && text !== undefined) {
      find = lineIndex(text);
      indexes.set(origin.file, find);
    }
    const line = find?.(origin.pointer);
    return { file: display(origin.file), ...(line === undefined ? {} : { line }) };
  };
}

/** Errors about files in the temp checkout name them as `rev:path`, which is what the user can look up. */
function relabel(error: unknown, dir: string, prefix: string): unknown {
  if (!isConcordError(error)) return error;
  const rename = (text: string): string => text.split(dir + path.sep).join(prefix).split(dir).join(prefix);
  const location = error.location ? { ...error.location, ...(error.location.file === undefined ? {} : { file: rename(error.location.file) }) } : undefined;
  return new ConcordError(error.code, rename(error.message), { ...(location ? { location } : {}), hint: error.hint, cause: error });
}
