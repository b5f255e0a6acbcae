import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './package-root.js';

/** templates/runtime in the package (the TypeScript sources, not their compiled copies). */
export const RUNTIME_DIR = path.join(packageRoot(), 'templates', 'runtime');

/**
 * First line of every runtime file in the output. The runtime is concord's library code, type-checked where it
 * is developed (strict, by concord's tests, and over the corpus of generated outputs with this line removed);
 * in the user's program tsc reads its declarations and skips its bodies, as skipLibCheck does for a package's
 * .d.ts. Checking the bodies cost ~0.9 s of CPU on every type-check of an OpenAI-size output.
 */
export const RUNTIME_NO_CHECK = "// @ts-nocheck -- concord's runtime, type-checked where it is developed; tsc reads its declarations, as skipLibCheck does for a package.";

/**
 * The runtime files a set of entry files needs, following their relative imports, so generated output carries
 * only what it uses (a client without a server gets no provider runtime); each as shipped (`RUNTIME_NO_CHECK` first).
 */
export function runtimeClosure(entries: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (files.has(name)) continue;
    const content = readFileSync(path.join(RUNTIME_DIR, name), 'utf8');
    files.set(name, `${RUNTIME_NO_CHECK}\n${content}`);
    for (const match of content.matchAll(/from '\.\/([\w-]+)\.js'/g)) queue.push(`${match[1]}.ts`);
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
