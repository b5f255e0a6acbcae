import type { Diagnostic } from './diagnostics.js';
import { resolvePointer, toPointer } from './parse.js';

/**
 * After bundling, a discriminator mapping may still name a schema by a file path (`models/a.yml#/A`): the bundler
 * rewrites `$ref`s, not mapping strings. Such entries can no longer be resolved; drop them with a warning so
 * every consumer (the IR, openapi-typescript) sees a document whose mappings all point inside it.
 */
export function pruneExternalMappings(document: Record<string, unknown>, file: string, diagnostics: Diagnostic[]): void {
  const schemas = (document['components'] as Record<string, unknown> | undefined)?.['schemas'] as Record<string, unknown> | undefined;
  const seen = new Set<object>();
  const walk = (node: unknown, trail: Array<string | number>): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...trail, index]));
      return;
    }
    const record = node as Record<string, unknown>;
    const discriminator = record['discriminator'];
    if (discriminator !== null && typeof discriminator === 'object' && !Array.isArray(discriminator)) {
      const mapping = (discriminator as Record<string, unknown>)['mapping'];
      if (mapping !== null && typeof mapping === 'object' && !Array.isArray(mapping)) {
        for (const [value, target] of Object.entries(mapping as Record<string, unknown>)) {
          const internal =
            typeof target === 'string' &&
            (target.startsWith('#/') ? resolvePointer(document, target) !== undefined : schemas !== undefined && Object.prototype.hasOwnProperty.call(schemas, target));
          if (internal) continue;
          delete (mapping as Record<string, unknown>)[value];
          diagnostics.push({
            level: 'warning',
            code: 'DISCRIMINATOR_MAPPING',
            message: `Discriminator mapping "${value}" -> "${String(target)}" points outside the bundled document; dropped (validation falls back to a plain union).`,
            file,
            pointer: toPointer([...trail, 'discriminator', 'mapping', value]),
          });
        }
      }
    }
    for (const [key, value] of Object.entries(record)) walk(value, [...trail, key]);
  };
  walk(document, []);
}
