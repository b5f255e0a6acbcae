import type { IrSchema } from '../../ir/types.js';
import { rawAt, type DiffContext, type Finding, type Side } from '../context.js';
import { sameJson } from '../schema-model.js';
import { toPointer } from '../../load/parse.js';
import { emitSchema, type SchemaScope } from './schema.js';

/**
 * Schema family, part 4: keywords the IR does not model, read from each side's bundled document at the schema's
 * pointer: JSON Schema 2020-12 applicators and assertions (contains, minContains, maxContains, patternProperties,
 * propertyNames, dependentRequired, dependentSchemas, unevaluatedProperties, unevaluatedItems), the content
 * vocabulary (contentMediaType, contentEncoding, contentSchema) and `x-extensible-enum`. A keyword that appears
 * constrains (tightened), one that disappears relaxes (loosened), one whose value changes may do both.
 */

type Raw = Record<string, unknown>;

// if/then/else: a conditional that appears constrains and one that disappears relaxes, whatever the condition.
// contentSchema here only when added or removed; a changed one is content-schema-changed.
// `not` likewise: the IR does not model it (validators leave it unchecked), but a `not` that appears forbids values,
// one that disappears allows them, and any change inside it moves the line (oasdiff reports changes under `not`).
const SCHEMA_KEYWORDS = ['contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'if', 'then', 'else', 'not'] as const;

const WATCHED = new Set([
  'contains', 'minContains', 'maxContains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'patternProperties',
  'dependentSchemas', 'dependentRequired', 'contentMediaType', 'contentEncoding', 'contentSchema', 'x-extensible-enum', 'if', 'then', 'else', 'not',
  // lifecycle keywords on property schemas (deprecation.ts)
  'deprecated', 'x-sunset', 'x-stability-level',
]);
const indexes = new WeakMap<Side, Set<string> | 'all'>();
/** YAML aliases can make a small document a huge tree; past this many visits every schema is simply resolved. */
const MAX_VISITS = 2_000_000;
const MAX_DEPTH = 1_000;

/**
 * Pointers of the objects that carry a watched keyword, found in one walk per side: most schemas carry none, and
 * resolving every compared schema's pointer would cost more than the rest of the comparison.
 */
function watched(side: Side): Set<string> | 'all' {
  let index = indexes.get(side);
  if (index) return index;
  const found = new Set<string>();
  let visits = 0;
  // The pointer is joined only where a keyword is found: building one per node cost more than the whole walk.
  const trail: string[] = [];
  // No set of visited objects (it cost half the walk): a YAML alias that loops is cut by the depth bound instead, and
  // the visit budget turns a blow-up into "resolve every schema".
  const walk = (node: object): void => {
    if (visits++ > MAX_VISITS || trail.length > MAX_DEPTH) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (item === null || typeof item !== 'object') continue;
        trail.push(String(i));
        walk(item);
        trail.pop();
      }
      return;
    }
    const record = node as Record<string, unknown>;
    let marked = false;
    for (const key in record) {
      if (!marked && WATCHED.has(key)) {
        found.add(toPointer(trail));
        marked = true;
      }
      const value = record[key];
      if (value === null || typeof value !== 'object') continue;
      trail.push(key);
      walk(value);
      trail.pop();
    }
  };
  if (side.raw !== null && typeof side.raw === 'object') walk(side.raw);
  index = visits > MAX_VISITS ? 'all' : found;
  indexes.set(side, index);
  return index;
}

/** Whether the object at this pointer may carry a watched keyword (lifecycle ones included); false is certain. */
export function mayCarryWatched(side: Side, pointer: string): boolean {
  const index = watched(side);
  return index === 'all' || index.has(pointer);
}

/** Both sides' schema objects when either carries a watched keyword; undefined (cheaply) when neither does. */
export function watchedRaw(ctx: DiffContext, base: IrSchema, revision: IrSchema): [Raw | undefined, Raw | undefined] | undefined {
  const inBase = watched(ctx.base);
  const inRevision = watched(ctx.revision);
  if (inBase !== 'all' && inRevision !== 'all') {
    // Most documents carry few of these keywords, many none at all.
    if (inBase.size === 0 && inRevision.size === 0) return undefined;
    if (!inBase.has(base.pointer) && !inRevision.has(revision.pointer)) return undefined;
  }
  return [rawAt(ctx.base, base.pointer), rawAt(ctx.revision, revision.pointer)];
}

export function compareKeywords(ctx: DiffContext, base: IrSchema, revision: IrSchema, scope: SchemaScope): Finding[] {
  const [b, r] = watchedRaw(ctx, base, revision) ?? [];
  if (!b || !r) return [];
  const out: Finding[] = [];
  const tightened = (what: string): void => void out.push(emitSchema(ctx, scope, 'constraint-tightened', what, base, revision));
  const loosened = (what: string): void => void out.push(emitSchema(ctx, scope, 'constraint-loosened', what, base, revision));
  for (const keyword of SCHEMA_KEYWORDS) {
    const [bv, rv] = [b[keyword], r[keyword]];
    if (bv === undefined && rv === undefined) continue;
    if (bv === undefined) tightened(`\`${keyword}\` added`);
    else if (rv === undefined) loosened(`\`${keyword}\` removed`);
    else if (!sameJson(bv, rv)) {
      tightened(`\`${keyword}\` changed`);
      loosened(`\`${keyword}\` changed`);
    }
  }
  compareCounts(b, r, tightened, loosened);
  compareMaps(b, r, 'patternProperties', tightened, loosened);
  compareMaps(b, r, 'dependentSchemas', tightened, loosened);
  compareDependentRequired(b, r, tightened, loosened);
  for (const keyword of ['contentMediaType', 'contentEncoding'] as const) {
    if (!sameJson(b[keyword], r[keyword])) out.push(emitSchema(ctx, scope, 'content-encoding-changed', `\`${keyword}\` changed from ${show(b[keyword])} to ${show(r[keyword])}`, base, revision));
  }
  const [bc, rc] = [b['contentSchema'], r['contentSchema']];
  if (bc === undefined && rc !== undefined) tightened('`contentSchema` added');
  else if (bc !== undefined && rc === undefined) loosened('`contentSchema` removed');
  else if (!sameJson(bc, rc)) out.push(emitSchema(ctx, scope, 'content-schema-changed', '`contentSchema` changed', base, revision));
  const bx = values(b['x-extensible-enum']);
  const rx = values(r['x-extensible-enum']);
  const removed = bx.filter((value) => !rx.includes(value));
  const added = rx.filter((value) => !bx.includes(value));
  if (removed.length > 0) out.push(emitSchema(ctx, scope, 'extensible-enum-value-removed', `x-extensible-enum value${removed.length > 1 ? 's' : ''} ${removed.join(', ')} removed`, base, revision));
  if (added.length > 0) out.push(emitSchema(ctx, scope, 'extensible-enum-value-added', `x-extensible-enum value${added.length > 1 ? 's' : ''} ${added.join(', ')} added`, base, revision));
  return out;
}

const show = (value: unknown): string => (value === undefined ? 'none' : JSON.stringify(value));
const values = (value: unknown): string[] => (Array.isArray(value) ? value.map((item) => JSON.stringify(item)) : []);
const count = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** minContains (default 1 when contains is present) and maxContains (default unbounded). */
function compareCounts(b: Raw, r: Raw, tightened: (what: string) => void, loosened: (what: string) => void): void {
  if (b['contains'] === undefined || r['contains'] === undefined) return;
  const [bMin, rMin] = [count(b['minContains']) ?? 1, count(r['minContains']) ?? 1];
  if (rMin > bMin) tightened(`minContains raised from ${bMin} to ${rMin}`);
  if (rMin < bMin) loosened(`minContains lowered from ${bMin} to ${rMin}`);
  const [bMax, rMax] = [count(b['maxContains']) ?? Infinity, count(r['maxContains']) ?? Infinity];
  if (rMax < bMax) tightened(`maxContains lowered from ${bMax} to ${rMax}`);
  if (rMax > bMax) loosened(`maxContains raised from ${bMax} to ${rMax}`);
}

/** patternProperties / dependentSchemas: an entry added constrains, removed relaxes, changed may do both. */
function compareMaps(b: Raw, r: Raw, keyword: string, tightened: (what: string) => void, loosened: (what: string) => void): void {
  const bm = asRecord(b[keyword]);
  const rm = asRecord(r[keyword]);
  for (const key of Object.keys(rm)) if (!(key in bm)) tightened(`${keyword} entry ${JSON.stringify(key)} added`);
  for (const key of Object.keys(bm)) {
    if (!(key in rm)) loosened(`${keyword} entry ${JSON.stringify(key)} removed`);
    else if (!sameJson(bm[key], rm[key])) {
      tightened(`${keyword} entry ${JSON.stringify(key)} changed`);
      loosened(`${keyword} entry ${JSON.stringify(key)} changed`);
    }
  }
}

function compareDependentRequired(b: Raw, r: Raw, tightened: (what: string) => void, loosened: (what: string) => void): void {
  const bm = asRecord(b['dependentRequired']);
  const rm = asRecord(r['dependentRequired']);
  for (const key of new Set([...Object.keys(bm), ...Object.keys(rm)])) {
    const before = values(bm[key]);
    const after = values(rm[key]);
    const added = after.filter((name) => !before.includes(name));
    const removed = before.filter((name) => !after.includes(name));
    // An entry present on both sides that changed is reported both ways, as oasdiff does (its -changed check is an
    // error for requests and responses alike), so concord's profile stays a superset.
    const changed = before.length > 0 && after.length > 0 && added.length + removed.length > 0;
    if (added.length > 0 || changed) tightened(`dependentRequired: with ${JSON.stringify(key)}, ${describeNames(added, removed)}`);
    if (removed.length > 0 || changed) loosened(`dependentRequired: with ${JSON.stringify(key)}, ${describeNames(added, removed)}`);
  }
}

function describeNames(added: string[], removed: string[]): string {
  const parts = [added.length > 0 ? `${added.join(', ')} now required` : '', removed.length > 0 ? `${removed.join(', ')} no longer required` : ''];
  return parts.filter((part) => part !== '').join('; ');
}

function asRecord(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}
