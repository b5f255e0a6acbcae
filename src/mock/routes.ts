import type { IrDocument, IrMediaType, IrNamedSchema, IrOperation, IrServer } from '../ir/types.js';
import { routeMediaSpec, wireHint } from '../ir/wire-hint.js';
import type { ValidatorRegistry } from '../validate/registry.js';
import type { OperationSchemas } from '../../templates/runtime/operation-spec.js';
import type { RouteSpec, ServerMediaSpec } from '../../templates/runtime/server-types.js';
import { PathMatcher } from '../../templates/runtime/server-match.js';

/**
 * The mock's operation table, built from the IR at run time: the same `RouteSpec`s the generated provider is
 * printed with, so the one pipeline (templates/runtime/server-pipeline.ts) routes, parses and refuses requests to
 * the mock exactly as it does for the provider. Validators come from the live registry, built for an operation on
 * its first request, so a mock over a thousand operations starts without building them all.
 */
export interface MockRoutes {
  routes: RouteSpec[];
  operationOf: ReadonlyMap<RouteSpec, IrOperation>;
  /** Base paths from the declared servers, longest first, and `''`: requests with or without one are routed. */
  basePaths: string[];
}


function lazySchemas(registry: ValidatorRegistry, operation: IrOperation): () => OperationSchemas {
  return memo(() => {
    const v = registry.operation(operation);
    const responses: Record<string, Record<string, OperationSchemas['responses'][string][string]>> = {};
    for (const [status, byType] of v.responses) responses[status] = Object.fromEntries(byType);
    return { ...v.params, body: Object.fromEntries(v.body), responses };
  });
}

/** `make()` on first read, then the same value: what no request touches is never built. */
function memo<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function routeSpecOf(operation: IrOperation, schemas: ReadonlyMap<string, IrNamedSchema>, registry: ValidatorRegistry): RouteSpec {
  const validators = lazySchemas(registry, operation);
  const params = memo(() => operation.parameters.map((p) => ({ name: p.name, in: p.in, style: p.style, explode: p.explode, hint: wireHint(p.schema, schemas), ...(p.contentType ? { contentType: p.contentType } : {}) })));
  const body = memo(() => (operation.requestBody?.content ?? []).map((m) => routeMediaSpec(m, schemas, true)));
  const responses = memo(() => Object.fromEntries(operation.responses.map((r) => [r.status, r.content.map((m) => routeMediaSpec(m, schemas, false))])));
  return {
    name: operation.name,
    id: operation.operationId ?? operation.name,
    method: operation.method.toUpperCase(),
    path: operation.path.split('#')[0] ?? operation.path,
    get params() {
      return params();
    },
    get body() {
      return body();
    },
    bodyRequired: operation.requestBody?.required === true,
    get responses() {
      return responses();
    },
    idempotency: { mode: operation.idempotency.mode, header: operation.idempotency.header, required: operation.idempotency.required },
    ...(operation.security.length === 0 ? {} : { security: operation.security }),
    get schemas() {
      return validators();
    },
  };
}

export function buildMockRoutes(ir: IrDocument, registry: ValidatorRegistry): MockRoutes {
  const schemas = new Map(ir.schemas.map((s) => [s.name, s]));
  const operationOf = new Map<RouteSpec, IrOperation>();
  const routes = ir.operations.map((operation) => {
    const spec = routeSpecOf(operation, schemas, registry);
    operationOf.set(spec, operation);
    return spec;
  });
  const servers = new Set<IrServer>(ir.servers);
  for (const operation of ir.operations) for (const server of operation.servers ?? []) servers.add(server);
  return { routes, operationOf, basePaths: basePathsOf([...servers]) };
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

/** `/pets/7/` -> ['pets', '7'] (the mock ignores a trailing slash). */
export function splitPath(pathname: string): string[] {
  const start = pathname.startsWith('/') ? 1 : 0;
  const end = pathname.length > 1 && pathname.endsWith('/') ? pathname.length - 1 : pathname.length;
  return end <= start ? [] : pathname.slice(start, end).split('/');
}

export function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The route specs of a document with a matcher over them, for code that asks "which operation is this URL" outside
 * a running server (verify: a broken path parameter may make the URL another operation's).
 */
export class RouteTable {
  readonly routes: MockRoutes;
  private readonly specs = new Map<IrOperation, RouteSpec>();
  private matcher: PathMatcher<RouteSpec> | undefined;

  constructor(ir: IrDocument, registry: ValidatorRegistry) {
    this.routes = buildMockRoutes(ir, registry);
    for (const [spec, operation] of this.routes.operationOf) this.specs.set(operation, spec);
  }

  specOf(operation: IrOperation): RouteSpec {
    const spec = this.specs.get(operation);
    if (spec === undefined) throw new Error(`Operation ${operation.name} is not in the route table`);
    return spec;
  }

  operationOf(spec: RouteSpec): IrOperation | undefined {
    return this.routes.operationOf.get(spec);
  }

  /** Every route of `method` the path finds (the first, then same-place templates named differently). */
  match(method: string, path: string): { specs: RouteSpec[]; params: Record<string, string> } | undefined {
    if (this.matcher === undefined) {
      const matcher = new PathMatcher<RouteSpec>({ ignoreTrailingSlash: true });
      for (const spec of this.routes.routes) matcher.add(spec.method, spec.path, spec);
      this.matcher = matcher;
    }
    const found = this.matcher.match(method, path);
    if (found.kind !== 'found') return undefined;
    return { specs: [found.match.route, ...(found.match.alternatives ?? [])], params: found.match.params };
  }
}
