/**
 * Path-template matching for the provider router: a tree of path segments, so a lookup costs one step per segment
 * whatever the number of operations. Literal segments win over templated ones (OpenAPI: `/pets/mine` before
 * `/pets/{id}`); a segment may mix text and variables (`{name}.{ext}`, `v{version}`).
 */

interface Node<T> {
  literal: Map<string, Node<T>>;
  /** Segments that are exactly one variable. */
  variable: { names: Set<string>; node: Node<T> } | undefined;
  /** Segments mixing text and variables, tried in declaration order. */
  patterns: Array<{ regex: RegExp; names: string[]; node: Node<T> }>;
  /** Method (upper case) -> route. */
  routes: Map<string, T>;
}

export interface Match<T> {
  route: T;
  /** Variable name -> raw (percent-encoded) segment text. */
  params: Record<string, string>;
}

export type MatchResult<T> =
  { kind: 'found'; match: Match<T> } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

function newNode<T>(): Node<T> {
  return { literal: new Map(), variable: undefined, patterns: [], routes: new Map() };
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class PathMatcher<T> {
  private readonly root: Node<T> = newNode();

  add(method: string, template: string, route: T): void {
    let node = this.root;
    for (const segment of splitPath(template)) {
      const whole = /^\{([^{}]+)\}$/.exec(segment);
      if (whole !== null) {
        // Templates naming the same position differently (`/a/{id}` and `/a/{key}/b`) share the node; the value
        // is captured under every name, and each route reads its own.
        node.variable ??= { names: new Set(), node: newNode() };
        node.variable.names.add(whole[1] ?? '');
        node = node.variable.node;
      } else if (segment.includes('{')) {
        const names: string[] = [];
        const source = segment.replace(
          /\{([^{}]+)\}|([^{]+)/g,
          (_all, variable: string | undefined, text: string | undefined) => {
            if (variable !== undefined) {
              names.push(variable);
              return '(.+?)';
            }
            return escapeRegex(text ?? '');
          },
        );
        let entry = node.patterns.find((p) => p.regex.source === `^${source}$` && p.names.join() === names.join());
        if (entry === undefined) {
          entry = { regex: new RegExp(`^${source}$`), names, node: newNode() };
          node.patterns.push(entry);
        }
        node = entry.node;
      } else {
        let next = node.literal.get(segment);
        if (next === undefined) {
          next = newNode();
          node.literal.set(segment, next);
        }
        node = next;
      }
    }
    node.routes.set(method.toUpperCase(), route);
  }

  match(method: string, path: string): MatchResult<T> {
    const segments = splitPath(path);
    const captured: Array<[string, string]> = [];
    const found = this.walk(this.root, segments, 0, captured);
    if (found === undefined) return { kind: 'none' };
    const route =
      found.routes.get(method.toUpperCase()) ?? (method.toUpperCase() === 'HEAD' ? found.routes.get('GET') : undefined);
    if (route === undefined) return { kind: 'method', allowed: [...found.routes.keys()].sort() };
    const params: Record<string, string> = {};
    for (const [name, value] of captured) params[name] = value;
    return { kind: 'found', match: { route, params } };
  }

  private walk(
    node: Node<T>,
    segments: readonly string[],
    index: number,
    captured: Array<[string, string]>,
  ): Node<T> | undefined {
    if (index === segments.length) return node.routes.size > 0 ? node : undefined;
    const segment = segments[index] ?? '';
    const literal = node.literal.get(segment);
    if (literal !== undefined) {
      const found = this.walk(literal, segments, index + 1, captured);
      if (found !== undefined) return found;
    }
    for (const pattern of node.patterns) {
      const match = pattern.regex.exec(segment);
      if (match === null) continue;
      const mark = captured.length;
      pattern.names.forEach((name, i) => captured.push([name, match[i + 1] ?? '']));
      const found = this.walk(pattern.node, segments, index + 1, captured);
      if (found !== undefined) return found;
      captured.length = mark;
    }
    if (node.variable !== undefined && segment !== '') {
      const mark = captured.length;
      for (const name of node.variable.names) captured.push([name, segment]);
      const found = this.walk(node.variable.node, segments, index + 1, captured);
      if (found !== undefined) return found;
      captured.length = mark;
    }
    return undefined;
  }
}

/** `/a/b/` -> ['a', 'b', '']: a trailing slash is a distinct (empty) segment, as URLs treat it. */
function splitPath(path: string): string[] {
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  return trimmed === '' ? [] : trimmed.split('/');
}

const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Why a raw (percent-encoded) path must not be routed, or undefined: a `.` or `..` segment, written or encoded
 * (`%2e%2e`), percent-encoding that does not decode, or a control character (`%00`) once decoded. Encoded slashes
 * stay inside their segment as part of a parameter value; nothing is decoded twice (`%252e` is the text `%2e`).
 */
export function unsafePathReason(pathname: string): string | undefined {
  if (CONTROL.test(pathname)) return 'The path contains a control character';
  if (!pathname.includes('%') && !pathname.includes('/.')) return undefined;
  for (const segment of pathname.split('/')) {
    let decoded = segment;
    if (segment.includes('%')) {
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        return 'The path has invalid percent-encoding';
      }
    }
    if (decoded === '.' || decoded === '..') return 'The path has a "." or ".." segment';
    if (CONTROL.test(decoded)) return 'The path contains an encoded control character';
  }
  return undefined;
}
