import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './package-root.js';

/** templates/runtime in the package (the TypeScript sources, not their compiled copies). */
export const RUNTIME_DIR = path.join(packageRoot(), 'templates', 'runtime');

/**
 * The runtime files a set of entry files needs, following their relative imports, so generated output carries
 * only what it uses (a client without a server gets no provider runtime).
 */
export function runtimeClosure(entries: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (files.has(name)) continue;
    const content = readFileSync(path.join(RUNTIME_DIR, name), 'utf8');
    files.set(name, content);
    for (const match of content.matchAll(/from '\.\/([\w-]+)\.js'/g)) queue.push(`${match[1]}.ts`);
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
