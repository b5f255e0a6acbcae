import jsYaml from 'js-yaml';
import { parseDocument, LineCounter, isMap, isSeq, isScalar, type Node } from 'yaml';
import { ConcordError } from '../errors.js';

// Core schema (what YAML 1.2 and JSON agree on) plus merge keys: no Date objects from unquoted dates, no binary.
const MERGE_KEY = new jsYaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
const YAML_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [MERGE_KEY] });

/** Parse JSON or YAML text into plain data. YAML merge keys (`<<`) are honoured. */
export function parseText(text: string, file: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      // Fall through to YAML only to get a line number: valid JSON is valid YAML 1.2.
      const position = lineOfJsonError(text, error);
      throw new ConcordError('SPEC_PARSE', `Invalid JSON: ${error instanceof Error ? error.message : String(error)}`, {
        location: { file, ...position },
      });
    }
  }
  // js-yaml parses the 3 MB OpenAI spec in 0.6 s where `yaml` takes 4.3 s; both honour merge keys (`<<`).
  try {
    return jsYaml.load(text, { filename: file, schema: YAML_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line?: number; column?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
    throw new ConcordError('SPEC_PARSE', `Invalid YAML: ${reason}`, {
      location: { file, ...(mark?.line !== undefined ? { line: mark.line + 1, column: (mark.column ?? 0) + 1 } : {}) },
    });
  }
}

function lineOfJsonError(text: string, error: unknown): { line?: number; column?: number } {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message);
  if (!match?.[1]) return {};
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Line (1-based) of the node a JSON pointer names, for error messages. Only called on the error path. */
export function lineOfPointer(text: string, pointer: string): number | undefined {
  return lineFinder(text)(pointer);
}

/** Parse once, then look up many pointers: a contract with forty broken refs is not parsed forty times. */
export function lineFinder(text: string): (pointer: string) => number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  return (pointer) => {
    let node: Node | null | undefined = doc.contents;
    let keyOffset: number | undefined;
    for (const token of pointer.split('/').slice(1).map(unescapePointerToken)) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
        if (!pair) break;
        keyOffset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const item = node.items[Number(token)];
        node = item as Node | null | undefined;
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
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function toPointer(path: ReadonlyArray<string | number>): string {
  return path.map((segment) => `/${escapePointerToken(String(segment))}`).join('');
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
