import type { IrDiscriminator, IrIntersection, IrObject, IrProperty, IrSchema } from '../../ir/types.js';
import { rawAt, type DiffContext, type Finding, type Side } from '../context.js';
import { describe, enumFamily, resolve, signature, type Concrete, type SignatureCache } from '../schema-model.js';
import { at, compareSchemas, emitSchema, subject, type SchemaScope } from './schema.js';

/** Schema family, part 3: oneOf/anyOf/allOf members and discriminators. Members are paired by content first. */

/** A schema standing in as the single member of a union/allOf on the other side; its annotations were compared already. */
function asMember(schema: Concrete): IrSchema {
  const copy: IrSchema = { ...schema };
  delete copy.nullable;
  delete copy.default;
  return copy;
}

function coarseKind(side: Side, schema: IrSchema): string {
  const concrete = resolve(side, schema).schema;
  if (concrete.kind === 'integer') return 'number';
  if (concrete.kind === 'enum') {
    const family = enumFamily(concrete);
    return family === 'integer' ? 'number' : family;
  }
  return concrete.kind;
}

function propertyNames(side: Side, schema: IrSchema): Set<string> {
  const concrete = resolve(side, schema).schema;
  if (concrete.kind === 'object') return new Set(concrete.properties.map((p) => p.name));
  if (concrete.kind === 'intersection') {
    const flat = flattenIntersection(side, concrete);
    if (flat) return new Set(flat.properties.map((p) => p.name));
  }
  return new Set();
}

interface Pairing {
  pairs: Array<[number, number]>;
  removed: number[];
  added: number[];
}

/** Pair members: identical content, then the same discriminator value, then the same named type, then the closest shape. */
export function pairMembers(ctx: DiffContext, bm: IrSchema[], rm: IrSchema[], bd?: IrDiscriminator, rd?: IrDiscriminator): Pairing {
  const { signatures } = ctx.schemaState;
  const bSig = bm.map((member) => signature(ctx.base, member, signatures.base, signatures.intern));
  const rSig = rm.map((member) => signature(ctx.revision, member, signatures.revision, signatures.intern));
  const bFree = new Set(bm.keys());
  const rFree = new Set(rm.keys());
  const pairs: Array<[number, number]> = [];
  const take = (i: number, j: number): void => {
    pairs.push([i, j]);
    bFree.delete(i);
    rFree.delete(j);
  };
  const firstFree = (predicate: (j: number) => boolean): number | undefined => [...rFree].find(predicate);
  for (const i of [...bFree]) {
    const j = firstFree((candidate) => rSig[candidate] === bSig[i]);
    if (j !== undefined) take(i, j);
  }
  const bNames = bm.map((member) => resolve(ctx.base, member).named?.name);
  const rNames = rm.map((member) => resolve(ctx.revision, member).named?.name);
  if (bd && rd) {
    for (const entry of bd.mapping) {
      const other = rd.mapping.find((candidate) => candidate.value === entry.value);
      if (!other) continue;
      const i = [...bFree].find((index) => bNames[index] === entry.schema);
      const j = firstFree((index) => rNames[index] === other.schema);
      if (i !== undefined && j !== undefined) take(i, j);
    }
  }
  for (const i of [...bFree]) {
    if (bNames[i] === undefined) continue;
    const j = firstFree((candidate) => rNames[candidate] === bNames[i]);
    if (j !== undefined) take(i, j);
  }
  for (const i of [...bFree]) {
    const member = bm[i] as IrSchema;
    const kind = coarseKind(ctx.base, member);
    const candidates = [...rFree].filter((j) => coarseKind(ctx.revision, rm[j] as IrSchema) === kind);
    if (candidates.length === 0) continue;
    if (kind !== 'object' && kind !== 'intersection') {
      take(i, candidates[0] as number);
      continue;
    }
    const names = propertyNames(ctx.base, member);
    let best: number | undefined;
    let bestScore = 0;
    for (const j of candidates) {
      const other = propertyNames(ctx.revision, rm[j] as IrSchema);
      const score = [...names].filter((name) => other.has(name)).length / Math.max(1, new Set([...names, ...other]).size);
      if (score > bestScore || (best === undefined && names.size === 0 && other.size === 0)) {
        best = j;
        bestScore = score;
      }
    }
    if (best !== undefined) take(i, best);
  }
  return { pairs, removed: [...bFree], added: [...rFree] };
}

export function compareUnions(ctx: DiffContext, b: Concrete, r: Concrete, scope: SchemaScope): Finding[] {
  const out: Finding[] = [];
  const bm = b.kind === 'union' ? b.members : [asMember(b)];
  const rm = r.kind === 'union' ? r.members : [asMember(r)];
  const mode = r.kind === 'union' ? r.mode : b.kind === 'union' ? b.mode : 'oneOf';
  if (b.kind === 'union' && r.kind === 'union' && b.mode !== r.mode) {
    const tighter = r.mode === 'oneOf';
    const what = `${b.mode} became ${r.mode}${tighter ? ': a value matching several alternatives is now invalid' : ''}`;
    out.push(emitSchema(ctx, scope, tighter ? 'constraint-tightened' : 'constraint-loosened', what, b, r));
  }
  const bd = b.kind === 'union' ? b.discriminator : undefined;
  const rd = r.kind === 'union' ? r.discriminator : undefined;
  const { pairs, removed, added } = pairMembers(ctx, bm, rm, bd, rd);
  for (const i of removed) out.push(emitSchema(ctx, scope, 'union-member-removed', `${mode} member ${describe(ctx.base, bm[i] as IrSchema)} removed`, bm[i], r));
  // oasdiff reports wrapping for bodies only; a named type's shape is compared once for all its uses, so at the root of
  // a scope (a body, parameter, header or named type) it counts, and an inline property gains a member as usual.
  if (added.length > 0 && scope.path === '' && wrappedInOneOf(ctx, b, r)) {
    const others = added.map((j) => describe(ctx.revision, rm[j] as IrSchema)).join(', ');
    out.push(emitSchema(ctx, scope, 'schema-wrapped-in-one-of', `now a oneOf of the old schema and ${others}`, b, r));
  } else for (const j of added) out.push(emitSchema(ctx, scope, 'union-member-added', `${mode} member ${describe(ctx.revision, rm[j] as IrSchema)} added`, b, rm[j]));
  for (const [i, j] of pairs) out.push(...compareSchemas(ctx, bm[i] as IrSchema, rm[j] as IrSchema, at(scope, ` (${mode} #${j + 1})`)));
  out.push(...compareDiscriminators(ctx, { pointer: b.pointer, ...(bd ? { discriminator: bd } : {}) }, { pointer: r.pointer, ...(rd ? { discriminator: rd } : {}) }, scope));
  return out;
}

/** A plain schema that became a oneOf keeping itself as one alternative (oasdiff's -wrapped-in-one-of checks). */
function wrappedInOneOf(ctx: DiffContext, b: Concrete, r: Concrete): boolean {
  if (b.kind === 'union' || r.kind !== 'union' || r.mode !== 'oneOf') return false;
  const { signatures } = ctx.schemaState;
  const own = signature(ctx.base, asMember(b), signatures.base, signatures.intern);
  return r.members.some((member) => signature(ctx.revision, member, signatures.revision, signatures.intern) === own);
}

/** Whether the side that is not an allOf has exactly the content of one of the other side's members. */
export function isMemberOf(ctx: DiffContext, b: Concrete, r: Concrete): boolean {
  const { signatures } = ctx.schemaState;
  const sig = (side: Side, cache: SignatureCache, schema: IrSchema): string => signature(side, schema, cache, signatures.intern);
  if (b.kind !== 'intersection' && r.kind === 'intersection') {
    const own = sig(ctx.base, signatures.base, asMember(b));
    return r.members.some((member) => sig(ctx.revision, signatures.revision, member) === own);
  }
  if (r.kind !== 'intersection' && b.kind === 'intersection') {
    const own = sig(ctx.revision, signatures.revision, asMember(r));
    return b.members.some((member) => sig(ctx.base, signatures.base, member) === own);
  }
  return false;
}

/**
 * allOf on at least one side. When both flatten to objects the caller compares the flattened objects and only
 * membership is reported here; otherwise paired members are compared one by one.
 */
export function compareIntersections(ctx: DiffContext, b: Concrete, r: Concrete, scope: SchemaScope, membershipOnly: boolean): Finding[] {
  const out: Finding[] = [];
  const bm = b.kind === 'intersection' ? b.members : [asMember(b)];
  const rm = r.kind === 'intersection' ? r.members : [asMember(r)];
  const { pairs, removed, added } = pairMembers(ctx, bm, rm);
  for (const i of removed) {
    const member = bm[i] as IrSchema;
    const note = annotationOnly(ctx.base, member);
    out.push(emitSchema(ctx, scope, note ? 'all-of-annotation-removed' : 'all-of-member-removed', `allOf member ${note ?? describe(ctx.base, member)} removed`, member, r));
  }
  for (const j of added) {
    const member = rm[j] as IrSchema;
    const note = annotationOnly(ctx.revision, member);
    out.push(emitSchema(ctx, scope, note ? 'all-of-annotation-added' : 'all-of-member-added', `allOf member ${note ?? describe(ctx.revision, member)} added`, b, member));
  }
  if (membershipOnly) return out;
  for (const [i, j] of pairs) out.push(...compareSchemas(ctx, bm[i] as IrSchema, rm[j] as IrSchema, at(scope, ` (allOf #${j + 1})`)));
  const bd = b.kind === 'intersection' ? b.discriminator : undefined;
  const rd = r.kind === 'intersection' ? r.discriminator : undefined;
  out.push(...compareDiscriminators(ctx, { pointer: b.pointer, ...(bd ? { discriminator: bd } : {}) }, { pointer: r.pointer, ...(rd ? { discriminator: rd } : {}) }, scope));
  return out;
}

/** Keywords that describe a value without constraining it. readOnly/writeOnly are not among them: they move properties. */
const ANNOTATIONS = new Set(['title', 'description', 'example', 'examples', 'deprecated', '$comment', 'externalDocs']);

/**
 * A member written inline with annotations only (`- description: ...`) accepts every value, so adding or removing it
 * changes no message; returns how to name it, or undefined for a member that constrains.
 */
function annotationOnly(side: Side, member: IrSchema): string | undefined {
  if (member.kind !== 'any') return undefined;
  const raw = rawAt(side, member.pointer);
  if (!raw) return undefined;
  const keys = Object.keys(raw);
  if (!keys.every((key) => ANNOTATIONS.has(key) || key.startsWith('x-'))) return undefined;
  return keys.length === 0 ? '`{}` (no constraint)' : `with only ${keys.map((key) => `\`${key}\``).join(', ')} (no constraint)`;
}

interface WithDiscriminator {
  pointer: string;
  discriminator?: IrDiscriminator;
}

export function compareDiscriminators(ctx: DiffContext, b: WithDiscriminator, r: WithDiscriminator, scope: SchemaScope): Finding[] {
  const bd = b.discriminator;
  const rd = r.discriminator;
  const emit = (id: string, what: string): Finding => ctx.emit(id, scope.direction, subject(scope), what, { base: b.pointer, revision: r.pointer });
  if (!bd && !rd) return [];
  if (!bd && rd) return [emit('discriminator-added', `discriminator on ${JSON.stringify(rd.propertyName)} added`)];
  if (bd && !rd) return [emit('discriminator-removed', `discriminator on ${JSON.stringify(bd.propertyName)} removed`)];
  if (!bd || !rd) return [];
  const out: Finding[] = [];
  if (bd.propertyName !== rd.propertyName) out.push(emit('discriminator-property-changed', `discriminator property changed from ${JSON.stringify(bd.propertyName)} to ${JSON.stringify(rd.propertyName)}`));
  const baseValues = new Set(bd.mapping.map((entry) => entry.value));
  const revisionValues = new Set(rd.mapping.map((entry) => entry.value));
  const removed = bd.mapping.filter((entry) => !revisionValues.has(entry.value)).map((entry) => JSON.stringify(entry.value));
  const added = rd.mapping.filter((entry) => !baseValues.has(entry.value)).map((entry) => JSON.stringify(entry.value));
  if (removed.length > 0) out.push(emit('discriminator-mapping-removed', `discriminator value${removed.length > 1 ? 's' : ''} ${removed.join(', ')} removed`));
  if (added.length > 0) out.push(emit('discriminator-mapping-added', `discriminator value${added.length > 1 ? 's' : ''} ${added.join(', ')} added`));
  const moved = bd.mapping.filter((entry) => {
    const other = rd.mapping.find((candidate) => candidate.value === entry.value);
    return other !== undefined && other.schema !== entry.schema && !sameNamedContent(ctx, entry.schema, other.schema);
  });
  for (const entry of moved) out.push(emit('discriminator-mapping-changed', `discriminator value ${JSON.stringify(entry.value)} now maps to ${rd.mapping.find((c) => c.value === entry.value)?.schema ?? '?'} instead of ${entry.schema}`));
  return out;
}

/** Whether two named schemas (base, revision) have the same content: a renamed target is not a changed mapping. */
function sameNamedContent(ctx: DiffContext, baseName: string, revisionName: string): boolean {
  const b = ctx.base.schemas.get(baseName);
  const r = ctx.revision.schemas.get(revisionName);
  if (!b || !r) return false;
  const { signatures } = ctx.schemaState;
  return signature(ctx.base, b.schema, signatures.base, signatures.intern) === signature(ctx.revision, r.schema, signatures.revision, signatures.intern);
}

/** allOf whose members are all objects (through refs and nested allOf) as the one object it describes; else undefined. */
export function flattenIntersection(side: Side, schema: IrIntersection, sig?: (schema: IrSchema) => string): IrObject | undefined {
  const properties = new Map<string, IrProperty>();
  let additionalProperties: boolean | IrSchema = true;
  let discriminator = schema.discriminator;
  const visit = (member: IrSchema, seen: ReadonlySet<string>): boolean => {
    const resolved = resolve(side, member);
    let path = seen;
    if (resolved.named) {
      if (seen.has(resolved.named.name)) return true;
      path = new Set([...seen, resolved.named.name]);
    }
    const concrete = resolved.schema;
    if (concrete.kind === 'any') return true;
    if (concrete.kind === 'intersection') {
      discriminator ??= concrete.discriminator;
      return concrete.members.every((inner) => visit(inner, path));
    }
    if (concrete.kind !== 'object') return false;
    for (const property of concrete.properties) {
      const existing = properties.get(property.name);
      if (!existing) properties.set(property.name, property);
      else {
        // A `required` entry without its own schema (kind any) yields to the member that describes the property;
        // two members that both describe it both apply (allOf), so a change in either is seen.
        const same = property.schema.kind === 'any' || (sig !== undefined && sig(existing.schema) === sig(property.schema));
        const schemaFrom = existing.schema.kind === 'any' ? property.schema : same ? existing.schema : { kind: 'intersection' as const, members: [existing.schema, property.schema], pointer: property.schema.pointer };
        properties.set(property.name, { name: property.name, required: existing.required || property.required, schema: schemaFrom });
      }
    }
    if (concrete.additionalProperties === false) additionalProperties = false;
    else if (typeof concrete.additionalProperties === 'object' && additionalProperties === true) additionalProperties = concrete.additionalProperties;
    discriminator ??= concrete.discriminator;
    return true;
  };
  if (!schema.members.every((member) => visit(member, new Set()))) return undefined;
  return { kind: 'object', pointer: schema.pointer, properties: [...properties.values()], additionalProperties, ...(discriminator ? { discriminator } : {}) };
}
