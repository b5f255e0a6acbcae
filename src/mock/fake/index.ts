import type { z } from 'zod';
import type { IrSchema } from '../../ir/types.js';
import { FakeGenerator } from './generate.js';
import { createRng } from './prng.js';

export { FakeGenerator, type FakeOptions, type FakeVariant } from './generate.js';
export { createRng, hashSeed, type Rng } from './prng.js';

/**
 * Generated data that passes `validator`: the first seed usually does; a few derived seeds follow when a
 * construct the generator only approximates (lookaheads, odd intersections) got in the way.
 */
export function fakeValid(generator: FakeGenerator, schema: IrSchema, validator: z.ZodType | undefined, seed: number, options: { attempts?: number; minimal?: boolean } = {}): { value: unknown; valid: boolean } {
  let last: unknown = null;
  const attempts = options.attempts ?? 6;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = generator.generate(schema, createRng(attempt === 0 ? seed : (seed ^ Math.imul(attempt, 0x9e3779b9)) >>> 0), { minimal: options.minimal === true });
    if (validator === undefined || validator.safeParse(value).success) return { value, valid: true };
    last = value;
  }
  return { value: last, valid: false };
}
