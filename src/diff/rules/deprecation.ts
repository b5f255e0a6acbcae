import type { IrOperation, IrParameter } from '../../ir/types.js';
import { rawAt, type DiffContext, type Finding } from '../context.js';
import { mayCarryWatched } from './schema-keywords.js';

/**
 * Deprecation and sunset policy, read from operation objects, parameter objects and property schemas: `deprecated`,
 * `x-sunset` (the date after which the thing may go, as in the HTTP `Sunset` header) and `x-stability-level`
 * (draft < alpha < beta < stable). The minimum notice between deprecation and sunset depends on the stability level
 * (DiffContext.deprecationDays). Operations, parameters and properties share the policy; each has its own rule ids,
 * and only the checks oasdiff defines for each (a property has no moved-earlier or removed-sunset rule).
 */

const LEVELS = ['draft', 'alpha', 'beta', 'stable'] as const;
type Stability = (typeof LEVELS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/** `x-sunset` as a UTC day number; undefined when absent, NaN when present but not an RFC 3339 date. */
function sunsetOf(raw: Record<string, unknown> | undefined): number | undefined {
  const value = raw?.['x-sunset'];
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return Number.NaN;
  const time = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  return Number.isNaN(time) ? Number.NaN : Math.floor(time / DAY_MS);
}

function stabilityOf(raw: Record<string, unknown> | undefined): Stability | 'invalid' | undefined {
  const value = raw?.['x-stability-level'];
  if (value === undefined) return undefined;
  return (LEVELS as readonly unknown[]).includes(value) ? (value as Stability) : 'invalid';
}

const today = (ctx: DiffContext): number => Math.floor(Date.parse(`${ctx.today}T00:00:00Z`) / DAY_MS);

/** Minimum notice for a stability level; alpha and draft promise none. */
function minimumDays(ctx: DiffContext, stability: Stability | 'invalid' | undefined): number {
  if (stability === 'alpha' || stability === 'draft') return 0;
  return stability === 'beta' ? ctx.deprecationDays.beta : ctx.deprecationDays.stable;
}

/** Whether a deprecated thing announced a sunset that is still in the future. */
function beforeSunset(ctx: DiffContext, raw: Record<string, unknown> | undefined): boolean {
  const sunset = sunsetOf(raw);
  return sunset !== undefined && !Number.isNaN(sunset) && sunset > today(ctx);
}

/** The rule for a removed operation: before its announced sunset is its own (breaking) rule. */
export function removalRule(ctx: DiffContext, op: IrOperation, deprecatedId: string, plainId: string): string {
  if (!op.deprecated) return plainId;
  return beforeSunset(ctx, rawAt(ctx.base, op.pointer)) ? 'operation-removed-before-sunset' : deprecatedId;
}

/** The rule for a removed parameter, as for operations. */
export function parameterRemovalRule(ctx: DiffContext, p: IrParameter): string {
  if (!p.deprecated) return 'parameter-removed';
  return beforeSunset(ctx, rawAt(ctx.base, p.pointer)) ? 'parameter-removed-before-sunset' : 'deprecated-parameter-removed';
}

/** The rule ids of one kind of thing; a check without an id is not made for that kind. */
interface LifecycleIds {
  deprecated?: string;
  reactivated: string;
  sunsetInvalid: string;
  sunsetMissing: string;
  sunsetTooSoon: string;
  sunsetMovedEarlier?: string;
  sunsetRemoved?: string;
  stabilityInvalid?: string;
  stabilityDecreased?: string;
  stabilityIncreased?: string;
}

interface LifecycleSide {
  deprecated: boolean;
  raw: Record<string, unknown> | undefined;
}

type Emit = (id: string, what: string) => void;

function compareStability(b: LifecycleSide, r: LifecycleSide, ids: LifecycleIds, emit: Emit): void {
  const bStability = stabilityOf(b.raw);
  const rStability = stabilityOf(r.raw);
  if (rStability === 'invalid') {
    if (ids.stabilityInvalid) emit(ids.stabilityInvalid, `x-stability-level ${JSON.stringify(r.raw?.['x-stability-level'])} is not one of ${LEVELS.join(', ')}`);
  } else if (ids.stabilityDecreased && bStability && bStability !== 'invalid' && rStability && LEVELS.indexOf(rStability) < LEVELS.indexOf(bStability)) {
    emit(ids.stabilityDecreased, `x-stability-level went down from ${bStability} to ${rStability}`);
  } else if (ids.stabilityIncreased && bStability && bStability !== 'invalid' && rStability && LEVELS.indexOf(rStability) > LEVELS.indexOf(bStability)) {
    emit(ids.stabilityIncreased, `x-stability-level went up from ${bStability} to ${rStability}`);
  }
}

/** The policy for one thing on both sides; `inherited` is the stability level that applies when it has none (its operation's). */
function compareLifecycleOf(ctx: DiffContext, b: LifecycleSide, r: LifecycleSide, ids: LifecycleIds, emit: Emit, inherited?: Stability | 'invalid'): void {
  if (b.deprecated && !r.deprecated) emit(ids.reactivated, 'no longer deprecated');
  if (!b.deprecated && r.deprecated && ids.deprecated) emit(ids.deprecated, 'deprecated');
  compareStability(b, r, ids, emit);
  if (!r.deprecated) return;
  const stability = stabilityOf(r.raw) ?? inherited;
  const sunset = sunsetOf(r.raw);
  const previous = b.deprecated ? sunsetOf(b.raw) : undefined;
  const minimum = minimumDays(ctx, stability);
  const level = stability === undefined || stability === 'invalid' ? 'stable' : stability;
  if (sunset !== undefined && Number.isNaN(sunset)) emit(ids.sunsetInvalid, `x-sunset ${JSON.stringify(r.raw?.['x-sunset'])} is not an RFC 3339 date`);
  else if (!b.deprecated && sunset === undefined && minimum > 0) emit(ids.sunsetMissing, 'deprecated without an x-sunset date');
  else if (sunset !== undefined && !b.deprecated && sunset - today(ctx) < minimum) emit(ids.sunsetTooSoon, `deprecated with a sunset ${sunset - today(ctx)} day(s) away; the ${level} policy asks for at least ${minimum}`);
  else if (ids.sunsetMovedEarlier && sunset !== undefined && previous !== undefined && !Number.isNaN(previous) && sunset < previous && sunset - today(ctx) < minimum) {
    emit(ids.sunsetMovedEarlier, `sunset moved ${previous - sunset} day(s) earlier, to ${sunset - today(ctx)} day(s) away; the ${level} policy asks for at least ${minimum}`);
  } else if (ids.sunsetRemoved && sunset === undefined && previous !== undefined && !Number.isNaN(previous) && minimum > 0) emit(ids.sunsetRemoved, 'still deprecated, but its x-sunset date was removed');
}

const OPERATION: LifecycleIds = {
  reactivated: 'operation-reactivated',
  sunsetInvalid: 'operation-sunset-invalid',
  sunsetMissing: 'operation-sunset-missing',
  sunsetTooSoon: 'operation-sunset-too-soon',
  sunsetMovedEarlier: 'operation-sunset-moved-earlier',
  sunsetRemoved: 'operation-sunset-removed',
  stabilityInvalid: 'operation-stability-invalid',
  stabilityDecreased: 'operation-stability-decreased',
  stabilityIncreased: 'operation-stability-increased',
};

const PARAMETER: LifecycleIds = {
  reactivated: 'parameter-reactivated',
  sunsetInvalid: 'parameter-sunset-invalid',
  sunsetMissing: 'parameter-sunset-missing',
  sunsetTooSoon: 'parameter-sunset-too-soon',
  sunsetMovedEarlier: 'parameter-sunset-moved-earlier',
  sunsetRemoved: 'parameter-sunset-removed',
};

const PROPERTY: LifecycleIds = {
  deprecated: 'property-deprecated',
  reactivated: 'property-reactivated',
  sunsetInvalid: 'property-sunset-invalid',
  sunsetMissing: 'property-sunset-missing',
  sunsetTooSoon: 'property-sunset-too-soon',
  stabilityDecreased: 'property-stability-decreased',
  stabilityIncreased: 'property-stability-increased',
};

const label = (op: IrOperation): string => `\`${op.method.toUpperCase()} ${op.path}\``;

export function compareLifecycle(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const out: Finding[] = [];
  const pointers = { base: base.pointer, revision: revision.pointer };
  const emit: Emit = (id, what) => void out.push(ctx.emit(id, 'request', label(revision), what, pointers));
  compareLifecycleOf(ctx, { deprecated: base.deprecated, raw: rawAt(ctx.base, base.pointer) }, { deprecated: revision.deprecated, raw: rawAt(ctx.revision, revision.pointer) }, OPERATION, emit);
  return out;
}

/** A parameter on both sides (its `deprecated` is compared by parameters.ts); the operation's stability level applies when it has none. */
export function compareParameterLifecycle(ctx: DiffContext, op: IrOperation, b: IrParameter, r: IrParameter, emit: Emit): void {
  // Nothing to compare when no lifecycle keyword is on either parameter or on the operation: skips three pointer
  // lookups per parameter, most of the parameter family's time on a large contract.
  if (!b.deprecated && !r.deprecated && !mayCarryWatched(ctx.base, b.pointer) && !mayCarryWatched(ctx.revision, r.pointer) && !mayCarryWatched(ctx.revision, op.pointer)) return;
  const inherited = stabilityOf(rawAt(ctx.revision, op.pointer));
  compareLifecycleOf(ctx, { deprecated: b.deprecated, raw: rawAt(ctx.base, b.pointer) }, { deprecated: r.deprecated, raw: rawAt(ctx.revision, r.pointer) }, PARAMETER, emit, inherited);
}

/** A property's schema objects on both sides (undefined where unreadable); see schema-keywords.ts watchedRaw. */
export function comparePropertyLifecycle(ctx: DiffContext, base: Record<string, unknown> | undefined, revision: Record<string, unknown> | undefined, emit: Emit): void {
  const side = (raw: Record<string, unknown> | undefined): LifecycleSide => ({ deprecated: raw?.['deprecated'] === true, raw });
  compareLifecycleOf(ctx, side(base), side(revision), PROPERTY, emit);
}
