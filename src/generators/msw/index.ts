import { ConcordError } from '../../errors.js';
import type { Generator } from '../registry.js';

export const mswGenerator: Generator = () => {
  throw new ConcordError('USAGE', 'The "msw" target is not available yet.');
};
