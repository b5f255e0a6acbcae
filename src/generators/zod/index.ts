import type { Generator } from '../registry.js';
import { modulePlan } from '../split/plan.js';
import { generateZod, generateZodModules } from './generate.js';

export const zodGenerator: Generator = ({ ir, options }) => {
  const plan = modulePlan(ir, options?.splitThreshold);
  const files = plan ? generateZodModules(ir, plan) : [{ path: 'schemas.ts', content: generateZod(ir) }];
  const helpers = files.some((file) => /from '(\.\.?)\/runtime\/zod-helpers\.js'/.test(file.content));
  return { files, runtime: helpers ? ['zod-helpers.ts'] : [], exports: [`export * from './schemas.js';`] };
};
