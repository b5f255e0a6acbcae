import openapiTS, { astToString } from 'openapi-typescript';
import { createConfig } from '@redocly/openapi-core';
import { ConcordError } from '../../src/errors.js';
import type { OpenApiDocument } from '../../src/load/load.js';
import { NAME_MAPS } from '../../src/load/protect-refs.js';
import { resolvePointer as resolve } from '../../src/load/parse.js';

/**
 * openapi-typescript's output for the (bundled, upgraded) document: no longer what `types.ts` ships (see
 * src/generators/types/generate.ts), kept as the independent peer the tests compare concord's types with.
 */
export async function generateOpenapiTypescript(document: OpenApiDocument): Promise<string> {
  try {
    // No lint rules: openapi-typescript's default set throws on duplicate operationIds, which real specs have
    // (the copy below makes them unique) and which concord reports as warnings instead.
    const redocly = await createConfig({ rules: {} }, { extends: [] });
    const nodes = await openapiTS(typeRelevantCopy(document) as never, { silent: true, alphabetize: false, redocly });
    return astToString(nodes);
  } catch (error) {
    throw new ConcordError('SPEC_INVALID', `openapi-typescript could not generate types: ${error instanceof Error ? error.message : String(error)}`, {
      hint: 'Generate without types (--only zod,client) or fix the reported location.',
      cause: error,
    });
  }
}

/**
 * The document openapi-typescript sees:
 * - without examples and `x-` extensions, which do not shape types but which it walks and resolves (slowly, and
 *   failing on refs inside examples that point at files nobody published);
 * - with every `$ref` that does not name a whole component inlined: a bundled multi-file spec points repeated
 *   schemas at their first occurrence (`#/paths/~1a/post/.../schema`), which openapi-typescript turns into
 *   indexed-access types that do not type-check. A cycle through such refs is hoisted into
 *   `components.schemas` under a name that cannot clash with the document's own (`concord_hoisted_<n>`).
 */
function typeRelevantCopy(document: OpenApiDocument): unknown {
  const hoisted: Record<string, unknown> = {};
  const hoistedNames = new Map<string, string>();
  const stack: string[] = [];
  const copy = (node: unknown, parentKey: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((item) => copy(item, undefined));
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    const ref = record['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/') && !/^#\/components\/[^/]+\/[^/]+$/.test(ref)) {
      const existing = hoistedNames.get(ref);
      if (existing) return { $ref: `#/components/schemas/${existing}` };
      if (stack.includes(ref)) {
        const name = `concord_hoisted_${hoistedNames.size + 1}`;
        hoistedNames.set(ref, name);
        hoisted[name] = copy(resolve(document, ref), undefined);
        return { $ref: `#/components/schemas/${name}` };
      }
      const target = resolve(document, ref);
      if (target === undefined) return {};
      stack.push(ref);
      try {
        return copy(target, parentKey);
      } finally {
        stack.pop();
      }
    }
    const nameMap = parentKey !== undefined && NAME_MAPS.has(parentKey);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (!nameMap && (key === 'example' || key === 'examples' || key.startsWith('x-'))) continue;
      out[key] = copy(value, key);
    }
    return out;
  };
  const result = copy(document, undefined) as Record<string, unknown>;
  uniqueOperationIds(result);
  if (Object.keys(hoisted).length > 0) {
    const components = (result['components'] ??= {}) as Record<string, unknown>;
    components['schemas'] = { ...((components['schemas'] as Record<string, unknown> | undefined) ?? {}), ...hoisted };
  }
  return result;
}


/** openapi-typescript keys `operations` by operationId; a duplicate would be a duplicate property. */
function uniqueOperationIds(document: Record<string, unknown>): void {
  const seen = new Set<string>();
  const paths = document['paths'];
  if (paths === null || typeof paths !== 'object') return;
  for (const item of Object.values(paths as Record<string, unknown>)) {
    if (item === null || typeof item !== 'object') continue;
    for (const op of Object.values(item as Record<string, unknown>)) {
      if (op === null || typeof op !== 'object' || typeof (op as Record<string, unknown>)['operationId'] !== 'string') continue;
      const record = op as Record<string, unknown>;
      let id = record['operationId'] as string;
      for (let n = 2; seen.has(id); n++) id = `${record['operationId'] as string}_${n}`;
      record['operationId'] = id;
      seen.add(id);
    }
  }
}
