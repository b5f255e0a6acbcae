import type { IrNamedSchema, IrSchema, IrUnion } from '../ir/types.js';
import type { FlatProperty, Variant } from './build-expr.js';
import { chain, type ZExpr } from './expr.js';
import { enumExpr } from './primitives.js';

/** What the decision needs from the builder. */
export interface UnionFacts {
  isObjectLike(schema: IrSchema, variant: Variant): boolean;
  flatProperties(schema: IrSchema): FlatProperty[];
  narrowedProperty(name: string): string | undefined;
  named(name: string): IrNamedSchema | undefined;
  schemaOf(name: string): IrSchema | undefined;
  build(schema: IrSchema, variant: Variant): ZExpr;
}

/**
 * `z.discriminatedUnion` is valid when every option is an object whose discriminator property is a required
 * literal, with no value shared between options. The values come from the union's mapping (a member that
 * declares the property as a plain string is extended with them), else from the member itself (an enum or
 * const, or a narrowed allOf subtype: a oneOf of subtypes without a discriminator of its own). A member's own
 * values win over the implicit mapping by component key (see discriminators.ts). Returns undefined (plain union)
 * when that is not possible.
 */
export function discriminatedOptions(facts: UnionFacts, schema: IrUnion, variant: Variant): { propertyName: string; options: ZExpr[] } | undefined {
  const { members, discriminator } = schema;
  if (members.length < 2) return undefined;
  const propertyName = discriminator?.propertyName ?? sharedNarrowedProperty(facts, members);
  if (propertyName === undefined) return undefined;
  const seen = new Set<string>();
  const options: ZExpr[] = [];
  for (const member of members) {
    if (!facts.isObjectLike(member, variant)) return undefined;
    const declared = literalValues(facts, member, propertyName);
    const own = declared?.required ? declared.values : undefined;
    const implicit = member.kind === 'ref' ? facts.named(member.name)?.originalName : undefined;
    const mapped = discriminator && member.kind === 'ref' ? discriminator.mapping.filter((m) => m.schema === member.name && !(declared && m.value === implicit)).map((m) => m.value) : [];
    const values = mapped.length > 0 ? mapped : own;
    if (!values || values.length === 0 || values.some((v) => seen.has(v))) return undefined;
    values.forEach((v) => seen.add(v));
    const built = facts.build(member, variant);
    const same = own !== undefined && own.length === mapped.length && own.every((v) => mapped.includes(v));
    options.push(mapped.length > 0 && !same ? chain(built, 'extend', { k: 'shape', spreads: [], entries: [{ key: propertyName, e: enumExpr(mapped) }] }) : built);
  }
  return { propertyName, options };
}

function sharedNarrowedProperty(facts: UnionFacts, members: IrSchema[]): string | undefined {
  const names = new Set(members.map((m) => (m.kind === 'ref' ? facts.narrowedProperty(m.name) : undefined)));
  const [only] = names;
  return names.size === 1 ? only : undefined;
}

/** The string values a member limits `property` to (enum or const), if it does, and whether it requires it. */
function literalValues(facts: UnionFacts, member: IrSchema, property: string): { values: string[]; required: boolean } | undefined {
  const found = facts.flatProperties(member).find((p) => p.name === property);
  const schema = found?.schema.kind === 'ref' ? facts.schemaOf(found.schema.name) : found?.schema;
  if (!found || !schema || schema.nullable || found.schema.nullable) return undefined;
  const values = schema.kind === 'const' ? [schema.value] : schema.kind === 'enum' ? schema.values : [];
  return values.length > 0 && values.every((v): v is string => typeof v === 'string') ? { values, required: found.required } : undefined;
}
