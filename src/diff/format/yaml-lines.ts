import type { Node } from 'yaml';
import { positionalYaml, unescapePointerToken } from '../../load/parse.js';

/**
 * Line (1-based) of the deepest node on a JSON pointer's path that exists in a YAML text: the line of the last
 * matched key, or of the last matched sequence item; undefined when not even the first token matches.
 *
 * A full position-tracking parse of a 3 MB spec costs about a second, and a report names a few hundred places at
 * most. So this reads only the lines on each pointer's path, through an indentation index built in one pass over
 * the text, and knows block mappings and sequences with plain or quoted keys: what real contracts are written in.
 * Anything else on the path (flow collections, anchors, tags, complex or non-string keys, escapes) falls back to
 * the full parse for that pointer, so every answer is the one the `yaml` parser gives.
 */
export function yamlLines(text: string): (pointer: string) => number | undefined {
  const index = new LineIndex(text);
  let full: ((pointer: string) => number | undefined) | undefined;
  return (pointer) => {
    const found = index.find(pointer);
    if (found !== BAIL) return found;
    full ??= fullParse(text);
    return full(pointer);
  };
}

const BAIL = Symbol('bail');
type Answer = number | undefined | typeof BAIL;

/** A block collection: its kind, the column its entries start at, and its lines [start, end). */
interface Block {
  kind: 'map' | 'seq';
  indent: number;
  start: number;
  end: number;
  /** A compact mapping inside a sequence item (`- name: a`): its first key sits on the dash line, at `indent`. */
  compact: boolean;
  keys?: Keys;
  items?: number[];
}

/** A mapping's keys up to the first line the index cannot read (`unreadable`), if any. */
interface Keys {
  entries: Map<string, { line: number; rest: string }>;
  unreadable?: number;
}

/** Where a path step landed: the line to report, and the block below it (absent: a scalar or nothing). */
interface Step {
  line: number;
  block?: Block;
  /** A flow collection or a node with an anchor or tag: going deeper needs the full parse. */
  opaque?: true;
}

/** Plain keys the `yaml` core schema would read as a string; numbers become strings only in canonical form. */
const NON_STRING_START = /^[-+.0-9~]|^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const CANONICAL_INT = /^(?:0|[1-9][0-9]{0,14})$/;

class LineIndex {
  private readonly starts: number[] = [];
  /** Indentation of each line; -1 for blank and comment-only lines (they never start or end a block). */
  private readonly indents: Int32Array;
  private readonly steps = new Map<string, Step | typeof BAIL>();

  constructor(private readonly text: string) {
    const starts = this.starts;
    for (let at = 0; at !== -1 && at <= text.length; ) {
      starts.push(at);
      const next = text.indexOf('\n', at);
      at = next === -1 ? -1 : next + 1;
    }
    this.indents = new Int32Array(starts.length);
    for (let line = 0; line < starts.length; line++) {
      let at = starts[line] as number;
      if (line === 0 && text.charCodeAt(0) === 0xfeff) at++;
      let column = 0;
      while (text.charCodeAt(at + column) === 32) column++;
      const c = text.charCodeAt(at + column);
      const blank = Number.isNaN(c) || c === 10 || c === 35 || (c === 13 && text.charCodeAt(at + column + 1) === 10);
      this.indents[line] = blank ? -1 : column;
    }
  }

  find(pointer: string): Answer {
    if (pointer === '') return undefined;
    const tokens = pointer.split('/').slice(1);
    let step: Step | typeof BAIL | undefined;
    let line: number | undefined;
    let prefix = '';
    for (const raw of tokens) {
      const parent: Step | typeof BAIL = prefix === '' ? this.root() : (step as Step);
      prefix += `/${raw}`;
      let next = this.steps.get(prefix);
      if (next === undefined) {
        next = parent === BAIL || parent.opaque ? BAIL : parent.block ? this.child(parent.block, unescapePointerToken(raw)) : { line: -1 };
        this.steps.set(prefix, next);
      }
      if (next === BAIL) return BAIL;
      if (next.line === -1) break;
      step = next;
      line = next.line;
    }
    return line === undefined ? undefined : line + 1;
  }

  private rootStep: Step | typeof BAIL | undefined;

  private root(): Step | typeof BAIL {
    if (this.rootStep !== undefined) return this.rootStep;
    let line = 0;
    for (; line < this.starts.length; line++) {
      if (this.indents[line] === -1) continue;
      const content = this.content(line);
      if (content.startsWith('%') || content === '---') continue;
      if (content.startsWith('---') || content.startsWith('...')) return (this.rootStep = BAIL);
      break;
    }
    const block = line < this.starts.length ? this.blockAt(line, this.starts.length, this.indents[line] as number) : undefined;
    this.rootStep = block === BAIL ? BAIL : { line: -1, ...(block ? { block } : {}) };
    return this.rootStep;
  }

  /** The text of a line from its indentation on, without the line break. */
  private content(line: number, column = this.indents[line] as number): string {
    const start = (this.starts[line] as number) + (line === 0 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0) + column;
    const next = this.starts[line + 1];
    let end = next === undefined ? this.text.length : next - 1;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  /** A block collection whose first entry is on `line` at `indent`: it runs to a line indented less (a sequence also to a non-item line at its indentation). */
  private blockAt(line: number, limit: number, indent: number, compactFirst?: string): Block | typeof BAIL | undefined {
    const first = compactFirst ?? this.content(line);
    const kind = first === '-' || first.startsWith('- ') ? 'seq' : 'map';
    if (kind === 'map' && (first.startsWith('{') || first.startsWith('[') || /^[&!*?|>]/.test(first))) return BAIL;
    let end = line + 1;
    for (; end < limit; end++) {
      const at = this.indents[end] as number;
      if (at === -1 || at > indent) continue;
      if (at < indent) break;
      const text = this.content(end);
      const dash = text === '-' || text.startsWith('- ');
      // A dash at a mapping's own indentation is a sequence that is the value of the key above it.
      if (kind === 'seq' && !dash) break;
    }
    return { kind, indent, start: line, end, compact: compactFirst !== undefined };
  }

  private child(block: Block, token: string): Step | typeof BAIL {
    return block.kind === 'map' ? this.key(block, token) : this.item(block, token);
  }

  private key(block: Block, token: string): Step | typeof BAIL {
    const keys = (block.keys ??= this.keysOf(block));
    const entry = keys.entries.get(token);
    // Read line by line, an entry the index cannot read before the match (or with no match) would have stopped it.
    if (keys.unreadable !== undefined && (entry === undefined || keys.unreadable < entry.line)) return BAIL;
    return entry ? this.value(entry.line, block, entry.rest) : { line: -1 };
  }

  /** Every key of a block mapping (the first of duplicates, as the full parse finds it), read once. */
  private keysOf(block: Block): Keys {
    const entries = new Map<string, { line: number; rest: string }>();
    for (let line = block.start; line < block.end; line++) {
      const first = block.compact && line === block.start;
      if (this.indents[line] !== block.indent && !first) continue;
      const text = this.content(line, first ? this.dashContentColumn(line) : block.indent);
      // A same-indent sequence is the value of the key above it.
      if (text === '-' || text.startsWith('- ')) continue;
      const entry = parseKey(text);
      // A line at a mapping's indentation that is not `key:` (a second document, a stray scalar): unusual, so exact.
      if (entry === BAIL || entry.key === undefined) return { entries, unreadable: line };
      if (!entries.has(entry.key)) entries.set(entry.key, { line, rest: entry.rest });
    }
    return { entries };
  }

  /** What follows `key:` on `line`: a scalar or flow value on the same line, or a block below it. */
  private value(line: number, parent: Block, rest: string): Step | typeof BAIL {
    const inline = stripComment(rest);
    if (inline !== '') {
      // Anchors, tags and flow collections may hold more path: the full parse knows them.
      return /^[&!{[]/.test(inline) ? { line, opaque: true } : { line };
    }
    const limit = parent.end;
    let next = line + 1;
    while (next < limit && this.indents[next] === -1) next++;
    if (next >= limit) return { line };
    const at = this.indents[next] as number;
    const keyColumn = parent.indent;
    const text = this.content(next);
    if (at > keyColumn || (at === keyColumn && (text === '-' || text.startsWith('- ')))) {
      const block = this.blockAt(next, limit, at);
      if (block === BAIL) return BAIL;
      return block ? { line, block } : { line };
    }
    return { line };
  }

  private item(block: Block, token: string): Step | typeof BAIL {
    const wanted = Number(token);
    if (!Number.isInteger(wanted) || wanted < 0) return { line: -1 };
    const items = (block.items ??= this.itemsOf(block));
    const line = items[wanted];
    if (line === undefined) return { line: -1 };
    {
      const after = this.content(line).slice(1);
      const inline = stripComment(after.trimStart());
      const column = this.dashContentColumn(line);
      if (inline === '') {
        // `-` alone: the item is the block on the following lines (or null, which the full parse places).
        let next = line + 1;
        while (next < block.end && this.indents[next] === -1) next++;
        if (next >= block.end || (this.indents[next] as number) <= block.indent) return BAIL;
        const inner = this.blockAt(next, block.end, this.indents[next] as number);
        if (inner === BAIL) return BAIL;
        return inner ? { line: next, block: inner } : { line: next };
      }
      if (/^[&!{[?*|>-]/.test(inline)) return BAIL;
      const entry = parseKey(inline);
      if (entry === BAIL) return BAIL;
      if (entry.key === undefined) return { line };
      // A compact mapping: `- name: a`, further keys on the following lines at the column of `name`.
      const inner = this.blockAt(line, block.end, column, this.content(line, column));
      if (inner === BAIL) return BAIL;
      return inner ? { line, block: inner } : { line };
    }
  }

  private itemsOf(block: Block): number[] {
    const items: number[] = [];
    for (let line = block.start; line < block.end; line++) if (this.indents[line] === block.indent) items.push(line);
    return items;
  }

  /** Column of the first character after `- ` on a sequence line. */
  private dashContentColumn(line: number): number {
    const start = this.starts[line] as number;
    let column = (this.indents[line] as number) + 1;
    while (this.text.charCodeAt(start + column) === 32) column++;
    return column;
  }
}

/** `key: rest` -> the key as the `yaml` parser's String(key) would give it; key undefined when not a mapping entry. */
function parseKey(text: string): { key?: string; rest: string } | typeof BAIL {
  const first = text[0];
  if (first === '"' || first === "'") {
    let key = '';
    let at = 1;
    for (;;) {
      const c = text[at];
      if (c === undefined || (first === '"' && c === '\\')) return BAIL;
      if (c === first) {
        if (first === "'" && text[at + 1] === "'") {
          key += "'";
          at += 2;
          continue;
        }
        break;
      }
      key += c;
      at++;
    }
    const after = text.slice(at + 1).trimStart();
    if (!after.startsWith(':')) return after === '' || after.startsWith('#') ? { rest: '' } : BAIL;
    if (after.length > 1 && after[1] !== ' ' && after[1] !== '\t') return BAIL;
    return { key, rest: after.slice(1) };
  }
  if (/^[&!*?|>%@`{[]/.test(text)) return BAIL;
  const colon = keyEnd(text);
  if (colon === -1) return { rest: '' };
  const key = text.slice(0, colon).trimEnd();
  if (key === '' || key.includes(' #') || key.includes('\t')) return BAIL;
  if (NON_STRING_START.test(key) && !CANONICAL_INT.test(key)) return BAIL;
  return { key, rest: text.slice(colon + 1) };
}

/** Index of the `:` that ends a plain key (followed by a space, a tab or the end), or -1. */
function keyEnd(text: string): number {
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) {
    const next = text[at + 1];
    if (next === undefined || next === ' ' || next === '\t') return at;
  }
  return -1;
}

function stripComment(rest: string): string {
  const trimmed = rest.trim();
  return trimmed.startsWith('#') ? '' : trimmed;
}

/** The position-tracking parse: exact for every YAML construct, and slow on large texts. */
function fullParse(text: string): (pointer: string) => number | undefined {
  const { LineCounter, parseDocument, isMap, isScalar, isSeq } = positionalYaml();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  return (pointer) => {
    let node: Node | null | undefined = doc.contents;
    let offset: number | undefined;
    for (const token of pointer.split('/').slice(1).map(unescapePointerToken)) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
        if (!pair || !isScalar(pair.key)) break;
        offset = pair.key.range?.[0];
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const item = node.items[Number(token)] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0];
        node = item;
      } else break;
    }
    return offset === undefined ? undefined : counter.linePos(offset).line;
  };
}

/** For tests: the full parse's answer, to check the index against. */
export const yamlLinesByFullParse = fullParse;
