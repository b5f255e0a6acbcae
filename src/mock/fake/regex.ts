import type { Rng } from './prng.js';

/**
 * Generates strings matching an ECMAScript pattern, for the subset specs use: literals, classes, escapes, groups,
 * alternation and quantifiers. Lookarounds and backreferences generate nothing; the caller verifies the result
 * with the real RegExp and retries, so an unsupported construct costs a retry, never a wrong answer.
 */

type Range = readonly [number, number];
type Node =
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'lit'; ch: string }
  | { t: 'set'; ranges: Range[]; negate: boolean }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'empty' };

const DIGIT: Range[] = [[48, 57]];
const WORD: Range[] = [[97, 122], [65, 90], [48, 57], [95, 95]];
const SPACE: Range[] = [[32, 32]];
const LETTERS: Range[] = [[97, 122], [65, 90]];
const NOT_WORD: Range[] = [[45, 45], [32, 32], [46, 46]];
const PRINTABLE: Range = [32, 126];

export interface ParsedPattern {
  node: Node;
  anchoredStart: boolean;
  anchoredEnd: boolean;
}

class Parser {
  private i = 0;
  anchoredStart = false;
  anchoredEnd = false;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Error(`Unexpected ${this.src[this.i]}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? (options[0] as Node) : { t: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atomStart = this.i;
      let atom = this.atom();
      if (this.i === atomStart) throw new Error('No progress');
      atom = this.quantified(atom);
      items.push(atom);
    }
    return { t: 'seq', items };
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!match) return atom;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' || match[3] === undefined ? Infinity : Number(match[3]);
      this.i += match[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?') this.i++;
    return { t: 'rep', node: atom, min, max };
  }

  private atom(): Node {
    const c = this.src[this.i] as string;
    if (c === '^') {
      this.i++;
      if (this.i === 1) this.anchoredStart = true;
      return { t: 'empty' };
    }
    if (c === '$') {
      this.i++;
      if (this.i === this.src.length) this.anchoredEnd = true;
      return { t: 'empty' };
    }
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '.') {
      this.i++;
      return { t: 'set', ranges: LETTERS, negate: false };
    }
    if (c === '\\') return this.escape(false);
    this.i++;
    return { t: 'lit', ch: c };
  }

  private group(): Node {
    this.i++;
    let lookaround = false;
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i)) {
      this.i += 2;
      lookaround = true;
    } else if (this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) {
      this.i += 3;
      lookaround = true;
    } else if (this.src.startsWith('?<', this.i)) {
      const end = this.src.indexOf('>', this.i);
      if (end < 0) throw new Error('Bad group name');
      this.i = end + 1;
    }
    const inner = this.alternation();
    if (this.src[this.i] !== ')') throw new Error('Unclosed group');
    this.i++;
    return lookaround ? { t: 'empty' } : inner;
  }

  private charClass(): Node {
    this.i++;
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const ranges: Range[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      const lo = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length && lo.length === 1) {
        this.i++;
        const hi = this.classAtom();
        const [a] = lo;
        const [b] = hi;
        if (hi.length === 1 && a && b && a[0] === a[1] && b[0] === b[1]) {
          ranges.push([a[0], b[0]]);
          continue;
        }
        ranges.push(...lo, [45, 45], ...hi);
        continue;
      }
      ranges.push(...lo);
    }
    if (this.src[this.i] !== ']') throw new Error('Unclosed class');
    this.i++;
    return { t: 'set', ranges, negate };
  }

  private classAtom(): Range[] {
    const c = this.src[this.i] as string;
    if (c === '\\') {
      const node = this.escape(true);
      if (node.t === 'lit') return [[node.ch.charCodeAt(0), node.ch.charCodeAt(0)]];
      if (node.t === 'set' && !node.negate) return node.ranges;
      if (node.t === 'set') return NOT_WORD;
      return [];
    }
    this.i++;
    return [[c.charCodeAt(0), c.charCodeAt(0)]];
  }

  private escape(inClass: boolean): Node {
    this.i++;
    const c = this.src[this.i] ?? '\\';
    this.i++;
    switch (c) {
      case 'd':
        return { t: 'set', ranges: DIGIT, negate: false };
      case 'D':
        return { t: 'set', ranges: LETTERS, negate: false };
      case 'w':
        return { t: 'set', ranges: WORD, negate: false };
      case 'W':
        return { t: 'set', ranges: NOT_WORD, negate: false };
      case 's':
        return { t: 'set', ranges: SPACE, negate: false };
      case 'S':
        return { t: 'set', ranges: LETTERS, negate: false };
      case 'b':
        return inClass ? { t: 'lit', ch: '\b' } : { t: 'empty' };
      case 'B':
        return { t: 'empty' };
      case 'n':
        return { t: 'lit', ch: '\n' };
      case 'r':
        return { t: 'lit', ch: '\r' };
      case 't':
        return { t: 'lit', ch: '\t' };
      case 'f':
        return { t: 'lit', ch: '\f' };
      case 'v':
        return { t: 'lit', ch: '\v' };
      case '0':
        return { t: 'lit', ch: '\0' };
      case 'x':
      case 'u': {
        const length = c === 'x' ? 2 : 4;
        const hex = this.src.slice(this.i, this.i + length);
        if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === length) {
          this.i += length;
          return { t: 'lit', ch: String.fromCharCode(parseInt(hex, 16)) };
        }
        return { t: 'lit', ch: c };
      }
      default:
        // Backreferences generate nothing (verification catches a mismatch); other escapes are the character.
        if (/[1-9]/.test(c) && !inClass) return { t: 'empty' };
        return { t: 'lit', ch: c };
    }
  }
}

export function parsePattern(source: string): ParsedPattern | undefined {
  try {
    const parser = new Parser(source);
    const node = parser.parse();
    return { node, anchoredStart: parser.anchoredStart, anchoredEnd: parser.anchoredEnd };
  } catch {
    return undefined;
  }
}

function inRanges(code: number, ranges: readonly Range[]): boolean {
  return ranges.some(([lo, hi]) => code >= lo && code <= hi);
}

function pickFromRanges(ranges: readonly Range[], rng: Rng): string {
  const total = ranges.reduce((n, [lo, hi]) => n + (hi - lo + 1), 0);
  let index = rng.int(0, Math.max(0, total - 1));
  for (const [lo, hi] of ranges) {
    const size = hi - lo + 1;
    if (index < size) return String.fromCharCode(lo + index);
    index -= size;
  }
  return 'a';
}

/** `stretch` raises the repetition of unbounded quantifiers, for a caller that needs a longer match. */
export function generateMatch(pattern: ParsedPattern, rng: Rng, stretch = 0): string {
  const out: string[] = [];
  let budget = 10_000;
  const walk = (node: Node): void => {
    if (--budget < 0) return;
    switch (node.t) {
      case 'seq':
        node.items.forEach(walk);
        return;
      case 'alt':
        walk(rng.pick(node.options));
        return;
      case 'lit':
        out.push(node.ch);
        return;
      case 'set': {
        if (!node.negate) {
          out.push(node.ranges.length === 0 ? 'a' : pickFromRanges(node.ranges, rng));
          return;
        }
        const preferred: Range[] = [[97, 122], [48, 57], [65, 90], PRINTABLE];
        for (const range of preferred) {
          for (let attempt = 0; attempt < 8; attempt++) {
            const ch = pickFromRanges([range], rng);
            if (!inRanges(ch.charCodeAt(0), node.ranges)) {
              out.push(ch);
              return;
            }
          }
        }
        out.push('~');
        return;
      }
      case 'rep': {
        const upper = node.max === Infinity ? node.min + 2 + stretch : Math.min(node.max, node.min + 3 + stretch);
        const count = rng.int(node.min, Math.max(node.min, upper));
        for (let k = 0; k < count; k++) walk(node.node);
        return;
      }
      case 'empty':
        return;
    }
  };
  walk(pattern.node);
  return out.join('');
}
