import type { IrString } from '../../ir/types.js';
import { generateMatch, parsePattern, type ParsedPattern } from './regex.js';
import type { Rng } from './prng.js';

/** Strings by format, then pattern, then length, each checked so the result satisfies every constraint together. */

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa'];
const HEX = '0123456789abcdef';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

const pad2 = (n: number): string => String(n).padStart(2, '0');

function dateParts(rng: Rng): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  return { y: rng.int(2000, 2030), m: rng.int(1, 12), d: rng.int(1, 28), h: rng.int(0, 23), mi: rng.int(0, 59), s: rng.int(0, 59) };
}

function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX.charAt(rng.int(0, 15));
  return out;
}

function alnum(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM.charAt(rng.int(0, ALNUM.length - 1));
  return out;
}

const FORMATS: Record<string, (rng: Rng) => string> = {
  'date-time': (rng) => {
    const p = dateParts(rng);
    return `${p.y}-${pad2(p.m)}-${pad2(p.d)}T${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}Z`;
  },
  date: (rng) => {
    const p = dateParts(rng);
    return `${p.y}-${pad2(p.m)}-${pad2(p.d)}`;
  },
  time: (rng) => {
    const p = dateParts(rng);
    return `${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}`;
  },
  duration: (rng) => `P${rng.int(1, 30)}DT${rng.int(1, 23)}H`,
  uuid: (rng) => `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${'89ab'.charAt(rng.int(0, 3))}${hex(rng, 3)}-${hex(rng, 12)}`,
  email: (rng) => `${rng.pick(WORDS)}${rng.int(1, 999)}@example.com`,
  uri: (rng) => `https://example.com/${rng.pick(WORDS)}/${rng.int(1, 999)}`,
  url: (rng) => `https://example.com/${rng.pick(WORDS)}/${rng.int(1, 999)}`,
  'uri-reference': (rng) => `/${rng.pick(WORDS)}/${rng.int(1, 999)}`,
  'uri-template': (rng) => `https://example.com/${rng.pick(WORDS)}/{id}`,
  iri: (rng) => `https://example.com/${rng.pick(WORDS)}`,
  hostname: (rng) => `${rng.pick(WORDS)}${rng.int(1, 99)}.example.com`,
  'idn-hostname': (rng) => `${rng.pick(WORDS)}.example.com`,
  ipv4: (rng) => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
  ipv6: (rng) => `2001:db8::${hex(rng, 4)}`,
  byte: (rng) => btoa(alnum(rng, 3 * rng.int(1, 6))),
  binary: (rng) => alnum(rng, 16),
  password: (rng) => alnum(rng, 12),
  'json-pointer': (rng) => `/${rng.pick(WORDS)}/${rng.int(0, 9)}`,
  regex: () => '^[a-z]+$',
};

export function formatSample(format: string, rng: Rng): string | undefined {
  return FORMATS[format]?.(rng);
}

const compiledPatterns = new Map<string, { regex: RegExp; parsed: ParsedPattern | undefined } | null>();

function compiled(pattern: string): { regex: RegExp; parsed: ParsedPattern | undefined } | null {
  let entry = compiledPatterns.get(pattern);
  if (entry === undefined) {
    try {
      entry = { regex: new RegExp(pattern), parsed: parsePattern(pattern) };
    } catch {
      // The validator skips invalid patterns too.
      entry = null;
    }
    compiledPatterns.set(pattern, entry);
  }
  return entry;
}

function fitsLength(value: string, schema: IrString): boolean {
  return (schema.minLength === undefined || value.length >= schema.minLength) && (schema.maxLength === undefined || value.length <= schema.maxLength);
}

function plainWords(rng: Rng, hint: string | undefined): string {
  if (hint !== undefined && /^[A-Za-z][\w-]{0,30}$/.test(hint) && rng.chance(0.5)) return `${hint}-${rng.int(1, 999)}`;
  return rng.chance(0.5) ? `${rng.pick(WORDS)} ${rng.pick(WORDS)}` : rng.pick(WORDS);
}

/** Pads or cuts a free-form string to the length bounds. */
function fitLength(value: string, schema: IrString, rng: Rng): string {
  let out = value;
  if (schema.maxLength !== undefined && out.length > schema.maxLength) out = out.slice(0, schema.maxLength);
  if (schema.minLength !== undefined && out.length < schema.minLength) out += alnum(rng, schema.minLength - out.length);
  return out;
}

function fromPattern(schema: IrString, pattern: { regex: RegExp; parsed: ParsedPattern | undefined }, rng: Rng, hint: string | undefined): string | undefined {
  for (let attempt = 0; attempt < 24; attempt++) {
    const stretch = attempt < 8 ? 0 : attempt < 16 ? (attempt - 7) * 2 : (attempt - 15) * 16;
    let value = pattern.parsed ? generateMatch(pattern.parsed, rng, stretch) : plainWords(rng, hint);
    if (!fitsLength(value, schema) && pattern.parsed) {
      // Unanchored sides may take filler without breaking the match.
      const missing = (schema.minLength ?? 0) - value.length;
      if (missing > 0 && !pattern.parsed.anchoredEnd) value += alnum(rng, missing);
      else if (missing > 0 && !pattern.parsed.anchoredStart) value = alnum(rng, missing) + value;
    }
    if (pattern.regex.test(value) && fitsLength(value, schema)) return value;
  }
  return undefined;
}

/** A string satisfying `schema`, or undefined when nothing found in a few tries fits (the caller verifies anyway). */
export function fakeString(schema: IrString, rng: Rng, hint?: string): string | undefined {
  const pattern = schema.pattern === undefined ? null : compiled(schema.pattern);
  const format = schema.format;
  if (format !== undefined && FORMATS[format] !== undefined) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const value = formatSample(format, rng) ?? '';
      if (fitsLength(value, schema) && (pattern === null || pattern.regex.test(value))) return value;
    }
    if (pattern === null) return undefined;
  }
  if (pattern !== null) return fromPattern(schema, pattern, rng, hint);
  if (schema.contentMediaType !== undefined && /json/i.test(schema.contentMediaType)) return fitLength('{}', schema, rng);
  return fitLength(plainWords(rng, hint), schema, rng);
}
