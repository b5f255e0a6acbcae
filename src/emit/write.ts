import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { ConcordError } from '../errors.js';

export const MANIFEST = '.concord-manifest.json';

export interface OutputFile {
  /** Relative to the output directory, forward slashes. */
  path: string;
  content: string;
}

export interface Manifest {
  generator: 'concord';
  version: string;
  specHash: string;
  /** Hash of the options that shape output (targets, formatting), so --check knows a fast answer is valid. */
  optionsHash: string;
  /** Relative path -> sha256 of the content. */
  files: Record<string, string>;
}

export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(outDir, MANIFEST), 'utf8')) as Partial<Manifest>;
    if (parsed.generator !== 'concord' || typeof parsed.files !== 'object' || parsed.files === null || Array.isArray(parsed.files)) return undefined;
    return parsed as Manifest;
  } catch {
    return undefined;
  }
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/**
 * Write the whole output into a sibling temporary directory, then swap it in with renames. A failure at any point
 * leaves the previous output as it was. Files in the output directory that concord did not write (per the
 * manifest) are carried over, so pointing --out at a folder with other files in it loses nothing.
 */
export async function writeOutputAtomically(outDir: string, files: OutputFile[], meta: Omit<Manifest, 'generator' | 'files'>): Promise<void> {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = path.join(parent, `.${path.basename(target)}.concord-new-${stamp}`);
  const retired = path.join(parent, `.${path.basename(target)}.concord-old-${stamp}`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(staging, { recursive: true });
    for (const file of files) {
      const destination = path.join(staging, ...file.path.split('/'));
      await mkdir(path.dirname(destination), { recursive: true });
      await writeFile(destination, file.content);
    }
    const manifest: Manifest = { generator: 'concord', ...meta, files: Object.fromEntries(files.map((f) => [f.path, contentHash(f.content)])) };
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(target)) {
      const previous = new Set(Object.keys((await readManifest(target))?.files ?? {}));
      const generated = new Set(files.map((f) => f.path));
      for (const existing of await listFiles(target)) {
        if (existing === MANIFEST || previous.has(existing) || generated.has(existing)) continue;
        await cp(path.join(target, existing), path.join(staging, existing), { recursive: true });
      }
      await rename(target, retired);
    }
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (existsSync(retired) && !existsSync(target)) await rename(retired, target).catch(() => undefined);
    throw new ConcordError('OUTPUT_WRITE', `Could not write ${target}: ${error instanceof Error ? error.message : String(error)}`, {
      location: { file: target },
      cause: error,
    });
  }
  await rm(retired, { recursive: true, force: true }).catch(() => undefined);
}
