/**
 * Generates a provider into `.tmp/<unique>` inside the repository (so `zod` and `pg` resolve from node_modules),
 * type-checks it with the strictest settings, and transpiles it to JavaScript for child processes.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { generate } from '../../../src/generate.js';
import type { Target } from '../../../src/generators/registry.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PROVIDER_SPEC = path.join(ROOT, 'fixtures/petstore-provider.yaml');

export interface Generated {
  dir: string;
  remove(): Promise<void>;
}

export async function generateProvider(spec = PROVIDER_SPEC, targets: Target[] = ['types', 'zod', 'client', 'server']): Promise<Generated> {
  const dir = path.join(ROOT, '.tmp', `server-${process.pid}-${randomUUID().slice(0, 8)}`);
  await generate({ spec, out: dir, targets });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Imports a generated TypeScript module through vitest's transform. */
export async function importGenerated<T>(dir: string, file: string): Promise<T> {
  const module: unknown = await import(pathToFileURL(path.join(dir, file)).href);
  return module as T;
}

/** The strictest settings DESIGN.md promises generated code compiles under. */
export const STRICT_COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  noPropertyAccessFromIndexSignature: true,
  noEmit: true,
  skipLibCheck: true,
} as const;

export async function writeTsconfig(dir: string, include: string[] = ['**/*.ts']): Promise<string> {
  const file = path.join(dir, 'tsconfig.json');
  // typeRoots: the generated directory has no node_modules of its own; @types live in the repository's.
  await writeFile(file, JSON.stringify({ compilerOptions: { ...STRICT_COMPILER_OPTIONS, typeRoots: [path.join(ROOT, 'node_modules/@types')] }, include }, null, 2));
  return file;
}

export function runNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `tsc -p <tsconfig>` with the repository's TypeScript, as a user's build would run it. */
export function runTsc(tsconfig: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runNode([path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', tsconfig]);
}

async function listTs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listTs(full)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Every generated .ts as .js next to it in `outDir` (the repository is `"type": "module"`, so ESM). */
export async function transpileTree(dir: string, outDir: string): Promise<void> {
  for (const file of await listTs(dir)) {
    const source = await readFile(file, 'utf8');
    const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
    const target = path.join(outDir, path.relative(dir, file)).replace(/\.ts$/, '.js');
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}
