import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root directory, found by walking up from this module: the sources run from `src/emit/` (tests)
 * and the compiled copy from `dist/src/emit/`, so a fixed number of `..` is right for only one of them.
 */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates', 'runtime'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('concord: cannot find its package root (package.json next to templates/runtime)');
    dir = parent;
  }
}
