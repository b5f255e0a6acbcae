import type { Generator } from '../registry.js';
import { generateTypes } from './generate.js';

export const typesGenerator: Generator = async ({ spec }) => ({
  files: [{ path: 'types.ts', content: await generateTypes(spec.document) }],
  runtime: [],
  exports: [`export type * as types from './types.js';`, `export type { paths, components } from './types.js';`],
});
