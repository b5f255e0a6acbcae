import { ConcordError } from '../../errors.js';
import type { Generator } from '../registry.js';

export const serverGenerator: Generator = () => {
  throw new ConcordError('USAGE', 'The "server" target is not available yet.');
};
