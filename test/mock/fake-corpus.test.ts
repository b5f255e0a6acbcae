import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { resolveMockSpec } from '../../src/mock/source.js';
import { Responder } from '../../src/mock/respond.js';
import { ValidatorRegistry } from '../../src/validate/registry.js';
import { fakeValid, hashSeed } from '../../src/mock/fake/index.js';
import { corpusOverridesFor } from '../helpers/corpus-overrides.js';
import { corpus, HAVE_SHARED, SHARED_SPECS } from './helpers.js';

/**
 * Every response body the mock can generate, for every operation, status and JSON media type of every corpus
 * document (webhooks too), passes its own response validator — for two seeds, so passing is not luck of one draw.
 */
const totals = { bodies: 0, valid: 0 };

describe.skipIf(!HAVE_SHARED)('generated bodies over the shared corpus', () => {
  afterAll(() => {
    console.log(`generated bodies: ${totals.valid}/${totals.bodies} valid against their response validators`);
  });

  for (const file of corpus()) {
    test(path.relative(SHARED_SPECS, file), async () => {
      const overrides = corpusOverridesFor(file);
      const { ir } = await resolveMockSpec(file, overrides ? { overrides } : {});
      const registry = new ValidatorRegistry(ir);
      const responder = new Responder(ir, registry, 1);
      const failures: string[] = [];
      for (const operation of [...ir.operations, ...ir.webhooks]) {
        for (const response of operation.responses) {
          for (const media of response.content) {
            if (media.encoding !== 'json' || media.streaming) continue;
            const validator = registry.operation(operation).responses.get(response.status)?.get(media.mediaType);
            for (const seed of [1, 2]) {
              totals.bodies++;
              const { value, valid } = fakeValid(responder.generator, media.schema, validator, hashSeed(seed, operation.name, response.status));
              if (valid) totals.valid++;
              else {
                const issues = validator?.safeParse(value).error?.issues.slice(0, 2).map((i) => `/${i.path.join('/')}: ${i.message.slice(0, 80)}`) ?? [];
                failures.push(`${operation.method.toUpperCase()} ${operation.path} ${response.status} ${media.mediaType} seed ${seed}: ${issues.join('; ')}`);
              }
            }
          }
        }
      }
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});
