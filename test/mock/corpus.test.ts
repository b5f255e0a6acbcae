import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
import { ValidatorRegistry } from '../../src/validate/registry.js';
import { baseType } from '../../src/mock/negotiate.js';
import { FakeGenerator, createRng } from '../../src/mock/fake/index.js';
import type { IrDocument, IrOperation } from '../../src/ir/types.js';
import { CORPUS_OVERRIDES } from '../helpers/corpus-overrides.js';
import { corpus, credentials, decodeLikeClient, HAVE_SHARED, matchDeclared, SHARED_SPECS } from './helpers.js';

/**
 * For every root document of the shared corpus: the mock starts, and every GET operation without required
 * parameters answers a declared status whose body passes the response validator built from the same
 * expressions as the generated schemas.ts.
 */
const totals = { specs: 0, operations: 0, passed: 0, unverifiable: 0, bodyRequired: 0, undeclared: 0, withParams: 0, withParamsPassed: 0 };

/**
 * A request for an operation with required parameters, the values generated from their schemas (request
 * variant, the validators' own check) and serialised simply: scalars in path, query and headers.
 */
function filledRequest(ir: IrDocument, operation: IrOperation, seed: number, template: string): { path: string; query: string[]; headers: Record<string, string> } | undefined {
  const generator = new FakeGenerator({ schemas: ir.schemas, variant: 'request' });
  const registry = new ValidatorRegistry(ir);
  const validators = registry.operation(operation).params;
  const values: Record<string, Record<string, unknown>> = { path: {}, query: {}, header: {}, cookie: {} };
  for (const p of operation.parameters.filter((x) => x.required)) {
    const value = generator.generate(p.schema, createRng(seed + p.name.length));
    if (value === null || typeof value === 'object' || p.contentType !== undefined || p.style === 'label' || p.style === 'matrix') return undefined;
    (values[p.in] as Record<string, unknown>)[p.name] = value;
  }
  for (const location of ['path', 'query', 'header'] as const) {
    if (validators[location] && !validators[location].safeParse(values[location]).success) return undefined;
  }
  if (Object.keys(values['cookie'] ?? {}).length > 0) return undefined;
  const path = template.replace(/\{([^}]+)\}/g, (_w, name: string) => encodeURIComponent(String(values['path']?.[name])));
  const query = Object.entries(values['query'] ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  const headers = Object.fromEntries(Object.entries(values['header'] ?? {}).map(([k, v]) => [k, String(v)]));
  return { path, query, headers };
}
/** Declared status, declared media type, body valid as the client decodes it; undefined when all hold. */
async function checkAnswer(registry: ValidatorRegistry, operation: IrOperation, response: Response): Promise<string | undefined> {
  if (operation.responses.length === 0) {
    const empty = (await response.arrayBuffer()).byteLength === 0;
    if (response.status >= 200 && response.status < 300 && empty) {
      totals.undeclared++;
      return undefined;
    }
    return `declares no response, got ${response.status}`;
  }
  const declared = matchDeclared(operation.responses, response.status);
  if (!declared) return `undeclared status ${response.status}: ${(await response.text()).slice(0, 200)}`;
  const successDeclared = operation.responses.some((r) => /^[23]/.test(r.status) || r.status === 'default');
  if (response.status >= 400 && successDeclared) return `error status ${response.status}: ${(await response.text()).slice(0, 200)}`;
  const contentType = response.headers.get('content-type');
  if (declared.content.length === 0 || contentType === null) {
    await response.arrayBuffer();
    return undefined;
  }
  const media = declared.content.find((m) => baseType(m.mediaType) === baseType(contentType)) ?? declared.content.find((m) => m.mediaType.includes('*'));
  if (!media) return `content-type ${contentType} not declared`;
  if (media.encoding !== 'json') totals.unverifiable++;
  const body = await decodeLikeClient(response, media.encoding);
  const validator = media.streaming ? undefined : registry.operation(operation).responses.get(declared.status)?.get(media.mediaType);
  const result = validator?.safeParse(body);
  if (result && !result.success) {
    const issues = result.error.issues.slice(0, 3).map((i) => `/${i.path.join('/')}: ${i.message.slice(0, 80)}`);
    return `${response.status} ${media.mediaType}: ${issues.join('; ')} body=${JSON.stringify(body).slice(0, 200)}`;
  }
  return undefined;
}

describe.skipIf(!HAVE_SHARED)('mock over the shared corpus', () => {
  afterAll(() => {
    console.log(
      `mock corpus: ${totals.passed}/${totals.operations} GET operations without required parameters answered a declared status with a valid body ` +
        `(${totals.specs} documents; ${totals.unverifiable} non-JSON bodies checked as the client decodes them; ` +
        `${totals.undeclared} operations declare no response and got an empty 2xx; ${totals.bodyRequired} GETs that require a body left out); ` +
        `GETs with required parameters filled from their schemas: ${totals.withParamsPassed}/${totals.withParams}`,
    );
  });

  for (const file of corpus()) {
    test(path.relative(SHARED_SPECS, file), async () => {
      const overrides = CORPUS_OVERRIDES[path.relative(SHARED_SPECS, file).split(path.sep).join('/')];
      const mock = await startMockServer({ spec: file, maxRecordedRequests: 0, ...(overrides ? { overrides } : {}) });
      totals.specs++;
      try {
        const ir = mock.ir;
        const registry = new ValidatorRegistry(ir);
        const failures: string[] = [];
        for (const operation of ir.operations) {
          // A fragment never reaches a server: `/shared_items#folders` is not addressable over HTTP.
          if (operation.method !== 'get' || operation.path.includes('#')) continue;
          if (operation.requestBody?.required === true) {
            totals.bodyRequired++;
            continue;
          }
          const auth = credentials(ir, operation);
          const needsParams = operation.parameters.some((p) => p.required);
          const [pathPart = '', pathQuery] = operation.path.split('?');
          let target = pathPart;
          const query = [...(pathQuery ? [pathQuery] : []), ...(auth.query ? [auth.query] : [])];
          let headers = auth.headers;
          if (needsParams) {
            const filled = filledRequest(ir, operation, 1, pathPart);
            // A required path parameter the template does not name can never be sent: the contract contradicts itself.
            const templated = operation.parameters.filter((p) => p.in === 'path').every((p) => operation.path.includes(`{${p.name}}`));
            if (!filled || !templated) continue;
            target = filled.path;
            query.push(...filled.query);
            headers = { ...filled.headers, ...auth.headers };
            totals.withParams++;
          } else totals.operations++;
          const response = await fetch(`${mock.url}${target}${query.length > 0 ? `?${query.join('&')}` : ''}`, { headers });
          const problem = await checkAnswer(registry, operation, response);
          if (problem !== undefined) failures.push(`${path.relative(SHARED_SPECS, file)} GET ${target}: ${problem}`);
          else if (needsParams) totals.withParamsPassed++;
          else totals.passed++;
        }
        expect(failures).toEqual([]);
      } finally {
        await mock.close();
      }
    });
  }
});
