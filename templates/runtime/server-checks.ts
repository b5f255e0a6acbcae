/**
 * The pipeline's checks before any body is read: the operation's security requirement and its parameters, parsed
 * per OpenAPI style + explode and validated against the contract's validators.
 */
import { issuesToProblemIssues, type ProblemIssue } from './problem.js';
import {
  parseCookieHeader,
  parseCookieParam,
  parseHeaderParam,
  parsePathParam,
  parseQueryParam,
  parseQueryString,
  type ServerParamSpec,
} from './server-params.js';
import {
  checkSecurity,
  type SecurityCheck,
  type SecurityDecision,
  type SecurityVerifiers,
  type ServerSecurityScheme,
} from './server-security.js';
import type { ParsedInput, RawRequest, RouteSpec } from './server-types.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

type Location = 'path' | 'query' | 'header' | 'cookie';
const LOCATIONS: readonly Location[] = ['path', 'query', 'header', 'cookie'];
const NO_COOKIES: ReadonlyMap<string, string> = new Map();

/** A route with what its checks need worked out once. */
export interface PreparedRoute {
  spec: RouteSpec;
  /** Only the locations that have parameters. */
  locations: Array<{ location: Location; params: ServerParamSpec[] }>;
  hasQuery: boolean;
  hasCookies: boolean;
  needsBody: boolean;
  /** Query keys other parameters own, so an exploded form object does not swallow them. */
  claimedQuery: ReadonlySet<string>;
  security: SecurityCheck | undefined;
}

export interface CheckSettings {
  validateRequests: boolean;
  formats: FormatPolicy;
  schemes: ReadonlyMap<string, ServerSecurityScheme>;
  verifiers: SecurityVerifiers | undefined;
  realm: string;
}

export function prepareRoute(spec: RouteSpec, settings: CheckSettings): PreparedRoute {
  const locations = LOCATIONS.map((location) => ({
    location,
    params: spec.params.filter((p) => p.in === location),
  })).filter((entry) => entry.params.length > 0);
  const query = spec.params.filter((p) => p.in === 'query');
  // An exploded form object's properties are top-level keys: the other query parameters' names are not its own.
  const claimedQuery = new Set(
    query
      .filter((p) => !(p.style === 'form' && p.explode && typeof p.hint === 'object' && 'object' in p.hint))
      .map((p) => p.name),
  );
  const alternatives = spec.security ?? [];
  const { schemes, verifiers, realm } = settings;
  return {
    spec,
    locations,
    hasQuery: query.length > 0,
    hasCookies: spec.params.some((p) => p.in === 'cookie'),
    needsBody: spec.body.length > 0 || spec.idempotency.mode === 'keyed',
    claimedQuery,
    security: alternatives.length === 0 ? undefined : { schemes, verifiers, realm, operationId: spec.id, alternatives },
  };
}

/** Credentials from the header, query or cookie the scheme names. */
export function authenticate(
  check: SecurityCheck,
  raw: RawRequest,
  search: string,
): SecurityDecision | Promise<SecurityDecision> {
  let pairs: Array<[string, string]> | undefined;
  let cookies: ReadonlyMap<string, string> | undefined;
  return checkSecurity(check, {
    header: (name) => raw.header(name),
    query: (name) => (pairs ??= parseQueryString(search)).find(([k]) => k === name)?.[1],
    cookie: (name) => (cookies ??= parseCookieHeader(raw.header('cookie'))).get(name),
  });
}

type Parsed = { ok: true; input: ParsedInput } | { ok: false; issues: ProblemIssue[] };

function parseOne(
  route: PreparedRoute,
  location: Location,
  param: ServerParamSpec,
  pathValues: Record<string, string>,
  raw: RawRequest,
  pairs: ReadonlyArray<readonly [string, string]>,
  cookies: ReadonlyMap<string, string>,
): unknown {
  switch (location) {
    case 'path':
      return parsePathParam(param, pathValues[param.name] ?? '');
    case 'query':
      return parseQueryParam(param, pairs, route.claimedQuery);
    case 'header':
      return parseHeaderParam(param, raw.header(param.name.toLowerCase()));
    case 'cookie':
      return parseCookieParam(param, cookies);
  }
}

/** Every location's parameters, validated (unless validation is off); issues of all locations together. */
export function parseParameters(
  route: PreparedRoute,
  pathValues: Record<string, string>,
  raw: RawRequest,
  search: string,
  settings: CheckSettings,
  only?: Location,
): Parsed {
  const input: ParsedInput = {};
  let issues: ProblemIssue[] | undefined;
  const pairs = route.hasQuery && only === undefined ? parseQueryString(search) : [];
  const cookies = route.hasCookies && only === undefined ? parseCookieHeader(raw.header('cookie')) : NO_COOKIES;
  for (const { location, params } of route.locations) {
    if (only !== undefined && location !== only) continue;
    const values: Record<string, unknown> = {};
    for (const param of params) {
      const value = parseOne(route, location, param, pathValues, raw, pairs, cookies);
      if (value !== undefined) values[param.name] = value;
    }
    const schema = settings.validateRequests ? route.spec.schemas[location] : undefined;
    const parsed = schema && withDirection('incoming', settings.formats, () => schema.safeParse(values));
    if (parsed === undefined || parsed.success) input[location] = parsed?.data ?? values;
    else (issues ??= []).push(...issuesToProblemIssues(parsed.error.issues, `/${location}`));
  }
  return issues === undefined ? { ok: true, input } : { ok: false, issues };
}

const NO_HEADERS: RawRequest = {
  method: 'GET',
  url: '/',
  header: () => undefined,
  body: () => Promise.resolve(new Uint8Array(0)),
  toRequest: () => new Request('http://localhost/'),
};

/** Whether the matched path's values satisfy the route's own path parameters. */
export function pathFits(route: PreparedRoute, pathValues: Record<string, string>, settings: CheckSettings): boolean {
  return parseParameters(route, pathValues, NO_HEADERS, '', settings, 'path').ok;
}
