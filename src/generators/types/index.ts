import type { Generator } from '../registry.js';
import { generateTypes } from './generate.js';

export const typesGenerator: Generator = ({ ir }) => ({
  files: [{ path: 'types.ts', content: generateTypes(ir) }],
  runtime: [],
  exports: [`export type * as types from './types.js';`, `export type { paths, components } from './types.js';`],
});
