import type { IrNamedSchema } from '../../ir/types.js';
import type { DiffContext, Side } from '../context.js';

/**
 * Named schemas in `components.schemas` (`definitions` in 2.0) that nothing in the base document used: removing one
 * changes no message, so the schema rules never see it, but it was an exported type of the generated code. A used
 * component that goes is judged by what changed where it was used (a rename or inlining with the same content is
 * no change: names never decide equality).
 */

const COMPONENT = /^\/(components\/schemas|definitions)\/[^/]+$/;

export function compareComponentSchemas(ctx: DiffContext): void {
  const components = (schemas: IrNamedSchema[]): IrNamedSchema[] => schemas.filter((named) => COMPONENT.test(named.pointer));
  const kept = new Set(components(ctx.revision.ir.schemas).map((named) => named.pointer));
  const removed = components(ctx.base.ir.schemas).filter((named) => !kept.has(named.pointer));
  if (removed.length === 0) return;
  const used = usedComponents(ctx.base);
  for (const named of removed) {
    if (used.has(named.pointer)) continue;
    const finding = ctx.emit('unused-schema-removed', 'document', `schema \`${named.originalName}\``, `removed from components (generated type \`${named.name}\`)`, { base: named.pointer });
    for (const type of [named.name, named.requestName, named.responseName]) if (type !== undefined) finding.types.add(type);
  }
}

/** YAML aliases can make a small document a huge tree; past this many visits every component counts as used. */
const MAX_VISITS = 2_000_000;

/** Pointers of the component schemas reachable through `$ref` from anything outside the component schemas. */
function usedComponents(side: Side): { has: (pointer: string) => boolean } {
  const refsOf = new Map<string, Set<string>>();
  const roots = new Set<string>();
  // Objects on the current path only: an object shared between places (a YAML alias) counts in each.
  const path = new Set<object>();
  let visits = 0;
  const walk = (node: unknown, owner: string | undefined, pointer: string): void => {
    if (node === null || typeof node !== 'object' || path.has(node) || visits++ > MAX_VISITS) return;
    path.add(node);
    const here = owner ?? (COMPONENT.test(pointer) ? pointer : undefined);
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, here, `${pointer}/${index}`));
    else {
      const ref = (node as Record<string, unknown>)['$ref'];
      if (typeof ref === 'string' && ref.startsWith('#/')) {
        const target = ref.slice(1).split('/').slice(0, 4).join('/').replace(/^(\/definitions\/[^/]+).*/, '$1');
        if (here === undefined) roots.add(target);
        else refsOf.set(here, (refsOf.get(here) ?? new Set()).add(target));
      }
      for (const [key, value] of Object.entries(node)) walk(value, here, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
    path.delete(node);
  };
  walk(side.raw, undefined, '');
  if (visits > MAX_VISITS) return { has: () => true };
  const used = new Set<string>();
  const queue = [...roots];
  for (let target = queue.pop(); target !== undefined; target = queue.pop()) {
    if (used.has(target)) continue;
    used.add(target);
    queue.push(...(refsOf.get(target) ?? []));
  }
  return used;
}
