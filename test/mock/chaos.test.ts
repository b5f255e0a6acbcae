import { describe, expect, test } from 'vitest';
import { decideChaos, parseChaos } from '../../src/mock/chaos.js';
import { createRng } from '../../src/mock/fake/prng.js';

describe('parseChaos', () => {
  test('statuses, reset, latency and Retry-After', () => {
    expect(parseChaos('503=0.1,429=5%,latency=50-400ms,reset=0.01,retry-after=2')).toEqual({
      faults: [{ status: 503, probability: 0.1 }, { status: 429, probability: 0.05 }],
      reset: 0.01,
      latency: [50, 400],
      retryAfterSeconds: 2,
    });
    expect(parseChaos('latency=1-2s').latency).toEqual([1000, 2000]);
  });

  const bad = ['503', '503=2', 'latency=9-1ms', 'teapot=0.1', '503=0.6,500=0.6', 'latency=fast'];
  for (const text of bad) test(`refuses "${text}" with a usage error`, () => expect(() => parseChaos(text)).toThrow(expect.objectContaining({ code: 'USAGE' })));
});

describe('decideChaos', () => {
  test('the same seed replays the same decisions', () => {
    const spec = parseChaos('503=0.2,429=0.1,reset=0.1,latency=10-20ms');
    const run = (seed: number): string[] => {
      const rng = createRng(seed);
      return Array.from({ length: 50 }, () => JSON.stringify(decideChaos(spec, rng)));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  test('probabilities hold over many draws', () => {
    const spec = parseChaos('503=0.25');
    const rng = createRng(1);
    const hits = Array.from({ length: 4000 }, () => decideChaos(spec, rng).status).filter((s) => s === 503).length;
    expect(hits / 4000).toBeGreaterThan(0.22);
    expect(hits / 4000).toBeLessThan(0.28);
  });
});
