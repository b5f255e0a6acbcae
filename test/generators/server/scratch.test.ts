import { test } from 'vitest';
import { generate } from '../../../src/generate.js';
test('scratch', async () => {
  await generate({ spec: 'fixtures/petstore-provider.yaml', out: '.tmp/scratch', targets: ['types', 'zod', 'client', 'server'] });
});
