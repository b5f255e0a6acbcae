import type { IrOperation, IrServer } from '../ir/types.js';

/**
 * Precompiled routing table: a segment trie built once (literal children in a Map, then partial-segment patterns
 * such as `{name}.{ext}`, then whole-segment parameters), so a lookup costs a few Map probes whatever the size of
 * the spec. Base paths come from the path part of the declared servers; a request without the base path is also
 * accepted, so `createClient({ baseUrl: mock.url })` works whichever server URL the contract names.
 */

interface PatternChild {
  regex: RegExp;
  node: TrieNode;
}

/** An operation at a leaf, with its own parameter names: templates that share the trie may name them differently. */
interface Route {
  operation: IrOperation;
  names: string[];
  /** Query pairs written into the path key (`/responses?beta=true`), which must then be in the request. */
  query: Array<[string, string]>;
}

interface TrieNode {
  literal: Map<string, TrieNode>;
  patterns: PatternChild[];
  param: TrieNode | undefined;
  /** Method -> routes; more than one when templates differ only in parameter names (`/a/{id}`, `/a/{name}`). */
  operations: Map<string, Route[]> | undefined;
}

export interface RouteCandidate {
  operation: IrOperation;
  params: Record<string, string>;
}

export type RouteResult =
  | { kind: 'match'; operation: IrOperation; params: Record<string, string>; basePath: string; segments: string[]; alternatives: RouteCandidate[] }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

const newNode = (): TrieNode => ({ literal: new Map(), patterns: [], param: undefined, operations: undefined });

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function serverBase(server: IrServer): string {
  const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => server.variables[name]?.default ?? whole);
  let pathname: string;
  try {
    pathname = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? new URL(url).pathname : new URL(url, 'http://base.invalid').pathname;
  } catch {
    return '';
  }
  const decoded = pathname.replace(/\/+$/, '');
  return decoded === '/' ? '' : decoded;
}

export function basePathsOf(servers: readonly IrServer[]): string[] {
  const bases = new Set(servers.map(serverBase));
  bases.add('');
  return [...bases].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
}

export class Router {
  private readonly root = newNode();
  readonly basePaths: string[];

  constructor(operations: readonly IrOperation[], servers: readonly IrServer[]) {
    const all = new Set<IrServer>(servers);
    for (const operation of operations) for (const server of operation.servers ?? []) all.add(server);
    this.basePaths = basePathsOf([...all]);
    for (const operation of operations) this.add(operation);
  }

  private add(operation: IrOperation): void {
    let node = this.root;
    const names: string[] = [];
    const queryAt = operation.path.indexOf('?');
    const template = queryAt < 0 ? operation.path : operation.path.slice(0, queryAt);
    const query = queryAt < 0 ? [] : [...new URLSearchParams(operation.path.slice(queryAt + 1))];
    for (const segment of splitPath(template.split('#')[0] ?? template)) {
      const whole = /^\{([^{}]+)\}$/.exec(segment);
      if (whole) {
        names.push(whole[1] as string);
        node.param ??= newNode();
        node = node.param;
        continue;
      }
      if (segment.includes('{')) {
        const source = segment
          .split(/(\{[^{}]+\})/)
          .map((part) => {
            const param = /^\{([^{}]+)\}$/.exec(part);
            if (!param) return escapeRegex(part);
            names.push(param[1] as string);
            return '([^/]+?)';
          })
          .join('');
        let child = node.patterns.find((p) => p.regex.source === `^${source}$`);
        if (!child) {
          child = { regex: new RegExp(`^${source}$`), node: newNode() };
          node.patterns.push(child);
        }
        node = child.node;
        continue;
      }
      let next = node.literal.get(segment);
      if (!next) {
        next = newNode();
        node.literal.set(segment, next);
      }
      node = next;
    }
    node.operations ??= new Map();
    const routes = node.operations.get(operation.method) ?? [];
    routes.push({ operation, names, query });
    // Routes that ask for query pairs are tried before the plain one they refine.
    routes.sort((a, b) => b.query.length - a.query.length);
    node.operations.set(operation.method, routes);
  }

  /** `pathname` is the raw (still percent-encoded) path of the request. */
  match(method: string, pathname: string, search = ''): RouteResult {
    const query = new URLSearchParams(search);
    const lower = method.toLowerCase();
    let allow: Set<string> | undefined;
    const tried = new Set<string>();
    for (const base of this.basePaths) {
      if (base !== '' && pathname !== base && !pathname.startsWith(`${base}/`)) continue;
      const rest = pathname.slice(base.length) || '/';
      if (tried.has(rest)) continue;
      tried.add(rest);
      const segments = splitPath(rest);
      const found: Array<{ node: TrieNode; values: string[] }> = [];
      this.walk(this.root, segments, 0, [], found);
      for (const candidate of found) {
        const operations = candidate.node.operations as Map<string, Route[]>;
        const routes = (operations.get(lower) ?? (lower === 'head' ? operations.get('get') : undefined))?.filter((route) => route.query.every(([k, v]) => query.getAll(k).includes(v)));
        if (routes && routes.length > 0) {
          const alternatives = routes.map((route) => ({ operation: route.operation, params: zip(route.names, candidate.values) }));
          const [first] = alternatives as [RouteCandidate];
          return { kind: 'match', operation: first.operation, params: first.params, basePath: base, segments, alternatives };
        }
        allow ??= new Set();
        for (const key of operations.keys()) allow.add(key.toUpperCase());
        if (operations.has('get')) allow.add('HEAD');
      }
    }
    if (allow) return { kind: 'method-not-allowed', allow: [...allow].sort() };
    return { kind: 'not-found' };
  }

  /** Collects every node that matches (literal first), so a method mismatch on one can fall through to another. */
  private walk(node: TrieNode, segments: string[], index: number, values: string[], found: Array<{ node: TrieNode; values: string[] }>): void {
    if (found.length >= 8) return;
    if (index === segments.length) {
      if (node.operations) found.push({ node, values: [...values] });
      return;
    }
    const segment = segments[index] as string;
    const literal = node.literal.get(safeDecode(segment) ?? segment);
    if (literal) this.walk(literal, segments, index + 1, values, found);
    for (const pattern of node.patterns) {
      const match = pattern.regex.exec(segment);
      if (match) this.walk(pattern.node, segments, index + 1, [...values, ...match.slice(1).map((v) => v ?? '')], found);
    }
    if (node.param && segment !== '') this.walk(node.param, segments, index + 1, [...values, segment], found);
  }
}

function zip(names: readonly string[], values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  names.forEach((name, i) => Object.defineProperty(out, name, { value: values[i] ?? '', enumerable: true, writable: true, configurable: true }));
  return out;
}

export function splitPath(pathname: string): string[] {
  const trimmed = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  if (trimmed === '/' || trimmed === '') return [];
  return trimmed.replace(/^\//, '').split('/');
}

export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
