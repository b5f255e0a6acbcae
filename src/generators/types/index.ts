import type { Generator } from '../registry.js';
import { modulePlan } from '../split/plan.js';
import { generateTypeModules, generateTypes } from './generate.js';

export const typesGenerator: Generator = ({ ir, options }) => {
  const plan = modulePlan(ir, options?.splitThreshold);
  return {
    files: plan ? generateTypeModules(ir, plan) : [{ path: 'types.ts', content: generateTypes(ir) }],
    runtime: [],
    exports: [`export type * as types from './types.js';`, `export type { paths, components } from './types.js';`],
  };
};
