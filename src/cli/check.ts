import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateInMemory, optionsHash, resolveTargets, type GenerateOptions } from '../generate.js';
import { loadSpec } from '../load/load.js';
import { CONCORD_VERSION } from '../emit/header.js';
import { contentHash, readManifest, type Manifest } from '../emit/write.js';
import { ConcordError } from '../errors.js';
import type { Reporter } from './reporter.js';

/**
 * `generate --check`: true when the output on disk is stale. Never writes. `fixCommand` is the exact command that
 * brings the output up to date (the one the user ran, without --check).
 */
export async function runCheck(job: GenerateOptions, reporter: Reporter, fixCommand: string): Promise<boolean> {
  const relative = path.relative(process.cwd(), job.out) || '.';
  if (existsSync(job.out) && !statSync(job.out).isDirectory()) {
    throw new ConcordError('OUTPUT_READ', `--out ${relative} is a file, not a directory.`, { location: { file: job.out } });
  }
  const manifest = await readManifest(job.out);
  let loaded: Awaited<ReturnType<typeof loadSpec>> | undefined;
  // Fast answer: same spec hash, same concord, same options, and every file still has the bytes it was written with.
  if (manifest && manifest.version === CONCORD_VERSION && manifest.optionsHash === optionsHash(resolveTargets(job.targets), job)) {
    const spec = await loadSpec(job.spec, { validate: false, ...(job.overrides ? { overrides: job.overrides } : {}) });
    loaded = spec;
    if (spec.hash === manifest.specHash && (await filesIntact(job.out, manifest.files))) {
      reporter.info(`${reporter.green('✓')} ${relative}/ is up to date (spec hash ${spec.hash.slice(0, 12)})`);
      return false;
    }
  }
  const result = await generateInMemory({ ...job, validate: false, ...(loaded ? { loaded } : {}) });
  const problems = await compare(job.out, relative, result.files, manifest, result.targets);
  if (problems.length === 0) {
    reporter.info(`${reporter.green('✓')} ${relative}/ is up to date`);
    return false;
  }
  reporter.info(`${reporter.red('✗')} ${relative}/ is out of date with ${path.relative(process.cwd(), result.spec.source) || result.spec.source}:`);
  for (const line of problems) reporter.info(`  ${line}`);
  const dropped = droppedTargets(manifest, result.targets);
  reporter.info(`  run \`${fixCommand}\` to update it${dropped.length > 0 ? ` (it deletes the ${dropped.join(', ')} files; add ${dropped.join(',')} to --only to keep them)` : ''}`);
  return true;
}

/** One line per file that differs: missing, stale (the spec or options changed), edited by hand, or to be removed. */
async function compare(out: string, relative: string, files: ReadonlyArray<{ path: string; content: string }>, manifest: Manifest | undefined, targets: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const expected = new Set(files.map((f) => f.path));
  for (const file of files) {
    const full = path.join(out, file.path);
    if (!existsSync(full)) {
      problems.push(`missing  ${relative}/${file.path}`);
      continue;
    }
    const content = await readOutput(full);
    if (content === file.content) continue;
    const written = manifest?.files[file.path];
    if (written !== undefined && contentHash(content) !== written) problems.push(`edited   ${relative}/${file.path} (changed by hand since concord wrote it; generate replaces it)`);
    else problems.push(`stale    ${relative}/${file.path}`);
  }
  const dropped = droppedTargets(manifest, targets);
  const leftovers: string[] = [];
  for (const previous of Object.keys(manifest?.files ?? {})) {
    const full = path.join(out, previous);
    if (expected.has(previous) || !existsSync(full)) continue;
    const edited = contentHash(await readOutput(full)) !== manifest?.files[previous];
    leftovers.push(`  ${relative}/${previous}${edited ? ' (edited by hand since concord wrote it)' : ''}`);
  }
  if (leftovers.length > 0) {
    problems.push(
      dropped.length > 0
        ? `removed  (generated before with --only ${manifest?.targets?.join(',') ?? ''}; targets ${targets.join(',')} would delete them):`
        : 'extra    (written by an earlier concord run, no longer generated; generate deletes them):',
      ...leftovers,
    );
  }
  return problems;
}

/** Targets the previous run generated that this one does not. */
function droppedTargets(manifest: Manifest | undefined, targets: readonly string[]): string[] {
  return (manifest?.targets ?? []).filter((t) => !targets.includes(t));
}

async function readOutput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new ConcordError('OUTPUT_READ', `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { location: { file }, cause: error });
  }
}

async function filesIntact(outDir: string, files: Record<string, string>): Promise<boolean> {
  for (const [file, hash] of Object.entries(files)) {
    const full = path.join(outDir, file);
    if (!existsSync(full) || contentHash(await readOutput(full)) !== hash) return false;
  }
  return true;
}
