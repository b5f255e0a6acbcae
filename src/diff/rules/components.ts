import { resolvePointer, unescapePointerToken } from '../../load/parse.js';
import type { DiffContext } from '../context.js';

/**
 * A schema removed from components.schemas that nothing used: no operation, webhook or other component outside
 * components.schemas referred to it, directly or through other schemas. A removed schema that was used is reported
 * where it was used (the operations' changes); this one is reported once, for the document. Read from the bundled
 * document, and only when some schema was removed.
 */

const PREFIX = '#/components/schemas/';

export function compareComponentSchemas(ctx: DiffContext): void {
  const before = schemasOf(ctx.base.raw);
  const after = schemasOf(ctx.revision.raw);
  const removed = Object.keys(before).filter((key) => !Object.prototype.hasOwnProperty.call(after, key));
  if (removed.length === 0) return;
  const used = usedSchemas(ctx.base.raw, before);
  for (const key of removed) {
    if (used.has(key)) continue;
    const pointer = `/components/schemas/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const finding = ctx.emit('component-schema-removed', 'document', `schema \`${key}\``, 'removed from components.schemas; no operation or webhook used it', { base: pointer });
    const named = ctx.base.ir.schemas.find((schema) => schema.pointer === pointer);
    if (named) finding.types.add(named.name);
  }
}

function schemasOf(raw: unknown): Record<string, unknown> {
  const schemas = resolvePointer(raw, '/components/schemas');
  return schemas !== null && typeof schemas === 'object' && !Array.isArray(schemas) ? (schemas as Record<string, unknown>) : {};
}

/** Names in components.schemas reachable from a `$ref` anywhere else in the document. */
function usedSchemas(raw: unknown, schemas: Record<string, unknown>): Set<string> {
  const used = new Set<string>();
  const queue: string[] = [];
  const note = (ref: string): void => {
    if (!ref.startsWith(PREFIX)) return;
    let token = unescapePointerToken(ref.slice(PREFIX.length).split('/')[0] ?? '');
    if (token.includes('%')) {
      try {
        token = decodeURIComponent(token);
      } catch {
        // not percent-encoded after all
      }
    }
    if (used.has(token)) return;
    used.add(token);
    queue.push(token);
  };
  const visit = (node: unknown, depth: number, skipSchemas: boolean): void => {
    if (node === null || typeof node !== 'object' || depth > 500) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1, false);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record['$ref'] === 'string') note(record['$ref']);
    for (const key of Object.keys(record)) {
      if (skipSchemas && key === 'schemas') continue;
      const value = record[key];
      // A discriminator mapping names schemas by ref or by bare name.
      if (key === 'mapping' && value !== null && typeof value === 'object') for (const target of Object.values(value)) if (typeof target === 'string') note(target.startsWith('#') ? target : `${PREFIX}${target}`);
      visit(record[key], depth + 1, depth === 0 && key === 'components');
    }
  };
  visit(raw, 0, false);
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) visit(schemas[name], 1, false);
  return used;
}
