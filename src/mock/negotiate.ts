import type { IrMediaType } from '../ir/types.js';

/** Accept negotiation, media-type matching and the `Prefer` header. */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** 0 for `*\/*`, 1 for `type/*`, 2 for a full type. */
  specificity: number;
  order: number;
}

export function baseType(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [];
  const ranges: MediaRange[] = [];
  header.split(',').forEach((part, order) => {
    const [range = '', ...params] = part.split(';');
    const [type = '', subtype = ''] = range.trim().toLowerCase().split('/');
    if (type === '' || subtype === '') return;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((x) => x.trim());
      if (key === 'q' && value !== undefined && /^[01](\.\d{0,3})?$/.test(value)) q = Number(value);
    }
    const specificity = type === '*' ? 0 : subtype === '*' ? 1 : 2;
    ranges.push({ type, subtype, q, specificity, order });
  });
  return ranges.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.order - b.order);
}

function matches(pattern: string, concrete: string): boolean {
  if (pattern === '*/*' || pattern === '*') return true;
  const [pt, ps] = pattern.split('/');
  const [ct, cs] = concrete.split('/');
  return pt === ct && (ps === '*' || ps === cs);
}

/** A concrete Content-Type for a declared media type that may itself be a wildcard. */
function concreteFor(declared: string, media: IrMediaType, wanted: string | undefined): string {
  const base = baseType(declared);
  if (!base.includes('*')) return declared;
  if (wanted !== undefined && !wanted.includes('*') && matches(base, wanted)) return wanted;
  if (media.encoding === 'json' || (base === '*/*' && media.schema.kind !== 'string')) return 'application/json';
  if (base.startsWith('image/')) return 'image/png';
  if (base.startsWith('text/')) return 'text/plain';
  return 'application/octet-stream';
}

export type Negotiated = { media: IrMediaType; contentType: string } | 'not-acceptable';

/** Best declared media type for `Accept`; without an Accept header, the first JSON type (else the first). */
export function negotiate(declared: readonly IrMediaType[], accept: string | undefined): Negotiated {
  const all = parseAccept(accept);
  const ranges = all.filter((r) => r.q > 0);
  if (all.length > 0 && ranges.length === 0) return 'not-acceptable';
  if (ranges.length === 0 || ranges.every((r) => r.specificity === 0)) {
    const media = declared.find((m) => m.encoding === 'json' && !m.streaming) ?? declared.find((m) => m.encoding === 'json') ?? declared[0];
    if (media === undefined) return 'not-acceptable';
    return { media, contentType: concreteFor(media.mediaType, media, undefined) };
  }
  for (const range of ranges) {
    const wanted = `${range.type}/${range.subtype}`;
    for (const media of declared) {
      const base = baseType(media.mediaType);
      if (matches(wanted, base) || matches(base, wanted)) return { media, contentType: concreteFor(media.mediaType, media, wanted) };
    }
  }
  return 'not-acceptable';
}

/**
 * `Prefer` preferences (RFC 7240): `code=404, example=cat, dynamic=true, chaos="503=1"`. Commas inside quoted
 * values do not split.
 */
export function parsePrefer(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === undefined) return out;
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  for (const part of parts) {
    const first = (part.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/)[0] ?? '').trim();
    if (first === '') continue;
    const index = first.indexOf('=');
    const name = (index < 0 ? first : first.slice(0, index)).trim().toLowerCase();
    let value = index < 0 ? 'true' : first.slice(index + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}
