import type { Generator } from '../registry.js';
import { modulePlan } from '../split/plan.js';
import { generateZod, generateZodModules } from './generate.js';

export const zodGenerator: Generator = ({ ir, options }) => {
  const plan = modulePlan(ir, options?.splitThreshold);
  const files = plan ? generateZodModules(ir, plan) : [{ path: 'schemas.ts', content: generateZod(ir) }];
  // The helper families the files import (zod-helpers, zod-refine, zod-shape), each copied only when used.
  const helpers = new Set(files.flatMap((file) => [...file.content.matchAll(/from '\.\.?\/runtime\/(zod-[\w-]+)\.js'/g)].map((m) => `${m[1]}.ts`)));
  return { files, runtime: [...helpers].sort(), exports: [`export * from './schemas.js';`] };
};
