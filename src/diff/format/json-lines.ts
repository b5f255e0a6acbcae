import { escapePointerToken } from '../../load/parse.js';

/**
 * Line (1-based) of every key and array item of a JSON text, by JSON pointer, in one pass over the characters.
 * The YAML parser gives the same answer for JSON but is an order of magnitude slower on a multi-megabyte spec.
 */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const stack: Array<{ pointer: string; array: boolean; index: number; key?: string }> = [];
  let line = 1;
  let pendingKey: string | undefined;
  const valueStarts = (): void => {
    const top = stack[stack.length - 1];
    if (top?.array) {
      lines.set(`${top.pointer}/${top.index}`, line);
      top.key = String(top.index);
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 34) {
      // A string: find its end, honouring escapes.
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top && !top.array && pendingKey === undefined && top.key === undefined) {
        const raw = text.slice(i, j + 1);
        let key: string;
        try {
          key = JSON.parse(raw) as string;
        } catch {
          key = raw.slice(1, -1);
        }
        pendingKey = key;
        lines.set(`${top.pointer}/${escapePointerToken(key)}`, line);
      } else if (top?.array && top.key === undefined) valueStarts();
      i = j;
    } else if (c === 58) {
      const top = stack[stack.length - 1];
      if (top && pendingKey !== undefined) top.key = escapePointerToken(pendingKey);
      pendingKey = undefined;
    } else if (c === 123 || c === 91) {
      const top = stack[stack.length - 1];
      if (top?.array && top.key === undefined) valueStarts();
      const pointer = top && top.key !== undefined ? `${top.pointer}/${top.key}` : '';
      stack.push({ pointer, array: c === 91, index: 0 });
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44) {
      const top = stack[stack.length - 1];
      if (top) {
        if (top.array) top.index++;
        delete top.key;
      }
    } else if (c > 32) {
      const top = stack[stack.length - 1];
      if (top?.array && top.key === undefined) valueStarts();
    }
  }
  return lines;
}

/**
 * The same answers as `jsonLines(text)` (the line of a key, or of an array item's value), found lazily: each object
 * or array on a looked-up pointer's path is scanned once, skipping over the values it does not descend into,
 * instead of naming every key of a multi-megabyte document up front. An object with a duplicate key (where
 * jsonLines mixes both occurrences) sends that lookup to jsonLines.
 */
export function jsonLineFinder(text: string): (pointer: string) => number | undefined {
  const breaks: number[] = [];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) breaks.push(at);
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((breaks[mid] as number) < offset) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  };
  const members = new Map<number, Map<string, { at: number; value: number }> | number[] | 'duplicates'>();
  let eager: Map<string, number> | undefined;
  const exact = (pointer: string): number | undefined => {
    let value = skipSpace(text, 0);
    let line: number | undefined;
    for (const token of pointer.split('/').slice(1)) {
      let inside = members.get(value);
      if (inside === undefined) {
        inside = scanContainer(text, value);
        members.set(value, inside);
      }
      if (inside === 'duplicates') {
        eager ??= jsonLines(text);
        return eager.get(pointer);
      }
      const entry = Array.isArray(inside) ? inside[String(Number(token)) === token ? Number(token) : -1] : inside.get(token);
      if (entry === undefined) return undefined;
      const at = typeof entry === 'number' ? entry : entry.at;
      value = typeof entry === 'number' ? entry : entry.value;
      line = lineAt(at);
    }
    return line;
  };
  return exact;
}

/** Members of the object or array starting at `start`: escaped key -> key and value offsets, or item offsets. */
function scanContainer(text: string, start: number): Map<string, { at: number; value: number }> | number[] | 'duplicates' {
  const open = text.charCodeAt(start);
  if (open === 91) {
    const items: number[] = [];
    let at = skipSpace(text, start + 1);
    if (text.charCodeAt(at) === 93) return items;
    for (;;) {
      items.push(at);
      at = skipSpace(text, skipValue(text, at));
      if (text.charCodeAt(at) !== 44) return items;
      at = skipSpace(text, at + 1);
    }
  }
  const keys = new Map<string, { at: number; value: number }>();
  if (open !== 123) return keys;
  let at = skipSpace(text, start + 1);
  while (text.charCodeAt(at) === 34) {
    const end = skipString(text, at);
    const raw = text.slice(at, end);
    const key = escapePointerToken(raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1));
    if (keys.has(key)) return 'duplicates';
    const value = skipSpace(text, skipSpace(text, end) + 1);
    keys.set(key, { at, value });
    at = skipSpace(text, skipValue(text, value));
    if (text.charCodeAt(at) !== 44) break;
    at = skipSpace(text, at + 1);
  }
  return keys;
}

function skipSpace(text: string, at: number): number {
  for (let c = text.charCodeAt(at); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++at));
  return at;
}

/** Offset just past the string whose opening quote is at `at`. */
function skipString(text: string, at: number): number {
  for (let i = at + 1; ; ) {
    const quote = text.indexOf('"', i);
    if (quote === -1) return text.length;
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** Offset just past the value starting at `at` (valid JSON: the document parsed). */
function skipValue(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === 34) return skipString(text, at);
  if (c !== 123 && c !== 91) {
    let i = at;
    for (let d = text.charCodeAt(i); i < text.length && d !== 44 && d !== 125 && d !== 93 && d !== 32 && d !== 10 && d !== 13 && d !== 9; d = text.charCodeAt(++i));
    return i;
  }
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === 34) i = skipString(text, i) - 1;
    else if (d === 123 || d === 91) depth++;
    else if ((d === 125 || d === 93) && --depth === 0) return i + 1;
  }
  return text.length;
}
