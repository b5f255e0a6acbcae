import type { Generator } from '../registry.js';
import { generateZod } from './generate.js';

export const zodGenerator: Generator = ({ ir }) => {
  const content = generateZod(ir);
  return { files: [{ path: 'schemas.ts', content }], runtime: content.includes(`from './runtime/zod-helpers.js'`) ? ['zod-helpers.ts'] : [], exports: [`export * from './schemas.js';`] };
};
