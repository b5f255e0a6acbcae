import { test } from 'vitest';
import { loadSpec } from '../../../src/load/load.js';
import { generateTypes } from '../../../src/generators/types/generate.js';
const files = (process.env.SPECS ?? '').split(',');
test('explore', async () => {
  for (const f of files) {
    const spec = await loadSpec(f);
    console.log('=====', f);
    const t = await generateTypes(spec.document);
    console.log(t.slice(t.indexOf('export interface components')));
  }
});
