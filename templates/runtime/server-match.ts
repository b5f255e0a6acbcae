/**
 * Path-template matching for the provider router: a tree of path segments, so a lookup costs one step per segment
 * whatever the number of operations. Literal segments win over templated ones (OpenAPI: `/pets/mine` before
 * `/pets/{id}`); a segment may mix text and variables (`{name}.{ext}`, `v{version}`).
 */

interface Entry<T> {
  route: T;
  /** Query pairs written into the path key (`/responses?beta=true`): the request must carry them. */
  query: ReadonlyArray<readonly [string, string]>;
}

interface Node<T> {
  literal: Map<string, Node<T>>;
  /** Segments that are exactly one variable. */
  variable: { names: Set<string>; node: Node<T> } | undefined;
  /** Segments mixing text and variables, tried in declaration order. */
  patterns: Array<{ regex: RegExp; names: string[]; node: Node<T> }>;
  /** Method (upper case) -> routes, those asking for query pairs first. */
  routes: Map<string, Array<Entry<T>>>;
}

export interface Match<T> {
  route: T;
  /** Variable name -> raw (percent-encoded) segment text. */
  params: Record<string, string>;
  /**
   * Other routes of the same method at the same place (templates differing only in parameter names, `/a/{id}` and
   * `/a/{name}`); absent when there are none. The caller may pick the first whose parameters fit.
   */
  alternatives?: T[];
}

export type MatchResult<T> =
  { kind: 'found'; match: Match<T> } | { kind: 'method'; allowed: string[] } | { kind: 'none' };

export interface MatcherOptions {
  /** `/pets/` finds `/pets` (the mock's leniency); by default a trailing slash is a distinct, empty segment. */
  ignoreTrailingSlash?: boolean;
}

function newNode<T>(): Node<T> {
  return { literal: new Map(), variable: undefined, patterns: [], routes: new Map() };
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function queryPairs(search: string): Array<[string, string]> {
  return search === '' ? [] : [...new URLSearchParams(search)];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export class PathMatcher<T> {
  private readonly root: Node<T> = newNode();
  private readonly ignoreTrailingSlash: boolean;

  constructor(options: MatcherOptions = {}) {
    this.ignoreTrailingSlash = options.ignoreTrailingSlash === true;
  }

  add(method: string, template: string, route: T): void {
    const at = template.indexOf('?');
    let node = this.root;
    for (const segment of splitPath(at === -1 ? template : template.slice(0, at), this.ignoreTrailingSlash)) {
      node = this.child(node, segment);
    }
    const key = method.toUpperCase();
    const list = node.routes.get(key) ?? [];
    list.push({ route, query: at === -1 ? [] : queryPairs(template.slice(at + 1)) });
    // Routes that ask for query pairs are tried before the plain one they refine.
    list.sort((a, b) => b.query.length - a.query.length);
    node.routes.set(key, list);
  }

  private child(node: Node<T>, segment: string): Node<T> {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole !== null) {
      // Templates naming the same position differently (`/a/{id}` and `/a/{key}/b`) share the node; the value
      // is captured under every name, and each route reads its own.
      node.variable ??= { names: new Set(), node: newNode() };
      node.variable.names.add(whole[1] ?? '');
      return node.variable.node;
    }
    if (segment.includes('{')) {
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
      return entry.node;
    }
    let next = node.literal.get(segment);
    if (next === undefined) {
      next = newNode();
      node.literal.set(segment, next);
    }
    return next;
  }

  /**
   * The first place (literal before pattern before variable) that has a route for the method; a method missing at
   * one place falls through to the next (`DELETE /pets/mine` finds `DELETE /pets/{id}`). `search` is the raw query.
   */
  match(method: string, path: string, search = ''): MatchResult<T> {
    const upper = method.toUpperCase();
    const state: Walk<T> = {
      method: upper,
      search,
      pairs: undefined,
      captured: [],
      allowed: undefined,
      found: undefined,
    };
    this.walk(this.root, splitPath(path, this.ignoreTrailingSlash), 0, state);
    if (state.found !== undefined) return { kind: 'found', match: state.found };
    if (state.allowed === undefined) return { kind: 'none' };
    return { kind: 'method', allowed: [...state.allowed].sort() };
  }

  /** Whether `node` ends the walk: it has a route for the method (recorded in `state`). */
  private accept(node: Node<T>, state: Walk<T>): boolean {
    if (node.routes.size === 0) return false;
    const list = node.routes.get(state.method) ?? (state.method === 'HEAD' ? node.routes.get('GET') : undefined);
    const fitting = list?.filter((e) => e.query.length === 0 || e.query.every((pair) => hasPair(state, pair)));
    if (fitting === undefined || fitting.length === 0) {
      state.allowed ??= new Set();
      for (const key of node.routes.keys()) state.allowed.add(key);
      // HEAD is answered wherever GET is.
      if (node.routes.has('GET')) state.allowed.add('HEAD');
      return false;
    }
    const params: Record<string, string> = {};
    for (const [name, value] of state.captured) params[name] = value;
    const [first, ...rest] = fitting;
    state.found = { route: (first as Entry<T>).route, params };
    if (rest.length > 0) state.found.alternatives = rest.map((e) => e.route);
    return true;
  }

  private walk(node: Node<T>, segments: readonly string[], index: number, state: Walk<T>): boolean {
    if (index === segments.length) return this.accept(node, state);
    const segment = segments[index] ?? '';
    const literal =
      node.literal.get(segment) ?? (segment.includes('%') ? node.literal.get(safeDecode(segment)) : undefined);
    if (literal !== undefined && this.walk(literal, segments, index + 1, state)) return true;
    const { captured } = state;
    for (const pattern of node.patterns) {
      const match = pattern.regex.exec(segment);
      if (match === null) continue;
      const mark = captured.length;
      pattern.names.forEach((name, i) => captured.push([name, match[i + 1] ?? '']));
      if (this.walk(pattern.node, segments, index + 1, state)) return true;
      captured.length = mark;
    }
    if (node.variable !== undefined && segment !== '') {
      const mark = captured.length;
      for (const name of node.variable.names) captured.push([name, segment]);
      if (this.walk(node.variable.node, segments, index + 1, state)) return true;
      captured.length = mark;
    }
    return false;
  }
}

interface Walk<T> {
  method: string;
  search: string;
  pairs: Array<[string, string]> | undefined;
  captured: Array<[string, string]>;
  allowed: Set<string> | undefined;
  found: Match<T> | undefined;
}

function hasPair(state: Walk<unknown>, [key, value]: readonly [string, string]): boolean {
  state.pairs ??= queryPairs(state.search);
  return state.pairs.some(([k, v]) => k === key && v === value);
}

/** `/a/b/` -> ['a', 'b', '']: a trailing slash is a distinct (empty) segment, as URLs treat it, unless ignored. */
function splitPath(path: string, ignoreTrailingSlash: boolean): string[] {
  let trimmed = path.startsWith('/') ? path.slice(1) : path;
  if (ignoreTrailingSlash && trimmed.endsWith('/')) trimmed = trimmed.slice(0, -1);
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
