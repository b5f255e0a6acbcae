import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
import { ValidatorRegistry } from '../../src/validate/registry.js';
import { baseType } from '../../src/mock/negotiate.js';
import { corpus, credentials, decodeLikeClient, HAVE_SHARED, matchDeclared, SHARED_SPECS } from './helpers.js';

/**
 * For every root document of the shared corpus: the mock starts, and every GET operation without required
 * parameters answers a declared status whose body passes the response validator built from the same
 * expressions as the generated schemas.ts.
 */
const totals = { specs: 0, operations: 0, passed: 0, unverifiable: 0, bodyRequired: 0, undeclared: 0 };
const failures: string[] = [];

describe.skipIf(!HAVE_SHARED)('mock over the shared corpus', () => {
  afterAll(() => {
    console.log(
      `mock corpus: ${totals.passed}/${totals.operations} GET operations answered with a declared status and a valid body ` +
        `(${totals.specs} documents; ${totals.unverifiable} non-JSON bodies checked as the client decodes them; ` +
        `${totals.undeclared} operations declare no response and got an empty 2xx; ${totals.bodyRequired} GETs that require a body left out)`,
    );
  });

  for (const file of corpus()) {
    test(path.relative(SHARED_SPECS, file), async () => {
      const mock = await startMockServer({ spec: file, maxRecordedRequests: 0 });
      totals.specs++;
      try {
        const ir = mock.ir;
        const registry = new ValidatorRegistry(ir);
        const local: string[] = [];
        for (const operation of ir.operations) {
          if (operation.method !== 'get' || operation.parameters.some((p) => p.required)) continue;
          if (operation.requestBody?.required === true) {
            totals.bodyRequired++;
            continue;
          }
          totals.operations++;
          const auth = credentials(ir, operation);
          const url = `${mock.url}${operation.path}${auth.query ? `?${auth.query}` : ''}`;
          const response = await fetch(url, { headers: auth.headers });
          const declared = matchDeclared(operation.responses, response.status);
          const where = `${path.relative(SHARED_SPECS, file)} GET ${operation.path}`;
          if (operation.responses.length === 0) {
            const empty = (await response.arrayBuffer()).byteLength === 0;
            if (response.status >= 200 && response.status < 300 && empty) {
              totals.undeclared++;
              totals.passed++;
            } else local.push(`${where}: declares no response, got ${response.status}`);
            continue;
          }
          if (!declared) {
            local.push(`${where}: undeclared status ${response.status}: ${(await response.text()).slice(0, 200)}`);
            continue;
          }
          const contentType = response.headers.get('content-type');
          if (declared.content.length === 0 || contentType === null) {
            await response.arrayBuffer();
            totals.passed++;
            continue;
          }
          const media = declared.content.find((m) => baseType(m.mediaType) === baseType(contentType)) ?? declared.content.find((m) => m.mediaType.includes('*'));
          if (!media) {
            local.push(`${where}: content-type ${contentType} not declared`);
            continue;
          }
          if (media.encoding !== 'json') totals.unverifiable++;
          const body = await decodeLikeClient(response, media.encoding);
          const validator = media.streaming ? undefined : registry.operation(operation).responses.get(declared.status)?.get(media.mediaType);
          const result = validator?.safeParse(body);
          if (result && !result.success) {
            const issues = result.error.issues.slice(0, 3).map((i) => `/${i.path.join('/')}: ${i.message.slice(0, 80)}`);
            local.push(`${where} ${response.status} ${media.mediaType}: ${issues.join('; ')} body=${JSON.stringify(body).slice(0, 200)}`);
            continue;
          }
          totals.passed++;
        }
        failures.push(...local);
        expect(local).toEqual([]);
      } finally {
        await mock.close();
      }
    });
  }
});
