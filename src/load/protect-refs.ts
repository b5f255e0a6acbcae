import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolvePointer, toPointer } from './parse.js';
import type { Diagnostic } from './diagnostics.js';

/** Stands in for `$ref` keys that are data (inside examples, defaults, enums) while the ref resolver runs. */
const SHIELD = '$ref\u0000concord-data';

// Keys whose children are names chosen by the author, not keywords: `properties.example` is a property schema.
export const NAME_MAPS = new Set([
  'properties', 'patternProperties', 'schemas', 'definitions', '$defs', 'responses', 'parameters', 'headers',
  'securitySchemes', 'links', 'callbacks', 'requestBodies', 'pathItems', 'webhooks', 'paths', 'encoding', 'content',
  'mapping', 'variables', 'scopes', 'dependentSchemas',
]);
const DATA_KEYS = new Set(['example', 'default', 'const', 'enum']);

/**
 * Runs over every parsed file before the resolver sees it.
 * - An `x-` extension (code samples, doc topics) whose `$ref` cannot be resolved carries no contract: the ref is
 *   replaced by a marker and reported as a warning instead of failing the load.
 * - `$ref` keys inside example/default/enum/const values are data (SCIM payloads have them): shield them so the
 *   resolver does not try to download them; `unshieldDataRefs` puts them back after bundling.
 */
export function protectRefs(root: unknown, file: string, diagnostics: Diagnostic[]): void {
  walk(root, [], false, false);

  function walk(node: unknown, trail: Array<string | number>, inExtension: boolean, inData: boolean): void {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...trail, index], inExtension, inData));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    const ref = record['$ref'];
    if (typeof ref === 'string' || (inData && ref !== undefined)) {
      // Data refs that resolve are meant as refs (DigitalOcean points examples at files); remote or broken
      // ones are data to keep verbatim.
      if (inData && (typeof ref !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || !refResolves(ref, root, file))) {
        record[SHIELD] = ref;
        delete record['$ref'];
      } else if (inExtension && typeof ref === 'string' && !refResolves(ref, root, file)) {
        diagnostics.push({
          level: 'warning',
          code: 'EXTENSION_REF_UNRESOLVED',
          message: `$ref "${ref}" inside an x- extension cannot be resolved; the extension value is ignored.`,
          file,
          pointer: toPointer(trail),
        });
        delete record['$ref'];
        record['x-concord-unresolved-ref'] = ref;
        return;
      }
    }
    const parentKey = trail[trail.length - 1];
    const isNameMap = typeof parentKey === 'string' && NAME_MAPS.has(parentKey);
    for (const [key, value] of Object.entries(record)) {
      const keyword = !isNameMap;
      const data =
        inData ||
        (keyword && DATA_KEYS.has(key)) ||
        (keyword && key === 'examples' && Array.isArray(value)) ||
        (keyword && key === 'value' && trail[trail.length - 2] === 'examples');
      walk(value, [...trail, key], inExtension || key.startsWith('x-'), data);
    }
  }
}

/** Restore `$ref` keys shielded by `protectRefs`. Mutates in place; visits each object once. */
export function unshieldDataRefs(root: unknown): void {
  const seen = new Set<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const record = node as Record<string, unknown>;
    if (SHIELD in record) {
      record['$ref'] = record[SHIELD];
      delete record[SHIELD];
    }
    for (const value of Object.values(record)) if (value !== null && typeof value === 'object') stack.push(value);
  }
}

function refResolves(ref: string, root: unknown, file: string): boolean {
  const hashIndex = ref.indexOf('#');
  const filePart = hashIndex === -1 ? ref : ref.slice(0, hashIndex);
  const pointer = hashIndex === -1 ? '' : ref.slice(hashIndex + 1);
  if (filePart === '') return resolvePointer(root, pointer) !== undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filePart)) return true; // remote: let the resolver decide
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return true;
  return existsSync(path.resolve(path.dirname(file), decodeURIComponent(filePart)));
}
