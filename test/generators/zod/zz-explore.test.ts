import { test } from 'vitest';
import { loadIr } from './harness.js';
import { generateZod } from '../../../src/generators/zod/generate.js';
test('explore', async () => {
  for (const rel of (process.env.SPECS ?? '').split(',')) {
    const ir = await loadIr(`../shared/specs/${rel}`);
    const code = generateZod(ir);
    const lines = code.split('\n').filter((l) => l.includes('z.intersection'));
    console.log(rel, lines.length, lines.slice(0, 6).map((l) => l.slice(0, 400)).join('\n'));
  }
});
