/**
 * Limits on what a request body may be, checked at the door — before parsing builds anything big and before any
 * validator or handler sees it — by the provider router and the mock alike. JSON is scanned once, linearly, with no
 * recursion: nesting depth, string length, array length and property count per object, each reported with the
 * JSON pointer where it was exceeded. `__proto__` keys are dropped while parsing, so no later merge of the value
 * can reach a prototype.
 */

export interface ParseLimits {
  /** Largest body read, in bytes (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** Deepest nesting of arrays and objects (default 64). */
  maxDepth?: number;
  /** Longest string, in characters as written (escapes included; default 262,144). */
  maxStringLength?: number;
  /** Most items in one array (default 10,000). */
  maxArrayLength?: number;
  /** Most properties in one object, or fields in one form (default 1,000). */
  maxProperties?: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<Required<ParseLimits>> = {
  maxBodyBytes: 1024 * 1024,
  maxDepth: 64,
  maxStringLength: 262_144,
  maxArrayLength: 10_000,
  maxProperties: 1_000,
};

export function resolveLimits(limits: ParseLimits | undefined): Readonly<Required<ParseLimits>> {
  if (limits === undefined) return DEFAULT_PARSE_LIMITS;
  const pick = (name: keyof ParseLimits): number => {
    const value = limits[name];
    if (value === undefined) return DEFAULT_PARSE_LIMITS[name];
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`limits.${name} must be a positive integer`);
    return value;
  };
  return {
    maxBodyBytes: pick('maxBodyBytes'),
    maxDepth: pick('maxDepth'),
    maxStringLength: pick('maxStringLength'),
    maxArrayLength: pick('maxArrayLength'),
    maxProperties: pick('maxProperties'),
  };
}

export type LimitName = keyof ParseLimits;

export class LimitExceededError extends Error {
  readonly limit: LimitName;
  readonly max: number;
  /** Where, rooted at the body: `/body/items/3/name`. */
  readonly pointer: string;
  constructor(limit: LimitName, max: number, pointer: string, message: string) {
    super(message);
    this.name = 'LimitExceededError';
    this.limit = limit;
    this.max = max;
    this.pointer = pointer;
  }
}

interface Frame {
  array: boolean;
  count: number;
  /** A value (array) or key (object) may start next. */
  open: boolean;
  keyStart: number;
  keyEnd: number;
}

const escapePointer = (text: string): string => text.replace(/~/g, '~0').replace(/\//g, '~1');

function pointerOf(text: string, stack: readonly Frame[], prefix: string): string {
  let out = prefix;
  for (const frame of stack) {
    if (frame.array) out += `/${Math.max(0, frame.count - 1)}`;
    else if (frame.keyEnd > frame.keyStart || frame.count > 0) {
      let key = text.slice(frame.keyStart, frame.keyEnd);
      try {
        key = String(JSON.parse(`"${key}"`));
      } catch {
        // Leave the raw text: JSON.parse will report the syntax error itself.
      }
      out += `/${escapePointer(key)}`;
    }
  }
  return out;
}

/** The first limit the JSON text exceeds, or undefined. Syntax errors are left to JSON.parse. */
export function scanJson(
  text: string,
  limits: Readonly<Required<ParseLimits>>,
  prefix = '/body',
): LimitExceededError | undefined {
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 58) continue;
    const top = stack[stack.length - 1];
    if (c === 93 || c === 125) {
      stack.pop();
      continue;
    }
    if (c === 44) {
      if (top !== undefined) top.open = true;
      continue;
    }
    if (top !== undefined && top.open) {
      top.open = false;
      top.count++;
      if (top.array && top.count > limits.maxArrayLength)
        return new LimitExceededError(
          'maxArrayLength',
          limits.maxArrayLength,
          pointerOf(text, stack, prefix),
          `An array has more than ${limits.maxArrayLength} items.`,
        );
      if (!top.array && top.count > limits.maxProperties)
        return new LimitExceededError(
          'maxProperties',
          limits.maxProperties,
          pointerOf(text, stack.slice(0, -1), prefix),
          `An object has more than ${limits.maxProperties} properties.`,
        );
    }
    if (c === 34) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === 34) break;
        else j++;
      }
      const isKey = top !== undefined && !top.array && text.charCodeAt(nextNonSpace(text, j + 1)) === 58;
      if (isKey && top !== undefined) {
        top.keyStart = i + 1;
        top.keyEnd = Math.min(j, n);
      }
      if (j - i - 1 > limits.maxStringLength)
        return new LimitExceededError(
          'maxStringLength',
          limits.maxStringLength,
          pointerOf(text, stack, prefix),
          `A string is longer than ${limits.maxStringLength} characters.`,
        );
      i = j;
      continue;
    }
    if (c === 91 || c === 123) {
      if (stack.length >= limits.maxDepth)
        return new LimitExceededError(
          'maxDepth',
          limits.maxDepth,
          pointerOf(text, stack, prefix),
          `JSON nesting deeper than ${limits.maxDepth} levels is refused.`,
        );
      stack.push({ array: c === 91, count: 0, open: true, keyStart: 0, keyEnd: 0 });
    }
  }
  return undefined;
}

function nextNonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    i++;
  }
  return i;
}

const dropProto = (key: string, value: unknown): unknown => (key === '__proto__' ? undefined : value);

/** JSON.parse within the limits: throws LimitExceededError, or SyntaxError like JSON.parse. */
export function parseJsonWithin(text: string, limits: Readonly<Required<ParseLimits>>, prefix = '/body'): unknown {
  const exceeded = scanJson(text, limits, prefix);
  if (exceeded !== undefined) throw exceeded;
  // The reviver costs a second walk; most bodies never mention the key.
  return text.includes('__proto__') ? JSON.parse(text, dropProto) : JSON.parse(text);
}

/** Form and multipart bodies: the field count is the property count. */
export function checkFieldCount(count: number, limits: Readonly<Required<ParseLimits>>, prefix = '/body'): void {
  if (count > limits.maxProperties)
    throw new LimitExceededError(
      'maxProperties',
      limits.maxProperties,
      prefix,
      `The form has more than ${limits.maxProperties} fields.`,
    );
}
