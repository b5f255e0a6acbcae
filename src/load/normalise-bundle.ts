import type { Diagnostic } from './diagnostics.js';
import { resolvePointer, toPointer } from './parse.js';

type Json = Record<string, unknown>;
const MAPS = new Set(['properties', 'patternProperties', 'headers', 'content', 'links', 'encoding']);
const isRecord = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * One pass over a bundled document that repairs what bundling leaves behind, so every reader (the IR,
 * openapi-typescript) sees a self-contained document:
 * - a whole map given as a `$ref` (`properties: {$ref: other.yml#/properties}`) becomes
 *   `{"$ref": "#/..."}` where names are expected; it is replaced by the map it points at;
 * - discriminator mappings still naming files (`models/a.yml#/A`; bundlers rewrite `$ref`s, not mapping strings)
 *   cannot be resolved any more; they are dropped with a warning (validation falls back to a plain union).
 */
export function normaliseBundle(document: Json, file: string, diagnostics: Diagnostic[], options: { tree?: boolean } = {}): void {
  const schemas = isRecord(document['components']) && isRecord(document['components']['schemas']) ? document['components']['schemas'] : undefined;
  const warn = (code: string, message: string, trail: Array<string | number>): void => {
    diagnostics.push({ level: 'warning', code, message, file, pointer: toPointer(trail) });
  };
  // A document parsed from JSON text shares no object between places: no need to remember what was visited (a
  // Set of every object cost more than the rest of this walk). YAML aliases can share, and even loop.
  const seen = options.tree ? undefined : new Set<object>();
  // One shared trail (push/pop) instead of a new array per node: this walk visits every node of a 4 MB document.
  const trail: Array<string | number> = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (seen) {
      if (seen.has(node)) return;
      seen.add(node);
    }
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        trail.push(index);
        walk(node[index]);
        trail.pop();
      }
      return;
    }
    const record = node as Json;
    const discriminator = record['discriminator'];
    if (isRecord(discriminator) && isRecord(discriminator['mapping'])) {
      const mapping = discriminator['mapping'];
      for (const [value, target] of Object.entries(mapping)) {
        const internal = typeof target === 'string' && (target.startsWith('#/') ? resolvePointer(document, target) !== undefined : schemas !== undefined && Object.prototype.hasOwnProperty.call(schemas, target));
        if (internal) continue;
        delete mapping[value];
        warn('DISCRIMINATOR_MAPPING', `Discriminator mapping "${value}" -> "${String(target)}" points outside the bundled document; dropped (validation falls back to a plain union).`, [...trail, 'discriminator', 'mapping', value]);
      }
    }
    for (const key of Object.keys(record)) {
      const value = record[key];
      if (MAPS.has(key) && isRecord(value) && Object.keys(value).length === 1 && typeof value['$ref'] === 'string') {
        const ref = value['$ref'];
        const target = ref.startsWith('#/') ? resolvePointer(document, ref) : undefined;
        if (isRecord(target)) record[key] = { ...target };
        else {
          warn('MAP_REF_UNRESOLVED', `"${key}" is a $ref to "${ref}", which does not resolve to a map; ignored.`, [...trail, key]);
          record[key] = {};
        }
      }
      const child = record[key];
      if (child === null || typeof child !== 'object') continue;
      trail.push(key);
      walk(child);
      trail.pop();
    }
  };
  walk(document);
}
