import type { IrOperation } from '../../ir/types.js';
import { rawAt, type DiffContext, type Finding, type Side } from '../context.js';

/**
 * Deprecation and sunset policy, read from the operation objects: `deprecated`, `x-sunset` (the date after which the
 * operation may go, as in the HTTP `Sunset` header) and `x-stability-level` (draft < alpha < beta < stable). The
 * minimum notice between deprecation and sunset depends on the stability level (DiffContext.deprecationDays).
 */

const LEVELS = ['draft', 'alpha', 'beta', 'stable'] as const;
type Stability = (typeof LEVELS)[number];

const label = (op: IrOperation): string => `\`${op.method.toUpperCase()} ${op.path}\``;
const DAY_MS = 24 * 60 * 60 * 1000;

/** `x-sunset` as a UTC day number; undefined when absent, NaN when present but not an RFC 3339 date. */
function sunsetOf(side: Side, op: { pointer: string }): number | undefined {
  const value = rawAt(side, op.pointer)?.['x-sunset'];
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return Number.NaN;
  const time = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(time) ? Number.NaN : Math.floor(time / DAY_MS);
}

function stabilityOf(side: Side, op: IrOperation): Stability | 'invalid' | undefined {
  const value = rawAt(side, op.pointer)?.['x-stability-level'];
  if (value === undefined) return undefined;
  return (LEVELS as readonly unknown[]).includes(value) ? (value as Stability) : 'invalid';
}

const today = (ctx: DiffContext): number => Math.floor(Date.parse(`${ctx.today}T00:00:00Z`) / DAY_MS);

/** Minimum notice for an operation's stability level; alpha and draft promise none. */
function minimumDays(ctx: DiffContext, stability: Stability | 'invalid' | undefined): number {
  if (stability === 'alpha' || stability === 'draft') return 0;
  return stability === 'beta' ? ctx.deprecationDays.beta : ctx.deprecationDays.stable;
}

/** The rule for a removed operation: before its announced sunset is its own (breaking) rule. */
export function removalRule(ctx: DiffContext, op: IrOperation, deprecatedId: string, plainId: string): string {
  if (!op.deprecated) return plainId;
  return beforeSunset(ctx, op) ? 'operation-removed-before-sunset' : deprecatedId;
}

/** Whether a deprecated thing of the base (an operation, a parameter) announced an `x-sunset` still in the future. */
export function beforeSunset(ctx: DiffContext, thing: { pointer: string; deprecated?: boolean }): boolean {
  if (thing.deprecated !== true) return false;
  const sunset = sunsetOf(ctx.base, thing);
  return sunset !== undefined && !Number.isNaN(sunset) && sunset > today(ctx);
}

export function compareLifecycle(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const out: Finding[] = [];
  const pointers = { base: base.pointer, revision: revision.pointer };
  const emit = (id: string, what: string): void => void out.push(ctx.emit(id, 'request', label(revision), what, pointers));
  if (base.deprecated && !revision.deprecated) emit('operation-reactivated', 'no longer deprecated');
  const bStability = stabilityOf(ctx.base, base);
  const rStability = stabilityOf(ctx.revision, revision);
  if (rStability === 'invalid') emit('operation-stability-invalid', `x-stability-level ${JSON.stringify(rawAt(ctx.revision, revision.pointer)?.['x-stability-level'])} is not one of ${LEVELS.join(', ')}`);
  else if (bStability && bStability !== 'invalid' && rStability && LEVELS.indexOf(rStability) < LEVELS.indexOf(bStability)) emit('operation-stability-decreased', `x-stability-level went down from ${bStability} to ${rStability}`);
  if (!revision.deprecated) return out;
  const sunset = sunsetOf(ctx.revision, revision);
  const previous = base.deprecated ? sunsetOf(ctx.base, base) : undefined;
  const minimum = minimumDays(ctx, rStability);
  if (sunset !== undefined && Number.isNaN(sunset)) emit('operation-sunset-invalid', `x-sunset ${JSON.stringify(rawAt(ctx.revision, revision.pointer)?.['x-sunset'])} is not an RFC 3339 date`);
  else if (!base.deprecated && sunset === undefined && minimum > 0) emit('operation-sunset-missing', 'deprecated without an x-sunset date');
  else if (sunset !== undefined && !base.deprecated && sunset - today(ctx) < minimum) emit('operation-sunset-too-soon', `deprecated with a sunset ${sunset - today(ctx)} day(s) away; the ${rStability ?? 'stable'} policy asks for at least ${minimum}`);
  else if (sunset !== undefined && previous !== undefined && !Number.isNaN(previous) && sunset < previous && sunset - today(ctx) < minimum) {
    emit('operation-sunset-moved-earlier', `sunset moved ${previous - sunset} day(s) earlier, to ${sunset - today(ctx)} day(s) away; the ${rStability ?? 'stable'} policy asks for at least ${minimum}`);
  }
  return out;
}
