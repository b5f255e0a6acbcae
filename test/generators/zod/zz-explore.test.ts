import { test } from 'vitest';
import { loadSpec } from '../../../src/load/load.js';
import { buildIr } from '../../../src/ir/build/document.js';
import { generateZod } from '../../../src/generators/zod/generate.js';
const files = (process.env.SPECS ?? '').split(',');
test('explore', async () => {
  for (const f of files) {
    const spec = await loadSpec(f);
    const ir = buildIr(spec);
    console.log('=====', f, spec.diagnostics.map((d) => d.code + ' ' + d.message));
    console.log(generateZod(ir));
  }
});
