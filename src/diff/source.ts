import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { ConcordError, isConcordError } from '../errors.js';
import { buildIr } from '../ir/build/document.js';
import type { IrDocument } from '../ir/types.js';
import { loadSpec } from '../load/load.js';
import { materialiseGitSpec, parseGitSpec } from './git.js';

/** One side of a diff, loaded: the IR plus what the annotators need to point at the right file and line. */
export interface LoadedSide {
  /** The input as the user wrote it. */
  label: string;
  ir: IrDocument;
  /** Path of the root document for annotations (repository- or cwd-relative), when it is a local or git file. */
  annotationFile?: string;
  /** Text of the root document, to find line numbers; absent for URLs. */
  text?: string;
}

const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

/** A file path, an http(s) URL, or `rev:path` (a path that exists on disk wins over the git reading). */
export async function loadSide(input: string, cwd: string): Promise<LoadedSide> {
  if (isUrl(input)) {
    const spec = await loadSpec(input, { cwd, validate: false });
    return { label: input, ir: buildIr(spec) };
  }
  const local = path.resolve(cwd, input);
  const gitSpec = existsSync(local) ? undefined : parseGitSpec(input);
  if (!gitSpec) {
    const spec = await loadSpec(local, { validate: false });
    return { label: input, ir: buildIr(spec), annotationFile: path.relative(cwd, local).split(path.sep).join('/'), text: await readFile(local, 'utf8') };
  }
  const { dir, specPath, repoPath } = await materialiseGitSpec(input, gitSpec.rev, gitSpec.file, cwd);
  try {
    const spec = await loadSpec(specPath, { validate: false });
    return { label: input, ir: buildIr(spec), annotationFile: repoPath, text: await readFile(specPath, 'utf8') };
  } catch (error) {
    throw relabel(error, dir, `${gitSpec.rev}:`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Errors about files in the temp checkout name them as `rev:path`, which is what the user can look up. */
function relabel(error: unknown, dir: string, prefix: string): unknown {
  if (!isConcordError(error)) return error;
  const rename = (text: string): string => text.split(dir + path.sep).join(prefix).split(dir).join(prefix);
  const location = error.location ? { ...error.location, ...(error.location.file === undefined ? {} : { file: rename(error.location.file) }) } : undefined;
  return new ConcordError(error.code, rename(error.message), { ...(location ? { location } : {}), hint: error.hint, cause: error });
}
