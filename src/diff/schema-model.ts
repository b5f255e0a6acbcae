import type { IrEnum, IrNamedSchema, IrSchema } from '../ir/types.js';
import type { Side } from './context.js';

export type Concrete = Exclude<IrSchema, { kind: 'ref' | 'const' }>;

/** A schema with its `ref` chain followed: what the value really is, plus what the ref sites added. */
export interface Resolved {
  schema: Concrete;
  /** The first named schema on the chain, if any. */
  named?: IrNamedSchema;
  /** The last named schema on the chain: the one whose content `schema` is (differs from `named` for aliases). */
  owner?: IrNamedSchema;
  nullable: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  hasDefault: boolean;
  default?: unknown;
}

/** Follow refs into `ir.schemas`; a ref site's annotations (nullable, default, readOnly) win over the target's. */
export function resolve(side: Side, schema: IrSchema): Resolved {
  let current: IrSchema = schema;
  let named: IrNamedSchema | undefined;
  let owner: IrNamedSchema | undefined;
  let nullable = false;
  let readOnly = false;
  let writeOnly = false;
  let hasDefault = false;
  let defaultValue: unknown;
  // Made on the second ref of a chain only: most schemas are not refs, or one ref to a concrete schema.
  let seen: Set<string> | undefined;
  let first: string | undefined;
  for (;;) {
    nullable ||= current.nullable === true;
    readOnly ||= current.readOnly === true;
    writeOnly ||= current.writeOnly === true;
    if (!hasDefault && current.default !== undefined) {
      hasDefault = true;
      defaultValue = current.default;
    }
    // The IR wraps a discriminated oneOf in a one-member allOf; that wrapper adds nothing to compare.
    if (current.kind === 'intersection' && current.members.length === 1 && !current.discriminator) {
      current = current.members[0] as IrSchema;
      continue;
    }
    if (current.kind !== 'ref') break;
    const target = side.schemas.get(current.name);
    if (!target || current.name === first || seen?.has(current.name)) {
      current = { kind: 'any', pointer: current.pointer };
      break;
    }
    if (first === undefined) first = current.name;
    else (seen ??= new Set([first])).add(current.name);
    // The first name on the chain is the one the document used here (`Item` even when Item is an alias of Base).
    named ??= target;
    owner = target;
    current = target.schema;
  }
  // A const is an enum of one value; folding it here lets every rule treat the two alike.
  const concrete: Concrete = current.kind === 'const' ? (current.value === null ? { kind: 'null', pointer: current.pointer } : constToEnum(current.value, current.pointer)) : current;
  const resolved: Resolved = { schema: concrete, nullable: nullable || concrete.kind === 'any' || concrete.kind === 'null', readOnly, writeOnly, hasDefault };
  if (named) resolved.named = named;
  if (owner) resolved.owner = owner;
  if (hasDefault) resolved.default = defaultValue;
  return resolved;
}

function constToEnum(value: string | number | boolean, pointer: string): IrEnum {
  return { kind: 'enum', values: [value], pointer };
}

export type ValueFamily = 'string' | 'integer' | 'number' | 'boolean' | 'mixed';

/** The primitive type an enum's values belong to. */
export function enumFamily(schema: IrEnum): ValueFamily {
  if (schema.baseType) return schema.baseType;
  const kinds = new Set(schema.values.map((value) => (typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value)));
  if (kinds.size === 1) return [...kinds][0] as ValueFamily;
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('number')) return 'number';
  return 'mixed';
}

/** Short human name of a schema for messages. */
export function describe(side: Side, schema: IrSchema): string {
  if (schema.kind === 'ref') return schema.name;
  const concrete = resolve(side, schema).schema;
  switch (concrete.kind) {
    case 'enum':
      return `enum(${concrete.values.map((value) => JSON.stringify(value)).join(', ')})`;
    case 'string':
    case 'number':
    case 'integer':
      return concrete.format ? `${concrete.kind}(${concrete.format})` : concrete.kind;
    case 'array':
      return `array of ${describe(side, concrete.items)}`;
    case 'object':
      return concrete.properties.length === 0 ? 'object' : `object{${concrete.properties.map((property) => property.name).slice(0, 4).join(', ')}${concrete.properties.length > 4 ? ', …' : ''}}`;
    case 'union':
      return concrete.members.map((member) => describe(side, member)).join(concrete.mode === 'oneOf' ? ' | ' : ' or ');
    case 'intersection':
      return concrete.members.map((member) => describe(side, member)).join(' & ');
    default:
      return concrete.kind;
  }
}

/**
 * A canonical id of a schema's content (names, pointers and documentation left out), used only to pair up
 * union/allOf members. Pairs are still compared in full, so a collision costs precision, never a missed change.
 * Recursive named schemas are summarised shallowly, which keeps this linear in the schema graph. Hash-consed:
 * each node's text names its children by id, and `intern` (shared by both sides) maps texts to ids.
 */
const MAX_SIGNATURE_DEPTH = 200;

/** One side's signatures: by schema node, and (for recursive types) by named schema. */
export type SignatureCache = Map<IrSchema | IrNamedSchema, string>;

export function signature(side: Side, schema: IrSchema, cache: SignatureCache, intern: Map<string, string>): string {
  let depth = 0;
  return sig(schema);

  // Context-free (recursive types are cut off shallowly), so every node's signature is cached by identity.
  function sig(node: IrSchema): string {
    const cached = cache.get(node);
    if (cached !== undefined) return cached;
    // A long chain of distinct named types must not overflow the stack: past a depth, a ref is summarised by its
    // name (less precise pairing, never a missed change: pairs are compared in full).
    if (depth > MAX_SIGNATURE_DEPTH && node.kind === 'ref') return `ref(${JSON.stringify(node.name)})`;
    depth++;
    try {
      return sigOf(node);
    } finally {
      depth--;
    }
  }

  function sigOf(node: IrSchema): string {
    const flags = node.nullable || node.readOnly || node.writeOnly || node.default !== undefined ? `${node.nullable ? '?' : ''}${node.readOnly ? 'r' : ''}${node.writeOnly ? 'w' : ''}${node.default === undefined ? '' : `=${JSON.stringify(node.default)}`}` : '';
    let text: string;
    if (node.kind === 'ref') {
      const target = side.schemas.get(node.name);
      // A recursive type keeps its name: shallow summaries of different recursive types often look alike. Its id
      // is the same for every ref to it, so it is kept once per type (under the named schema, never a node).
      text = !target ? 'any' : target.recursive ? recursiveId(target) : sig(target.schema);
      // A plain ref is its target: same id.
      if (target && flags === '') {
        cache.set(node, text);
        return text;
      }
    } else text = body(node);
    const id = internText(text + flags);
    cache.set(node, id);
    return id;
  }

  function recursiveId(target: IrNamedSchema): string {
    let id = cache.get(target);
    if (id === undefined) {
      id = internText(`rec(${JSON.stringify(target.name)}:${shallow(target.schema)})`);
      cache.set(target, id);
    }
    return id;
  }

  function internText(text: string): string {
    let id = intern.get(text);
    if (id === undefined) {
      id = `#${intern.size}`;
      intern.set(text, id);
    }
    return id;
  }

  function body(node: Exclude<IrSchema, { kind: 'ref' }>): string {
    switch (node.kind) {
      case 'string':
        return `s(${node.format ?? ''},${node.minLength ?? ''},${node.maxLength ?? ''},${node.pattern ?? ''})`;
      case 'number':
      case 'integer':
        return `${node.kind[0]}(${node.format ?? ''},${node.minimum ?? ''},${node.maximum ?? ''},${node.exclusiveMinimum ?? ''},${node.exclusiveMaximum ?? ''},${node.multipleOf ?? ''})`;
      case 'enum':
        return `e(${node.values.map((value) => JSON.stringify(value)).sort().join(',')})`;
      case 'const':
        return `e(${JSON.stringify(node.value)})`;
      case 'array':
        return `a(${sig(node.items)},${(node.prefixItems ?? []).map(sig).join(';')},${node.minItems ?? ''},${node.maxItems ?? ''},${node.uniqueItems ? 'u' : ''})`;
      case 'object': {
        const props = [...node.properties].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((p) => `${JSON.stringify(p.name)}${p.required ? '!' : ''}:${sig(p.schema)}`);
        const extra = typeof node.additionalProperties === 'boolean' ? String(node.additionalProperties) : sig(node.additionalProperties);
        return `o{${props.join(',')}}[${extra}]${discriminatorSig(node.discriminator)}`;
      }
      case 'union':
        return `${node.mode}(${node.members.map(sig).sort().join('|')})${discriminatorSig(node.discriminator)}`;
      case 'intersection':
        return `all(${node.members.map(sig).sort().join('&')})${discriminatorSig(node.discriminator)}`;
      default:
        return node.kind;
    }
  }

}

/** A recursive type's summary for signatures, once per node: every ref to it asks again. */
const shallowSummaries = new WeakMap<IrSchema, string>();

function shallow(node: IrSchema): string {
  if (node.kind !== 'object') return node.kind;
  let summary = shallowSummaries.get(node);
  if (summary === undefined) {
    summary = `o{${node.properties.map((p) => p.name).sort().join(',')}}`;
    shallowSummaries.set(node, summary);
  }
  return summary;
}

function discriminatorSig(discriminator: { propertyName: string; mapping: Array<{ value: string }> } | undefined): string {
  if (!discriminator) return '';
  return `/d:${discriminator.propertyName}(${discriminator.mapping.map((entry) => entry.value).sort().join(',')})`;
}

/** Equal JSON values (used for defaults). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, canonical(record[key])]));
  }
  return value;
}
