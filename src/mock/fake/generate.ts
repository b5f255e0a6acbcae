import type { IrArray, IrNamedSchema, IrObject, IrSchema, IrUnion } from '../../ir/types.js';
import { fakeNumber } from './numbers.js';
import { fakeString } from './strings.js';
import { isRecord, keyFor, numberExampleFits, setOwn, specificity, stringExampleFits } from './choices.js';
import type { Rng } from './prng.js';

export type FakeVariant = 'full' | 'request' | 'response';

export interface FakeOptions {
  schemas: readonly IrNamedSchema[];
  /** `response` leaves out writeOnly properties, `request` readOnly ones, exactly as the validators do. */
  variant: FakeVariant;
  /** Below this depth optional members are left out, arrays take their minimum and unions avoid recursion. */
  maxDepth?: number;
  /** Validates a value against a named schema; lets the generator retry just the subtree that failed. */
  check?: (name: string, value: unknown) => boolean;
}

/** readOnly/writeOnly of merged property schemas: any member marking it marks the whole. */
function flags(schemas: IrSchema[]): { readOnly?: true; writeOnly?: true } {
  return {
    ...(schemas.some((s) => s.readOnly === true) ? { readOnly: true } : {}),
    ...(schemas.some((s) => s.writeOnly === true) ? { writeOnly: true } : {}),
  };
}

/** Marks a member that cannot be produced (`never`), so its object leaves it out. */
const OMIT: unique symbol = Symbol('omit');
type Out = unknown;

const HARD_DEPTH = 40;

/**
 * Seeded data from IR schemas: formats, enums, const, bounds, lengths, patterns, multipleOf, required members,
 * allOf/oneOf/anyOf, discriminators and recursion. Deterministic for a given Rng. Callers verify the result with
 * the response validator; the generator aims to make that verification pass the first time.
 */
export class FakeGenerator {
  private readonly byName: Map<string, IrNamedSchema>;
  private readonly maxDepth: number;
  private inherited: Map<string, Array<{ property: string; value: string }>> | undefined;
  private readonly stack: string[] = [];
  private minimal = false;

  constructor(private readonly options: FakeOptions) {
    this.byName = new Map(options.schemas.map((s) => [s.name, s]));
    this.maxDepth = options.maxDepth ?? 4;
  }

  /** `minimal`: required members only (what a created item needs beside what the client sent). */
  generate(schema: IrSchema, rng: Rng, options: { minimal?: boolean } = {}): unknown {
    this.stack.length = 0;
    this.minimal = options.minimal === true;
    const value = this.gen(schema, rng, 0, undefined);
    return value === OMIT ? null : value;
  }

  private gen(schema: IrSchema, rng: Rng, depth: number, hint: string | undefined): Out {
    if (depth > HARD_DEPTH) return null;
    if (schema.nullable === true && depth > this.maxDepth) return null;
    switch (schema.kind) {
      case 'ref':
        return this.ref(schema.name, rng, depth, hint);
      case 'any':
        return depth === 0 ? {} : rng.pick(['value', 1, true]);
      case 'never':
        return OMIT;
      case 'null':
        return null;
      case 'boolean':
        return this.example(schema, (v) => typeof v === 'boolean') ?? rng.chance(0.5);
      case 'string':
        return this.example(schema, (v) => stringExampleFits(v, schema)) ?? fakeString(schema, rng, hint) ?? 'string';
      case 'number':
      case 'integer':
        return this.example(schema, (v) => numberExampleFits(v, schema)) ?? fakeNumber(schema, rng);
      case 'enum':
        return rng.pick(schema.values);
      case 'const':
        return schema.value;
      case 'array':
        return this.array(schema, rng, depth, hint);
      case 'object':
        return this.object(schema, rng, depth);
      case 'union':
        return this.union(schema, rng, depth, hint);
      case 'intersection':
        return this.intersection(schema.members, rng, depth, hint);
    }
  }

  private example(schema: IrSchema, fits: (value: unknown) => boolean): unknown {
    const first = schema.examples?.[0];
    return first !== undefined && fits(first) ? first : undefined;
  }

  private ref(name: string, rng: Rng, depth: number, hint: string | undefined): Out {
    const named = this.byName.get(name);
    if (named === undefined) return {};
    const check = this.options.check;
    this.stack.push(name);
    let value: Out = OMIT;
    try {
      for (let attempt = 0; attempt < (check ? 4 : 1); attempt++) {
        value = this.gen(named.schema, attempt === 0 ? rng : rng.fork(`retry${attempt}`), depth, hint);
        this.applyInherited(name, value);
        if (!check || value === OMIT || check(name, value)) break;
      }
    } finally {
      this.stack.pop();
    }
    return value;
  }

  /** allOf subtypes: a parent's discriminator property takes the value its mapping gives the subtype. */
  private applyInherited(name: string, value: Out): void {
    if (!isRecord(value)) return;
    this.inherited ??= this.collectInherited();
    for (const { property, value: tag } of this.inherited.get(name) ?? []) {
      if (this.allows({ kind: 'ref', name, pointer: '' }, property, tag)) setOwn(value, property, tag);
    }
  }

  /**
   * Whether `property` of `schema` may hold `value`: an implicit mapping names the schema (`FileSearchToolCall`)
   * while the member itself pins the property (`enum: [file_search_call]`); the member's own values win.
   */
  private allows(schema: IrSchema, property: string, value: string): boolean {
    const declared = this.mergeObjects([schema])?.properties.find((p) => p.name === property)?.schema;
    if (declared === undefined) return true;
    const pinned = (s: IrSchema): boolean => {
      const r = this.resolve(s);
      if (r.kind === 'enum') return r.values.includes(value);
      if (r.kind === 'const') return r.value === value;
      if (r.kind === 'intersection') return r.members.every(pinned);
      return true;
    };
    return pinned(declared);
  }

  private collectInherited(): Map<string, Array<{ property: string; value: string }>> {
    const map = new Map<string, Array<{ property: string; value: string }>>();
    for (const named of this.options.schemas) {
      const schema = named.schema;
      const discriminator = schema.kind === 'object' || schema.kind === 'intersection' ? schema.discriminator : undefined;
      if (!discriminator) continue;
      for (const entry of discriminator.mapping) {
        const list = map.get(entry.schema) ?? [];
        if (!list.some((e) => e.property === discriminator.propertyName)) list.push({ property: discriminator.propertyName, value: entry.value });
        map.set(entry.schema, list);
      }
    }
    return map;
  }

  private recursiveRisk(schema: IrSchema): boolean {
    if (schema.kind === 'ref') return this.stack.includes(schema.name) || this.byName.get(schema.name)?.recursive === true;
    return schema.kind === 'object' || schema.kind === 'array' || schema.kind === 'intersection';
  }

  private union(schema: IrUnion, rng: Rng, depth: number, hint: string | undefined): Out {
    const count = schema.members.length;
    if (count === 0) return null;
    const start = rng.int(0, count - 1);
    let order = schema.members.map((_, i) => schema.members[(start + i) % count] as IrSchema);
    if (depth >= this.maxDepth) order = [...order.filter((m) => !this.recursiveRisk(m)), ...order.filter((m) => this.recursiveRisk(m))];
    const member = order[0] as IrSchema;
    const value = this.gen(member, rng, depth, hint);
    const discriminator = schema.discriminator;
    if (discriminator && member.kind === 'ref' && isRecord(value)) {
      const tag = discriminator.mapping.find((m) => m.schema === member.name);
      if (tag && this.allows(member, discriminator.propertyName, tag.value)) setOwn(value, discriminator.propertyName, tag.value);
    }
    return value;
  }

  private resolve(schema: IrSchema): IrSchema {
    let current = schema;
    for (let i = 0; i < 16 && current.kind === 'ref'; i++) current = this.byName.get(current.name)?.schema ?? { kind: 'any', pointer: '' };
    return current;
  }

  /** The JSON type a schema pins down, if it pins one. */
  private kindOf(schema: IrSchema, depth = 0): string | undefined {
    const s = this.resolve(schema);
    switch (s.kind) {
      case 'object':
      case 'array':
      case 'string':
      case 'boolean':
      case 'null':
        return s.kind;
      case 'number':
      case 'integer':
        return 'number';
      case 'enum':
        return s.values[0] === undefined ? undefined : typeof s.values[0];
      case 'const':
        return s.value === null ? 'null' : typeof s.value;
      case 'intersection':
        return depth > 8 ? undefined : s.members.map((m) => this.kindOf(m, depth + 1)).find((k) => k !== undefined);
      default:
        return undefined;
    }
  }

  /**
   * allOf of objects as one object: a property declared by several members must satisfy all of them (whether
   * the validator lets the last one win or checks each), so its schema is their intersection; `any` members and
   * `any` property schemas (a bare `required` entry) add nothing.
   */
  private mergeObjects(members: IrSchema[]): IrObject | undefined {
    const slots = new Map<string, { required: boolean; schemas: IrSchema[] }>();
    const seen = new Set<string>();
    const visit = (member: IrSchema): boolean => {
      if (member.kind === 'any') return true;
      if (member.kind === 'ref') {
        if (seen.has(member.name)) return true;
        seen.add(member.name);
        const target = this.byName.get(member.name);
        return target !== undefined && !target.schema.nullable && visit(target.schema);
      }
      if (member.kind === 'intersection') return member.members.every(visit);
      if (member.kind !== 'object' || member.nullable) return false;
      for (const property of member.properties) {
        const slot = slots.get(property.name) ?? { required: false, schemas: [] };
        slot.required ||= property.required;
        if (property.schema.kind !== 'any') slot.schemas.push(property.schema);
        slots.set(property.name, slot);
      }
      return true;
    };
    if (!members.every(visit) || slots.size === 0) return undefined;
    const properties = [...slots].map(([name, slot]) => ({
      name,
      required: slot.required,
      schema: slot.schemas.length === 0 ? ({ kind: 'any', pointer: '' } as const) : slot.schemas.length === 1 ? (slot.schemas[0] as IrSchema) : ({ kind: 'intersection', members: slot.schemas, pointer: '', ...flags(slot.schemas) } as const),
    }));
    return { kind: 'object', pointer: '', properties, additionalProperties: true };
  }

  private intersection(members: IrSchema[], rng: Rng, depth: number, hint: string | undefined): Out {
    // (A | B) & C is (A & C) | (B & C): keep the union alternatives whose JSON type the other members allow.
    const kinds = new Set(members.map((m) => this.kindOf(m)).filter((k): k is string => k !== undefined));
    const narrowed = members.map((member) => {
      const resolved = this.resolve(member);
      if (resolved.kind !== 'union' || kinds.size === 0) return member;
      const fitting = resolved.members.filter((m) => kinds.has(this.kindOf(m) ?? ''));
      return fitting.length > 0 ? rng.pick(fitting) : member;
    });
    const resolved = narrowed.map((m) => this.resolve(m));
    if (resolved.length > 1 && resolved.every((r) => r.kind === 'array')) {
      const arrays = resolved as IrArray[];
      const merged: IrArray = {
        kind: 'array',
        pointer: arrays[0]?.pointer ?? '',
        items: { kind: 'intersection', members: arrays.map((a) => a.items).filter((item) => item.kind !== 'any'), pointer: '' },
      };
      const mins = arrays.map((a) => a.minItems).filter((n): n is number => n !== undefined);
      const maxes = arrays.map((a) => a.maxItems).filter((n): n is number => n !== undefined);
      if (mins.length > 0) merged.minItems = Math.max(...mins);
      if (maxes.length > 0) merged.maxItems = Math.min(...maxes);
      if (arrays.some((a) => a.uniqueItems === true)) merged.uniqueItems = true;
      return this.array(merged, rng, depth, hint);
    }
    const merged = this.mergeObjects(narrowed);
    if (merged) return this.object(merged, rng, depth);
    const values = narrowed.map((member, index) => this.gen(member, rng.fork(index), depth, hint)).filter((v) => v !== OMIT);
    if (values.length === 0) return {};
    if (values.every(isRecord)) {
      const merged: Record<string, unknown> = {};
      for (const value of values) for (const [key, item] of Object.entries(value)) setOwn(merged, key, item);
      return merged;
    }
    // allOf over non-objects (`type: string` beside a oneOf of consts): the most specific member speaks for all.
    let best = 0;
    narrowed.forEach((member, index) => {
      if (specificity(member) >= specificity(narrowed[best] as IrSchema)) best = index;
    });
    return this.gen(narrowed[best] as IrSchema, rng.fork(best), depth, hint);
  }

  private array(schema: IrArray, rng: Rng, depth: number, hint: string | undefined): Out {
    const min = schema.minItems ?? 0;
    const max = schema.maxItems ?? Infinity;
    // Every declared tuple position is filled (a realistic value has them), up to maxItems; positions are
    // optional, so one that cannot be generated ends the array there.
    const prefix = (schema.prefixItems ?? []).slice(0, max);
    const out: unknown[] = [];
    for (const [index, item] of prefix.entries()) {
      const value = this.gen(item, rng.fork(`p${index}`), depth + 1, hint);
      if (value === OMIT) break;
      out.push(value);
    }
    // Past a tuple's prefix, `items` absent (any) adds only what minItems asks for; `items: false` adds nothing.
    if (out.length < prefix.length || schema.items.kind === 'never' || (prefix.length > 0 && schema.items.kind === 'any' && out.length >= min)) return out;
    const wanted = depth >= this.maxDepth ? min : Math.min(max, Math.max(min, rng.int(1, 2)));
    const seen = new Set<string>(schema.uniqueItems === true ? out.map((value) => JSON.stringify(value)) : []);
    let guard = wanted * 8 + 8;
    while (out.length < Math.max(wanted, prefix.length) && guard-- > 0) {
      const item = this.gen(schema.items, rng, depth + 1, hint);
      if (item === OMIT) break;
      if (schema.uniqueItems === true) {
        const key = JSON.stringify(item);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push(item);
    }
    return out;
  }

  private object(schema: IrObject, rng: Rng, depth: number): Out {
    const out: Record<string, unknown> = {};
    const variant = this.options.variant;
    const optional: Array<{ name: string; schema: IrSchema }> = [];
    const includeOptional = this.minimal || depth >= this.maxDepth ? 0 : depth <= 1 ? 0.85 : 0.5;
    for (const property of schema.properties) {
      if ((variant === 'response' && property.schema.writeOnly === true) || (variant === 'request' && property.schema.readOnly === true)) continue;
      if (!property.required) {
        optional.push(property);
        if (!rng.chance(includeOptional)) continue;
      }
      const value = this.gen(property.schema, rng.fork(property.name), depth + 1, property.name);
      if (value !== OMIT) setOwn(out, property.name, value);
    }
    const extra = schema.additionalProperties;
    const minProps = schema.minProperties ?? 0;
    const maxProps = schema.maxProperties ?? Infinity;
    for (const property of optional) {
      if (Object.keys(out).length >= minProps) break;
      if (Object.hasOwn(out, property.name)) continue;
      const value = this.gen(property.schema, rng.fork(property.name), depth + 1, property.name);
      if (value !== OMIT) setOwn(out, property.name, value);
    }
    const mapLike = schema.properties.length === 0 && extra !== false;
    const extras = Math.max(minProps - Object.keys(out).length, mapLike && depth < this.maxDepth ? 1 : 0);
    for (let i = 1; i <= extras && Object.keys(out).length < maxProps; i++) {
      const pattern = schema.patternProperties?.[0];
      if (extra === false && pattern === undefined) break;
      const key = pattern !== undefined && extra === false ? keyFor(pattern.pattern, i) : `key${i}`;
      if (key === undefined || Object.hasOwn(out, key)) break;
      const valueSchema = extra === false || extra === true ? (pattern?.schema ?? { kind: 'string', pointer: '' }) : extra;
      const value = this.gen(valueSchema, rng.fork(`extra${i}`), depth + 1, key);
      if (value !== OMIT) setOwn(out, key, value);
    }
    for (const key of Object.keys(out)) {
      if (Object.keys(out).length <= maxProps) break;
      if (optional.some((p) => p.name === key) || !schema.properties.some((p) => p.name === key)) delete out[key];
    }
    return out;
  }
}
