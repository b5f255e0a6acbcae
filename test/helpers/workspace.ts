import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHARED_SPECS = path.resolve(ROOT, '../shared/specs');
export const hasShared = existsSync(path.join(SHARED_SPECS, 'INDEX.tsv'));

/** A scratch directory inside the repo (gitignored), so generated code resolves `zod` from node_modules. */
export function scratch(name: string): string {
  const dir = path.join(ROOT, '.tmp', 'test', `${name}-${process.pid}-${Date.now().toString(36)}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const STRICT_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  verbatimModuleSyntax: true,
  noEmit: true,
  skipLibCheck: true,
  types: [] as string[],
};

/** Type-check a directory of generated code; returns tsc's diagnostics text ('' when clean). */
export async function typecheck(dir: string, resolution: 'nodenext' | 'bundler' = 'nodenext', extraTypes: string[] = []): Promise<string> {
  const config = {
    compilerOptions: {
      ...STRICT_OPTIONS,
      types: extraTypes,
      ...(resolution === 'nodenext' ? { module: 'NodeNext', moduleResolution: 'NodeNext' } : { module: 'ESNext', moduleResolution: 'bundler' }),
    },
    include: ['./**/*.ts'],
  };
  const file = path.join(dir, `tsconfig.${resolution}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  try {
    await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', file], { maxBuffer: 64 * 1024 * 1024 });
    return '';
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message: string };
    return `${out.stdout ?? ''}${out.stderr ?? ''}` || out.message;
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (`npm test` builds first) as a user would. */
export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, 'bin/concord.js'), ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const out = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof out.code === 'number' ? out.code : 1, stdout: out.stdout ?? '', stderr: out.stderr ?? '' };
  }
}

/**
 * Type-check several generated directories in one tsc program (tsc's start-up is most of the cost for small
 * outputs). Returns tsc's diagnostics with paths relative to `base` ('' when clean).
 */
export async function typecheckMany(base: string, dirs: string[], resolution: 'nodenext' | 'bundler' = 'nodenext'): Promise<string> {
  const config = {
    compilerOptions: {
      ...STRICT_OPTIONS,
      ...(resolution === 'nodenext' ? { module: 'NodeNext', moduleResolution: 'NodeNext' } : { module: 'ESNext', moduleResolution: 'bundler' }),
    },
    include: dirs.map((dir) => `${path.relative(base, dir).split(path.sep).join('/')}/**/*.ts`),
  };
  const file = path.join(base, `tsconfig.${resolution}.${Date.now().toString(36)}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  try {
    await run(process.execPath, ['--max-old-space-size=6144', path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', file, '--pretty', 'false'], { cwd: base, maxBuffer: 256 * 1024 * 1024 });
    return '';
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message: string };
    return `${out.stdout ?? ''}${out.stderr ?? ''}` || out.message;
  }
}
