import type { Generator } from '../registry.js';
import { generateZod } from './generate.js';

export const zodGenerator: Generator = ({ ir }) => {
  const content = generateZod(ir);
  return { files: [{ path: 'schemas.ts', content }], runtime: [...content.matchAll(/from '\.\/runtime\/(zod-[\w-]+)\.js'/g)].map((m) => `${m[1]}.ts`), exports: [`export * from './schemas.js';`] };
};
