import { ConcordError } from '../../errors.js';
import type { Generator } from '../registry.js';

export const mockGenerator: Generator = () => {
  throw new ConcordError('USAGE', 'The "mock" target is not available yet.');
};
