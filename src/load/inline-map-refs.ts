import type { Diagnostic } from './diagnostics.js';
import { resolvePointer, toPointer } from './parse.js';

const MAPS = new Set(['properties', 'patternProperties', 'headers', 'content', 'links', 'encoding']);

/**
 * Multi-file specs sometimes `$ref` a whole map (`properties: {$ref: other.yml#/properties}`). After bundling that
 * leaves `{"$ref": "#/..."}` where a map of names is expected, which readers take for a property named `$ref`.
 * Replace such maps with the map they point at.
 */
export function inlineMapRefs(document: Record<string, unknown>, file: string, diagnostics: Diagnostic[]): void {
  const seen = new Set<object>();
  const walk = (node: unknown, trail: Array<string | number>): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...trail, index]));
      return;
    }
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (MAPS.has(key) && isRefOnly(value)) {
        const target = value.$ref.startsWith('#/') ? resolvePointer(document, value.$ref) : undefined;
        if (target !== undefined && target !== null && typeof target === 'object' && !Array.isArray(target)) {
          record[key] = { ...(target as Record<string, unknown>) };
        } else {
          diagnostics.push({ level: 'warning', code: 'MAP_REF_UNRESOLVED', message: `"${key}" is a $ref to "${value.$ref}", which does not resolve to a map; ignored.`, file, pointer: toPointer([...trail, key]) });
          record[key] = {};
        }
      }
      walk(record[key], [...trail, key]);
    }
  };
  walk(document, []);
}

function isRefOnly(value: unknown): value is { $ref: string } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1 && typeof (value as Record<string, unknown>)['$ref'] === 'string';
}
