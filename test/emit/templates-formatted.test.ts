import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTypeScript } from '../../src/emit/format.js';
import { RUNTIME_DIR } from '../../src/emit/runtime-files.js';

// Generation copies runtime templates without running prettier (it is the slow part of emitting); so they must
// be stored exactly as prettier, with the options generation uses, would print them.
describe('runtime templates are stored prettier-formatted', () => {
  for (const file of readdirSync(RUNTIME_DIR).filter((f) => f.endsWith('.ts'))) {
    it(file, async () => {
      const source = readFileSync(path.join(RUNTIME_DIR, file), 'utf8');
      expect(await formatTypeScript(source)).toBe(source);
    });
  }
});
