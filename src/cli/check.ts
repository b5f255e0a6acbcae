import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generateInMemory, optionsHash, resolveTargets, type GenerateOptions } from '../generate.js';
import { loadSpec } from '../load/load.js';
import { CONCORD_VERSION } from '../emit/header.js';
import { contentHash, readManifest } from '../emit/write.js';
import type { Reporter } from './reporter.js';

/** `generate --check`: true when the output on disk is stale. Never writes. */
export async function runCheck(job: GenerateOptions, reporter: Reporter): Promise<boolean> {
  const relative = path.relative(process.cwd(), job.out) || '.';
  const manifest = await readManifest(job.out);
  let loaded: Awaited<ReturnType<typeof loadSpec>> | undefined;
  // Fast answer: same spec hash, same concord, same options, and every file still has the bytes it was written with.
  if (manifest && manifest.version === CONCORD_VERSION && manifest.optionsHash === optionsHash(resolveTargets(job.targets), job)) {
    const spec = await loadSpec(job.spec, { validate: false });
    loaded = spec;
    if (spec.hash === manifest.specHash && (await filesIntact(job.out, manifest.files))) {
      reporter.info(`${reporter.green('✓')} ${relative}/ is up to date (spec hash ${spec.hash.slice(0, 12)})`);
      return false;
    }
  }
  const result = await generateInMemory({ ...job, validate: false, ...(loaded ? { loaded } : {}) });
  const problems: string[] = [];
  const expected = new Set(result.files.map((f) => f.path));
  for (const file of result.files) {
    const full = path.join(job.out, file.path);
    if (!existsSync(full)) problems.push(`missing  ${relative}/${file.path}`);
    else if ((await readFile(full, 'utf8')) !== file.content) problems.push(`stale    ${relative}/${file.path}`);
  }
  for (const previous of Object.keys(manifest?.files ?? {})) {
    if (!expected.has(previous) && existsSync(path.join(job.out, previous))) problems.push(`extra    ${relative}/${previous} (written by an earlier concord run, no longer generated)`);
  }
  if (problems.length === 0) {
    reporter.info(`${reporter.green('✓')} ${relative}/ is up to date`);
    return false;
  }
  reporter.info(`${reporter.red('✗')} ${relative}/ is out of date with ${path.relative(process.cwd(), result.spec.source) || result.spec.source}:`);
  for (const line of problems) reporter.info(`  ${line}`);
  reporter.info(reporter.dim('  run `concord generate` to update it'));
  return true;
}

async function filesIntact(outDir: string, files: Record<string, string>): Promise<boolean> {
  for (const [file, hash] of Object.entries(files)) {
    const full = path.join(outDir, file);
    if (!existsSync(full) || contentHash(await readFile(full, 'utf8')) !== hash) return false;
  }
  return true;
}
