import type { ZodExprBuilder } from '../../../src/zod-expr/build-expr.js';
import type { IrNumber, IrSchema, IrString } from '../../../src/ir/types.js';
import { compilePattern } from '../../../src/zod-expr/primitives.js';

/** No value could be made (a `never`, a pattern the sampler cannot satisfy, a contradiction). */
export const NONE: unique symbol = Symbol('none');
type Sample = unknown;

const MAX_DEPTH = 3;

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2024-05-06T07:08:09Z',
  date: '2024-05-06',
  time: '07:08:09Z',
  duration: 'P1DT2H',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  email: 'someone@example.com',
  uri: 'https://example.com/a',
  'uri-reference': '/a/b',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'AAAA',
  binary: 'raw bytes',
};

/**
 * Valid values from IR schemas, deliberately simple and independent of the validators: `minimal` fills required
 * members only, `full` every member down to a small depth. It reads named schemas through the builder so that
 * discriminator narrowing (part of the contract, see discriminators.ts) is honoured.
 */
export class Sampler {
  constructor(private readonly builder: ZodExprBuilder) {}

  /** `prefer`: the JSON type wanted where the schema leaves a choice (inside an allOf). */
  sample(schema: IrSchema, mode: 'minimal' | 'full', depth = 0, prefer?: string): Sample | typeof NONE {
    if (depth > MAX_DEPTH * 3) return NONE;
    if (schema.nullable && (depth > MAX_DEPTH || prefer === 'null')) return null;
    switch (schema.kind) {
      case 'ref': {
        const target = this.builder.schemaOf(schema.name);
        return target ? this.sample(target, mode, depth + 1, prefer) : NONE;
      }
      case 'any':
        return prefer === undefined ? 'any value' : ANY_OF_TYPE[prefer] ?? 'any value';
      case 'never':
        return NONE;
      case 'null':
        return null;
      case 'boolean':
        return true;
      case 'string':
        return sampleString(schema);
      case 'number':
      case 'integer':
        return sampleNumber(schema);
      case 'enum':
        return schema.values[0] ?? NONE;
      case 'const':
        return schema.value;
      case 'array': {
        if (schema.prefixItems && schema.prefixItems.length > 0) {
          const items = schema.prefixItems.map((item) => this.sample(item, mode, depth + 1));
          return items.includes(NONE) ? NONE : items;
        }
        const count = Math.max(schema.minItems ?? 0, mode === 'full' && depth < MAX_DEPTH ? 1 : 0);
        if (count === 0) return [];
        if (count > 1 && schema.uniqueItems) return NONE;
        const item = this.sample(schema.items, mode, depth + 1);
        return item === NONE ? NONE : Array.from({ length: count }, () => item);
      }
      case 'object':
      case 'intersection':
        return this.sampleObjectLike(schema, mode, depth);
      case 'union':
        return this.sampleUnion(schema, mode, depth, prefer);
    }
  }

  private sampleObjectLike(schema: Extract<IrSchema, { kind: 'object' | 'intersection' }>, mode: 'minimal' | 'full', depth: number): Sample | typeof NONE {
    if (schema.kind === 'intersection' && !this.builder.isObjectLike({ ...schema, nullable: false }, 'full')) {
      // Not one object: a value of a type every member accepts, made from each member's sample of that type
      // (objects merged, primitives equal); members that contradict each other have no sample.
      let types: Set<string> | undefined;
      for (const member of schema.members) {
        const accepted = acceptedTypes(this.builder, member);
        if (accepted) types = types ? new Set([...types].filter((t) => accepted.has(t))) : accepted;
      }
      if (types?.size === 0) return NONE;
      const prefer = !types || types.has('object') ? 'object' : [...types][0];
      let merged: Sample | typeof NONE = NONE;
      for (const member of schema.members) {
        const part = this.sample(member, mode, depth + 1, prefer);
        if (part === NONE) return NONE;
        if (merged === NONE) merged = part;
        else if (isRecord(merged) && isRecord(part)) merged = { ...merged, ...part };
        else if (JSON.stringify(merged) !== JSON.stringify(part)) return NONE;
      }
      return merged;
    }
    const properties = schema.kind === 'object' ? schema.properties : this.builder.flatProperties({ ...schema, nullable: false });
    const out: Record<string, unknown> = {};
    for (const property of properties) {
      if (!property.required && (mode === 'minimal' || depth >= MAX_DEPTH)) continue;
      const value = this.sample(property.schema, mode, depth + 1);
      if (value === NONE) {
        if (property.required) return NONE;
        continue;
      }
      Object.defineProperty(out, property.name, { value, enumerable: true, writable: true, configurable: true });
    }
    if (schema.kind === 'object' && schema.minProperties !== undefined) {
      for (let i = 0; Object.keys(out).length < schema.minProperties; i++) {
        if (schema.additionalProperties === false || schema.patternProperties) return NONE;
        const extra = schema.additionalProperties === true ? 'extra' : this.sample(schema.additionalProperties, mode, depth + 1);
        if (extra === NONE) return NONE;
        out[`extra${i}`] = extra;
      }
    }
    return out;
  }

  private sampleUnion(schema: Extract<IrSchema, { kind: 'union' }>, mode: 'minimal' | 'full', depth: number, prefer: string | undefined): Sample | typeof NONE {
    const fits = (member: IrSchema): boolean => prefer === undefined || acceptedTypes(this.builder, member)?.has(prefer) !== false;
    for (const member of [...schema.members.filter(fits), ...schema.members.filter((m) => !fits(m))]) {
      const value = this.sample(member, mode, depth + 1, prefer);
      if (value === NONE) continue;
      const mapped = schema.discriminator && member.kind === 'ref' ? schema.discriminator.mapping.find((m) => m.schema === member.name) : undefined;
      if (mapped && schema.discriminator && isRecord(value)) return { ...value, [schema.discriminator.propertyName]: mapped.value };
      return value;
    }
    return NONE;
  }
}

const ANY_OF_TYPE: Record<string, unknown> = { object: {}, array: [], string: 'any value', number: 1.5, integer: 1, boolean: true, null: null };

function sampleString(schema: IrString): string | typeof NONE {
  let value = (schema.format ? FORMAT_SAMPLES[schema.format] : undefined) ?? 'sample';
  if (schema.minLength !== undefined && value.length < schema.minLength) value = value.padEnd(schema.minLength, 'x');
  if (schema.maxLength !== undefined && value.length > schema.maxLength) value = value.slice(0, schema.maxLength);
  if (schema.pattern === undefined) return value;
  // Patterns are not sampled: the document's own examples are used when they fit.
  const candidates = [value, ...(schema.examples ?? []).filter((e): e is string => typeof e === 'string')];
  const pattern = compilePattern(schema.pattern);
  if (!pattern) return value;
  return candidates.find((c) => new RegExp(pattern.source, pattern.flags).test(c)) ?? NONE;
}

function sampleNumber(schema: IrNumber): number | typeof NONE {
  const integer = schema.kind === 'integer';
  const step = schema.multipleOf ?? (integer ? 1 : undefined);
  const seeds = [schema.minimum, schema.exclusiveMinimum, schema.maximum, schema.exclusiveMaximum, 0, 1, 42].filter((n): n is number => n !== undefined);
  const candidates = seeds.flatMap((n) => [n, n + 1, n - 1, n + 0.5, n - 0.5]).flatMap((n) => (step ? [Math.ceil(n / step) * step, Math.floor(n / step) * step] : [n]));
  const fits = (n: number): boolean =>
    (!integer || Number.isInteger(n)) &&
    (step === undefined || Math.abs(n / step - Math.round(n / step)) < 1e-9) &&
    n >= (schema.minimum ?? -Infinity) &&
    n <= (schema.maximum ?? Infinity) &&
    n > (schema.exclusiveMinimum ?? -Infinity) &&
    n < (schema.exclusiveMaximum ?? Infinity) &&
    (schema.format !== 'int32' || (n >= -(2 ** 31) && n < 2 ** 31)) &&
    (!schema.format?.startsWith('uint') || n >= 0);
  return candidates.find(fits) ?? NONE;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The JSON types a schema can accept at the top (undefined: any). */
export function acceptedTypes(builder: ZodExprBuilder, schema: IrSchema, seen = new Set<string>()): Set<string> | undefined {
  const add = (set: Set<string>): Set<string> => (schema.nullable ? new Set([...set, 'null']) : set);
  // Keywords without `type` constrain only values of their type: every other type is accepted.
  if (schema.typeImplied) return undefined;
  switch (schema.kind) {
    case 'ref': {
      const target = builder.schemaOf(schema.name);
      if (!target || seen.has(schema.name)) return undefined;
      const inner = acceptedTypes(builder, target, new Set([...seen, schema.name]));
      return inner && add(inner);
    }
    case 'any':
      return undefined;
    case 'never':
      return new Set();
    case 'null':
      return new Set(['null']);
    case 'boolean':
    case 'string':
    case 'array':
    case 'object':
      return add(new Set([schema.kind]));
    case 'number':
      return add(new Set(['number', 'integer']));
    case 'integer':
      return add(new Set(['integer']));
    case 'enum':
      return add(new Set(schema.values.map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v))));
    case 'const':
      return new Set([schema.value === null ? 'null' : typeof schema.value === 'number' ? 'number' : typeof schema.value]);
    case 'union':
    case 'intersection': {
      const all = new Set<string>();
      for (const member of schema.members) {
        const inner = acceptedTypes(builder, member, seen);
        if (!inner) return undefined;
        inner.forEach((t) => all.add(t));
      }
      return add(all);
    }
  }
}

/** A JSON value whose type is not among `accepted`, if there is one. */
export function wrongValue(accepted: Set<string>): unknown {
  const candidates: unknown[] = [12.5, 'not the right type', true, ['not', 'an', 'object'], { not: 'an array' }, null];
  return candidates.find((value) => {
    const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    return !accepted.has(kind);
  });
}
