import type { IrMediaType, IrOperation } from '../../ir/types.js';
import type { DiffContext, Finding } from '../context.js';
import { compareSchemas } from './schema.js';

/** Request-body family: presence, required-ness and media types; the schemas go to the schema family (request). */

const baseType = (mediaType: string): string => (mediaType.split(';')[0] ?? '').trim().toLowerCase();

/** Pair media types: the exact string first, then the same type without parameters (`; charset=utf-8`). */
export function pairMediaTypes(base: IrMediaType[], revision: IrMediaType[]): { pairs: Array<[IrMediaType, IrMediaType]>; removed: IrMediaType[]; added: IrMediaType[] } {
  const remaining = [...revision];
  const pairs: Array<[IrMediaType, IrMediaType]> = [];
  const unmatched: IrMediaType[] = [];
  for (const b of base) {
    const index = remaining.findIndex((r) => r.mediaType === b.mediaType);
    if (index >= 0) pairs.push([b, remaining.splice(index, 1)[0] as IrMediaType]);
    else unmatched.push(b);
  }
  const removed: IrMediaType[] = [];
  for (const b of unmatched) {
    const index = remaining.findIndex((r) => baseType(r.mediaType) === baseType(b.mediaType));
    if (index >= 0) pairs.push([b, remaining.splice(index, 1)[0] as IrMediaType]);
    else removed.push(b);
  }
  return { pairs, removed, added: remaining };
}

export function compareRequestBodies(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const b = base.requestBody;
  const r = revision.requestBody;
  if (!b && !r) return [];
  const where = 'request body';
  if (!b && r) return [ctx.emit(r.required ? 'request-body-added-required' : 'request-body-added-optional', 'request', where, `added (${r.required ? 'required' : 'optional'})`, { revision: r.pointer })];
  if (b && !r) return [ctx.emit('request-body-removed', 'request', where, 'removed', { base: b.pointer })];
  if (!b || !r) return [];
  const out: Finding[] = [];
  const pointers = { base: b.pointer, revision: r.pointer };
  if (!b.required && r.required) out.push(ctx.emit('request-body-became-required', 'request', where, 'became required', pointers));
  if (b.required && !r.required) out.push(ctx.emit('request-body-became-optional', 'request', where, 'became optional', pointers));
  const { pairs, removed, added } = pairMediaTypes(b.content, r.content);
  for (const m of removed) out.push(ctx.emit('request-media-type-removed', 'request', where, `media type ${m.mediaType} removed`, { base: m.pointer, revision: r.pointer }));
  for (const m of added) out.push(ctx.emit('request-media-type-added', 'request', where, `media type ${m.mediaType} added`, { base: b.pointer, revision: m.pointer }));
  for (const [bm, rm] of pairs) out.push(...compareMedia(ctx, bm, rm, 'request', `request body (${rm.mediaType})`));
  return out;
}

/**
 * A paired media type's schema, and its `itemSchema` (OpenAPI 3.2 sequential media types): one that appears constrains
 * every item, one that disappears lifts that; both present are compared as schemas.
 */
export function compareMedia(ctx: DiffContext, bm: IrMediaType, rm: IrMediaType, direction: 'request' | 'response', root: string): Finding[] {
  const out = compareSchemas(ctx, bm.schema, rm.schema, { direction, root, rootIsType: false, path: '' });
  const bi = bm.stream?.itemSource === 'itemSchema' ? bm.stream.item : undefined;
  const ri = rm.stream?.itemSource === 'itemSchema' ? rm.stream.item : undefined;
  if (bi && ri) out.push(...compareSchemas(ctx, bi, ri, { direction, root: `${root} items`, rootIsType: false, path: '' }));
  else if (ri) out.push(ctx.emit('constraint-tightened', direction, root, '`itemSchema` added: every item is now constrained', { base: bm.pointer, revision: ri.pointer }));
  else if (bi) out.push(ctx.emit('constraint-loosened', direction, root, '`itemSchema` removed: items are no longer constrained', { base: bi.pointer, revision: rm.pointer }));
  return out;
}
