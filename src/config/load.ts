import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConcordError } from '../errors.js';
import { configSchema, type SpecConfig } from './schema.js';

export const CONFIG_NAMES = ['concord.config.ts', 'concord.config.mjs', 'concord.config.js', 'concord.config.json', 'concord.config.yaml', 'concord.config.yml'];

export interface ResolvedSpecConfig extends SpecConfig {
  /** Absolute path or URL. */
  spec: string;
  /** Absolute path. */
  out: string;
}

export function findConfig(cwd: string): string | undefined {
  return CONFIG_NAMES.map((name) => path.join(cwd, name)).find((file) => existsSync(file));
}

export async function loadConfig(file: string): Promise<ResolvedSpecConfig[]> {
  if (!existsSync(file)) throw new ConcordError('CONFIG_NOT_FOUND', `Config file not found: ${file}`, { location: { file } });
  const raw = await evaluate(file);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConcordError('CONFIG_INVALID', describeIssues(parsed.error), { location: { file } });
  }
  const dir = path.dirname(file);
  const list = 'specs' in parsed.data ? parsed.data.specs : [parsed.data];
  return list.map((entry) => ({
    ...entry,
    spec: /^https?:\/\//i.test(entry.spec) ? entry.spec : path.resolve(dir, entry.spec),
    out: path.resolve(dir, entry.out),
  }));
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap((issue) => {
      // A union reports each branch; show the branch errors, which name the real key.
      if (issue.code === 'invalid_union' && 'errors' in issue) {
        const branches = issue.errors as Array<Array<{ path: PropertyKey[]; message: string; code: string; keys?: string[] }>>;
        const best = branches.reduce((a, b) => (a.length <= b.length ? a : b));
        return best.map((i) => formatIssue(i.path, i.code === 'unrecognized_keys' && i.keys ? `unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}` : i.message));
      }
      return [formatIssue(issue.path, issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message)];
    })
    .join('; ');
}

function formatIssue(at: readonly PropertyKey[], message: string): string {
  return `${at.length === 0 ? 'config' : at.map(String).join('.')}: ${message}`;
}

async function evaluate(file: string): Promise<unknown> {
  const ext = path.extname(file).toLowerCase();
  try {
    if (ext === '.json') return JSON.parse(await readFile(file, 'utf8'));
    if (ext === '.yaml' || ext === '.yml') return parseYaml(await readFile(file, 'utf8'), { merge: true });
    if (ext === '.ts' || ext === '.mts') return await importTypeScript(file);
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return module.default;
  } catch (error) {
    if (error instanceof ConcordError) throw error;
    throw new ConcordError('CONFIG_INVALID', `Could not read the config: ${error instanceof Error ? error.message : String(error)}`, { location: { file }, cause: error });
  }
}

// Node 20 cannot import TypeScript: transpile (no type-check) next to the original so relative imports resolve.
async function importTypeScript(file: string): Promise<unknown> {
  const ts = await import('typescript');
  const source = await readFile(file, 'utf8');
  const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: file });
  const temp = path.join(path.dirname(file), `.concord-config-${process.pid}-${Date.now()}.mjs`);
  await writeFile(temp, output.outputText);
  try {
    const module = (await import(pathToFileURL(temp).href)) as { default?: unknown };
    return module.default;
  } finally {
    await rm(temp, { force: true });
  }
}
