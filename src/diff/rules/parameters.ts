import type { IrOperation, IrParameter } from '../../ir/types.js';
import type { DiffContext, Finding } from '../context.js';
import { resolve } from '../schema-model.js';
import { compareParameterLifecycle, parameterRemovalRule } from './deprecation.js';
import { compareSchemas } from './schema.js';

/** Parameters family: request-only. Path parameters pair by position in the template, the rest by location + name. */

const keyOf = (p: IrParameter): string => `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
const label = (p: IrParameter): string => `${p.in} parameter \`${p.name}\``;

function templateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]*)\}/g)].map((match) => match[1] ?? '');
}

function pairParameters(base: IrOperation, revision: IrOperation): { pairs: Array<[IrParameter, IrParameter]>; removed: IrParameter[]; added: IrParameter[] } {
  const pairs: Array<[IrParameter, IrParameter]> = [];
  const removed: IrParameter[] = [];
  const remaining = new Set(revision.parameters);
  const baseSlots = templateNames(base.path);
  const revisionSlots = templateNames(revision.path);
  for (const bp of base.parameters) {
    let match: IrParameter | undefined;
    const slot = bp.in === 'path' ? baseSlots.indexOf(bp.name) : -1;
    if (slot >= 0) {
      const name = revisionSlots[slot];
      match = [...remaining].find((rp) => rp.in === 'path' && rp.name === name);
    }
    match ??= [...remaining].find((rp) => keyOf(rp) === keyOf(bp));
    if (match) {
      remaining.delete(match);
      pairs.push([bp, match]);
    } else removed.push(bp);
  }
  return { pairs, removed, added: [...remaining] };
}

function isStructured(p: IrParameter, side: DiffContext['base']): boolean {
  const kind = resolve(side, p.schema).schema.kind;
  return kind === 'array' || kind === 'object' || kind === 'intersection' || kind === 'union';
}

export function compareParameters(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const out: Finding[] = [];
  const { pairs, removed, added } = pairParameters(base, revision);
  const emit = (id: string, p: IrParameter, what: string, pointers: { base?: string; revision?: string }): void => {
    out.push(ctx.emit(id, 'request', label(p), what, pointers));
  };
  const movedTo = new Map<IrParameter, IrParameter>();
  for (const bp of removed) {
    const target = added.find((rp) => rp.name.toLowerCase() === bp.name.toLowerCase() && rp.in !== bp.in && ![...movedTo.values()].includes(rp));
    if (target) movedTo.set(bp, target);
  }
  for (const bp of removed) {
    const target = movedTo.get(bp);
    if (target) emit('parameter-moved', bp, `moved from ${bp.in} to ${target.in}`, { base: bp.pointer, revision: target.pointer });
    else emit(parameterRemovalRule(ctx, bp), bp, `${bp.deprecated ? 'deprecated ' : ''}parameter removed`, { base: bp.pointer });
  }
  const moved = new Set(movedTo.values());
  for (const rp of added) {
    if (moved.has(rp)) continue;
    emit(rp.required ? 'parameter-added-required' : 'parameter-added-optional', rp, `${rp.required ? 'required' : 'optional'} parameter added`, { revision: rp.pointer });
  }
  for (const [bp, rp] of pairs) {
    const pointers = { base: bp.pointer, revision: rp.pointer };
    if (bp.name !== rp.name) emit('path-parameter-renamed', bp, `renamed to \`${rp.name}\``, pointers);
    if (!bp.required && rp.required) emit('parameter-became-required', rp, 'became required', pointers);
    if (bp.required && !rp.required) emit('parameter-became-optional', rp, 'became optional', pointers);
    if (!bp.deprecated && rp.deprecated) emit('parameter-deprecated', rp, 'deprecated', pointers);
    compareParameterLifecycle(ctx, revision, bp, rp, (id, what) => emit(id, rp, what, pointers));
    if (bp.allowReserved !== rp.allowReserved) emit(rp.allowReserved ? 'parameter-became-allow-reserved' : 'parameter-became-not-allow-reserved', rp, `allowReserved ${bp.allowReserved} -> ${rp.allowReserved}`, pointers);
    // explode only changes how arrays and objects are written; a scalar looks the same either way.
    const explodeMatters = isStructured(bp, ctx.base) || isStructured(rp, ctx.revision);
    if (bp.style !== rp.style || (explodeMatters && bp.explode !== rp.explode)) {
      emit('parameter-style-changed', rp, `serialisation changed from style=${bp.style}, explode=${bp.explode} to style=${rp.style}, explode=${rp.explode}`, pointers);
    }
    out.push(...compareSchemas(ctx, bp.schema, rp.schema, { direction: 'request', root: label(rp), rootIsType: false, path: '', parameter: true }));
  }
  return out;
}
