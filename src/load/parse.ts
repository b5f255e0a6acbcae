import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

export { parseText } from './parse-text.js';

let yaml: typeof Yaml | undefined;

/**
 * The position-tracking `yaml` package, loaded on first use: only error paths and annotations need it, and loading
 * it costs ~40 ms of every command's start-up (js-yaml does the parsing).
 */
export function positionalYaml(): typeof Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml;
}

/** Line (1-based) of the node a JSON pointer names, for error messages. Only called on the error path. */
export function lineOfPointer(text: string, pointer: string): number | undefined {
  return lineFinder(text)(pointer);
}

/** Parse once, then look up many pointers: a contract with forty broken refs is not parsed forty times. */
export function lineFinder(text: string): (pointer: string) => number | undefined {
  const { LineCounter, parseDocument, isMap, isScalar, isSeq } = positionalYaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  return (pointer) => {
    let node: Yaml.Node | null | undefined = doc.contents;
    let keyOffset: number | undefined;
    for (const token of pointer.split('/').slice(1).map(unescapePointerToken)) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
        if (!pair) break;
        keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
        node = pair.value as Yaml.Node | null;
      } else if (isSeq(node)) {
        const item = node.items[Number(token)];
        node = item as Yaml.Node | null | undefined;
        keyOffset = node?.range?.[0];
      } else {
        break;
      }
    }
    return keyOffset === undefined ? undefined : lineCounter.linePos(keyOffset).line;
  };
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerToken(token: string): string {
  // Most tokens have no escape: skipping the two regex replaces halves the cost of resolving a pointer.
  return token.includes('~') ? token.replace(/~1/g, '/').replace(/~0/g, '~') : token;
}

export function toPointer(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of path) {
    const text = String(segment);
    out += '/' + (text.includes('~') || text.includes('/') ? escapePointerToken(text) : text);
  }
  return out;
}

/**
 * The value at an RFC 6901 pointer (or a `#/...` ref) inside `root`, or undefined. Tokens may be
 * percent-encoded (bundlers write `%7Bid%7D` for `{id}`).
 */
export function resolvePointer(root: unknown, pointerOrRef: string): unknown {
  const pointer = pointerOrRef.startsWith('#') ? pointerOrRef.slice(1) : pointerOrRef;
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    let token = unescapePointerToken(raw);
    if (token.includes('%')) {
      try {
        token = decodeURIComponent(token);
      } catch {
        // not percent-encoded after all
      }
    }
    if (Array.isArray(node)) node = node[Number(token)];
    else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, token)) node = (node as Record<string, unknown>)[token];
    else return undefined;
  }
  return node;
}
