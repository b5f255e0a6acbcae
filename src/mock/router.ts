import type { IrOperation, IrServer } from '../ir/types.js';

/**
 * Precompiled routing table: a segment trie built once (literal children in a Map, then partial-segment patterns
 * such as `{name}.{ext}`, then whole-segment parameters), so a lookup costs a few Map probes whatever the size of
 * the spec. Base paths come from the path part of the declared servers; a request without the base path is also
 * accepted, so `createClient({ baseUrl: mock.url })` works whichever server URL the contract names.
 */

interface PatternChild {
  regex: RegExp;
  names: string[];
  node: TrieNode;
}

interface TrieNode {
  literal: Map<string, TrieNode>;
  patterns: PatternChild[];
  param: { name: string; node: TrieNode } | undefined;
  operations: Map<string, IrOperation> | undefined;
}

export type RouteResult =
  | { kind: 'match'; operation: IrOperation; params: Record<string, string>; basePath: string; segments: string[] }
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
    for (const segment of splitPath(operation.path)) {
      const whole = /^\{([^{}]+)\}$/.exec(segment);
      if (whole) {
        const name = whole[1] as string;
        node.param ??= { name, node: newNode() };
        node = node.param.node;
        continue;
      }
      if (segment.includes('{')) {
        const names: string[] = [];
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
          child = { regex: new RegExp(`^${source}$`), names, node: newNode() };
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
    if (!node.operations.has(operation.method)) node.operations.set(operation.method, operation);
  }

  /** `pathname` is the raw (still percent-encoded) path of the request. */
  match(method: string, pathname: string): RouteResult {
    const lower = method.toLowerCase();
    let allow: Set<string> | undefined;
    const tried = new Set<string>();
    for (const base of this.basePaths) {
      if (base !== '' && pathname !== base && !pathname.startsWith(`${base}/`)) continue;
      const rest = pathname.slice(base.length) || '/';
      if (tried.has(rest)) continue;
      tried.add(rest);
      const segments = splitPath(rest);
      const found: Array<{ node: TrieNode; params: Record<string, string> }> = [];
      this.walk(this.root, segments, 0, {}, found);
      for (const candidate of found) {
        const operations = candidate.node.operations as Map<string, IrOperation>;
        const operation = operations.get(lower) ?? (lower === 'head' ? operations.get('get') : undefined);
        if (operation) return { kind: 'match', operation, params: candidate.params, basePath: base, segments };
        allow ??= new Set();
        for (const key of operations.keys()) allow.add(key.toUpperCase());
        if (operations.has('get')) allow.add('HEAD');
      }
    }
    if (allow) return { kind: 'method-not-allowed', allow: [...allow].sort() };
    return { kind: 'not-found' };
  }

  /** Collects every node that matches (literal first), so a method mismatch on one can fall through to another. */
  private walk(node: TrieNode, segments: string[], index: number, params: Record<string, string>, found: Array<{ node: TrieNode; params: Record<string, string> }>): void {
    if (found.length >= 8) return;
    if (index === segments.length) {
      if (node.operations) found.push({ node, params: { ...params } });
      return;
    }
    const segment = segments[index] as string;
    const literal = node.literal.get(safeDecode(segment) ?? segment);
    if (literal) this.walk(literal, segments, index + 1, params, found);
    for (const pattern of node.patterns) {
      const match = pattern.regex.exec(segment);
      if (!match) continue;
      const next = { ...params };
      pattern.names.forEach((name, i) => (next[name] = match[i + 1] ?? ''));
      this.walk(pattern.node, segments, index + 1, next, found);
    }
    if (node.param && segment !== '') this.walk(node.param.node, segments, index + 1, { ...params, [node.param.name]: segment }, found);
  }
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
