/**
 * The provider's side of parameter serialisation: turn the strings a request carries (path segments, query,
 * headers, cookies, form fields) back into values, per OpenAPI 3 style + explode, so the same zod validators the
 * client uses can check them. Scalars are converted only where the contract's type says so (`wire hints`, emitted
 * by the generator); a string that does not look like the declared type is left as is, so the validator reports it
 * with its pointer instead of this layer guessing.
 */
import type { ParamPlacement } from './operation-spec.js';
import { DEFAULT_PARSE_LIMITS, parseJsonWithin } from './parse-limits.js';

/** What the contract says a value looks like on the wire; `any` leaves strings alone. */
export type WireHint =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'null'
  | 'any'
  | { readonly array: WireHint }
  | { readonly object: Readonly<Record<string, WireHint>>; readonly additional?: WireHint };

/** A parameter's placement (operation-spec.ts) and how its strings are typed. */
export interface ServerParamSpec extends ParamPlacement {
  readonly hint: WireHint;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** One string converted to the hinted scalar type, when it plainly is one. */
export function coerceScalar(text: string, hint: WireHint): unknown {
  if (hint === 'number' || hint === 'integer') return NUMBER.test(text) ? Number(text) : text;
  if (hint === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (hint === 'null') return text === '' || text === 'null' ? null : text;
  return text;
}

function isArrayHint(hint: WireHint): hint is { readonly array: WireHint } {
  return typeof hint === 'object' && 'array' in hint;
}

function isObjectHint(
  hint: WireHint,
): hint is { readonly object: Readonly<Record<string, WireHint>>; readonly additional?: WireHint } {
  return typeof hint === 'object' && 'object' in hint;
}

function propertyHint(hint: WireHint, key: string): WireHint {
  if (!isObjectHint(hint)) return 'any';
  return hint.object[key] ?? hint.additional ?? 'any';
}

function coerceItems(items: readonly string[], hint: WireHint): unknown[] {
  const item = isArrayHint(hint) ? hint.array : 'any';
  return items.map((value) => coerceScalar(value, item));
}

/** `k,v,k2,v2` (explode false) or `k=v,k2=v2` (explode true) into an object. */
function pairsToObject(
  items: readonly string[],
  explode: boolean,
  hint: WireHint,
  decode: (s: string) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (explode) {
    for (const item of items) {
      const eq = item.indexOf('=');
      if (eq === -1) continue;
      const key = decode(item.slice(0, eq));
      out[key] = coerceScalar(decode(item.slice(eq + 1)), propertyHint(hint, key));
    }
    return out;
  }
  for (let i = 0; i + 1 < items.length; i += 2) {
    const key = decode(items[i] ?? '');
    out[key] = coerceScalar(decode(items[i + 1] ?? ''), propertyHint(hint, key));
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseJson(text: string): unknown {
  try {
    // Within the default limits: a parameter nested thousands deep stays text, and the validator refuses it.
    return parseJsonWithin(text, DEFAULT_PARSE_LIMITS, '');
  } catch {
    return text;
  }
}

/** A path segment as matched (still percent-encoded). */
export function parsePathParam(spec: ServerParamSpec, raw: string): unknown {
  if (spec.contentType !== undefined) return parseJson(safeDecode(raw));
  let text = raw;
  let separator = ',';
  if (spec.style === 'label') {
    text = text.startsWith('.') ? text.slice(1) : text;
    if (spec.explode) separator = '.';
  } else if (spec.style === 'matrix') {
    const prefix = `;${spec.name}=`;
    if (isArrayHint(spec.hint) && spec.explode) {
      return coerceItems(
        text
          .split(prefix)
          .filter((s) => s !== '')
          .map(safeDecode),
        spec.hint,
      );
    }
    if (isObjectHint(spec.hint) && spec.explode)
      return pairsToObject(
        text.split(';').filter((s) => s !== ''),
        true,
        spec.hint,
        safeDecode,
      );
    text = text.startsWith(prefix) ? text.slice(prefix.length) : text;
  }
  if (isArrayHint(spec.hint)) return coerceItems(text === '' ? [] : text.split(separator).map(safeDecode), spec.hint);
  if (isObjectHint(spec.hint)) return pairsToObject(text.split(separator), spec.explode, spec.hint, safeDecode);
  return coerceScalar(safeDecode(text), spec.hint);
}

/** Query string pairs, decoded (`+` is a space in form encoding). */
export function parseQueryString(search: string): Array<[string, string]> {
  const text = search.startsWith('?') ? search.slice(1) : search;
  if (text === '') return [];
  const out: Array<[string, string]> = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    out.push([safeDecode(key.replace(/\+/g, ' ')), safeDecode(value.replace(/\+/g, ' '))]);
  }
  return out;
}

const DELIMITERS: Partial<Record<ServerParamSpec['style'], string>> = { spaceDelimited: ' ', pipeDelimited: '|' };

/**
 * One query parameter from all pairs. `claimed` holds keys other parameters own, so an exploded form object
 * (whose properties are top-level keys) does not swallow them.
 */
export function parseQueryParam(
  spec: ServerParamSpec,
  pairs: ReadonlyArray<readonly [string, string]>,
  claimed: ReadonlySet<string>,
): unknown {
  const values = pairs.filter(([key]) => key === spec.name).map(([, value]) => value);
  if (spec.contentType !== undefined) return values[0] === undefined ? undefined : parseJson(values[0]);
  const { hint } = spec;
  if (spec.style === 'deepObject' || (isObjectHint(hint) && spec.explode && spec.style === 'form')) {
    const out: Record<string, unknown> = {};
    let found = false;
    for (const [key, value] of pairs) {
      let property: string | undefined;
      if (spec.style === 'deepObject') {
        const match = /^([^[]+)\[([^\]]*)\]$/.exec(key);
        if (match?.[1] === spec.name) property = match[2];
      } else if (
        !claimed.has(key) &&
        (!isObjectHint(hint) || hint.object[key] !== undefined || hint.additional !== undefined)
      ) {
        property = key;
      }
      if (property === undefined) continue;
      found = true;
      const propHint = propertyHint(hint, property);
      const current = out[property];
      const next = coerceScalar(value, isArrayHint(propHint) ? propHint.array : propHint);
      if (Array.isArray(current)) current.push(next);
      else out[property] = isArrayHint(propHint) ? [next] : next;
    }
    return found ? out : undefined;
  }
  const first = values[0];
  if (first === undefined) return undefined;
  if (isArrayHint(hint)) {
    if (spec.explode && spec.style === 'form') return coerceItems(values, hint);
    const delimiter = DELIMITERS[spec.style] ?? ',';
    return coerceItems(first === '' ? [] : first.split(delimiter), hint);
  }
  if (isObjectHint(hint)) return pairsToObject(first.split(DELIMITERS[spec.style] ?? ','), false, hint, (s) => s);
  return coerceScalar(first, hint);
}

/** A header value (style simple). */
export function parseHeaderParam(spec: ServerParamSpec, value: string | null | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  if (spec.contentType !== undefined) return parseJson(value);
  if (isArrayHint(spec.hint))
    return coerceItems(
      value.split(',').map((s) => s.trim()),
      spec.hint,
    );
  if (isObjectHint(spec.hint))
    return pairsToObject(
      value.split(',').map((s) => s.trim()),
      spec.explode,
      spec.hint,
      (s) => s,
    );
  return coerceScalar(value, spec.hint);
}

/** `Cookie` header into name -> raw value. */
export function parseCookieHeader(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (header === null || header === undefined) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    if (name !== '' && !out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export function parseCookieParam(spec: ServerParamSpec, cookies: ReadonlyMap<string, string>): unknown {
  const raw = cookies.get(spec.name);
  if (raw === undefined) return undefined;
  const value = safeDecode(raw);
  if (spec.contentType !== undefined) return parseJson(value);
  if (isArrayHint(spec.hint)) return coerceItems(value.split(','), spec.hint);
  if (isObjectHint(spec.hint)) return pairsToObject(value.split(','), false, spec.hint, (s) => s);
  return coerceScalar(value, spec.hint);
}

/** Form fields (urlencoded or multipart) into an object: repeated names become arrays, strings typed per hint. */
export function formToObject(entries: Iterable<readonly [string, unknown]>, hint: WireHint): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const repeated = new Set<string>();
  for (const [key, value] of entries) {
    // Assigning `__proto__` would replace the object's prototype, and the validator would read inherited fields.
    if (key === '__proto__') continue;
    const propHint = propertyHint(hint, key);
    const itemHint = isArrayHint(propHint) ? propHint.array : propHint;
    // The client sends nested objects in a form as JSON text.
    const next =
      typeof value !== 'string' ? value : isObjectHint(itemHint) ? parseJson(value) : coerceScalar(value, itemHint);
    const current = out[key];
    if (current === undefined) {
      out[key] = isArrayHint(propHint) ? [next] : next;
    } else if (isArrayHint(propHint) && Array.isArray(current)) {
      current.push(next);
    } else {
      // Repeated where the contract expects one value: keep all, the validator names the pointer.
      out[key] = repeated.has(key) && Array.isArray(current) ? [...current, next] : [current, next];
      repeated.add(key);
    }
  }
  return out;
}
