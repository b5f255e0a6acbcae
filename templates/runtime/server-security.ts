/**
 * The contract's `security` enforced before any handler, shared by the provider router and the mock: find the
 * credentials each scheme names (Authorization, an API-key header, query parameter or cookie), ask the operator's
 * verifier for that scheme whether they are valid, check OAuth2 scopes, and decide 401 (no valid credentials, with
 * `WWW-Authenticate` challenges) or 403 (valid credentials without the required scopes). Without a verifier only
 * the presence and syntax of a credential can be checked; the router warns about that at startup.
 */

export type ServerSecurityScheme =
  | { readonly kind: 'http-bearer' | 'oauth2' | 'openid-connect' | 'http-basic' | 'mutual-tls'; readonly key: string }
  | {
      readonly kind: 'api-key';
      readonly key: string;
      readonly in: 'header' | 'query' | 'cookie';
      readonly name: string;
    }
  | { readonly kind: 'http-other'; readonly key: string; readonly scheme: string }
  | { readonly kind: 'hmac'; readonly key: string; readonly header: string };

/** One alternative of the operation's requirement: every listed scheme together. An empty one allows anonymous. */
export type SecurityAlternative = ReadonlyArray<{ readonly scheme: string; readonly scopes: readonly string[] }>;

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export interface VerifyContext {
  readonly operationId: string;
  /** The scheme's name in the contract. */
  readonly scheme: string;
  /** Scopes the requirement names (OAuth2 / OpenID Connect); the router checks them against the principal. */
  readonly scopes: readonly string[];
  /** A request header (lower-case name). */
  header(name: string): string | undefined;
}

/** Returns the principal (anything but undefined, null or false) when the credential is valid. */
export type Verifier<C> = (credential: C, context: VerifyContext) => unknown;

/**
 * Verifiers by scheme name as in the contract, or by kind: `bearer` (http bearer, OAuth2, OpenID Connect),
 * `basic`, `apiKey`. A scheme-named verifier wins over the kind's. A principal with `scopes` (array) or `scope`
 * (space-separated, as in a JWT) is checked against the scopes the requirement names.
 */
export interface SecurityVerifiers {
  readonly bearer?: Verifier<string>;
  readonly basic?: Verifier<BasicCredentials>;
  readonly apiKey?: Verifier<string>;
  readonly [scheme: string]: Verifier<never> | undefined;
}

/** Where credentials are read from. */
export interface CredentialSource {
  header(name: string): string | undefined;
  query(name: string): string | undefined;
  cookie(name: string): string | undefined;
}

export type SecurityDecision =
  | { readonly ok: true; readonly principal: unknown; readonly principals: Readonly<Record<string, unknown>> }
  | {
      readonly ok: false;
      readonly status: 401 | 403;
      readonly detail: string;
      /** `WWW-Authenticate` value; empty when no scheme of the requirement has an HTTP challenge. */
      readonly challenge: string;
    };

type Found = { state: 'absent' } | { state: 'malformed' } | { state: 'present'; credential: unknown };

const BEARER_KINDS = new Set(['http-bearer', 'oauth2', 'openid-connect']);
// RFC 6750 b64token.
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const CONTROL = /[\x00-\x1f\x7f]/;

function authorization(source: CredentialSource, scheme: string): Found {
  const value = source.header('authorization');
  if (value === undefined || value.trim() === '') return { state: 'absent' };
  const space = value.trim().indexOf(' ');
  const given = space === -1 ? value.trim() : value.trim().slice(0, space);
  if (given.toLowerCase() !== scheme.toLowerCase()) return { state: 'absent' };
  const rest =
    space === -1
      ? ''
      : value
          .trim()
          .slice(space + 1)
          .trim();
  return rest === '' || CONTROL.test(rest) ? { state: 'malformed' } : { state: 'present', credential: rest };
}

function basic(source: CredentialSource): Found {
  const found = authorization(source, 'basic');
  if (found.state !== 'present' || typeof found.credential !== 'string') return found;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(found.credential)) return { state: 'malformed' };
  let text: string;
  try {
    const binary = atob(found.credential);
    text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return { state: 'malformed' };
  }
  const colon = text.indexOf(':');
  if (colon === -1 || CONTROL.test(text)) return { state: 'malformed' };
  return { state: 'present', credential: { username: text.slice(0, colon), password: text.slice(colon + 1) } };
}

function located(value: string | undefined): Found {
  if (value === undefined || value === '') return { state: 'absent' };
  return CONTROL.test(value) ? { state: 'malformed' } : { state: 'present', credential: value };
}

/** The credential a scheme names, as the request carries it. */
export function findCredential(scheme: ServerSecurityScheme, source: CredentialSource): Found {
  switch (scheme.kind) {
    case 'http-bearer':
    case 'oauth2':
    case 'openid-connect': {
      const found = authorization(source, 'bearer');
      if (found.state === 'present' && !TOKEN.test(String(found.credential))) return { state: 'malformed' };
      return found;
    }
    case 'http-basic':
      return basic(source);
    case 'http-other':
      return authorization(source, scheme.scheme);
    case 'api-key':
      if (scheme.in === 'header') return located(source.header(scheme.name.toLowerCase()));
      return located(scheme.in === 'query' ? source.query(scheme.name) : source.cookie(scheme.name));
    case 'hmac':
      return located(source.header(scheme.header.toLowerCase()));
    case 'mutual-tls':
      // A client certificate belongs to the TLS connection, which an HTTP handler does not see: the TLS terminator
      // enforces it.
      return { state: 'present', credential: undefined };
  }
}

function kindKey(scheme: ServerSecurityScheme): 'bearer' | 'basic' | 'apiKey' | undefined {
  if (BEARER_KINDS.has(scheme.kind)) return 'bearer';
  if (scheme.kind === 'http-basic') return 'basic';
  return scheme.kind === 'api-key' ? 'apiKey' : undefined;
}

/** The verifier for a scheme: by its name in the contract, else by its kind. */
export function verifierFor(
  verifiers: SecurityVerifiers | undefined,
  scheme: ServerSecurityScheme,
): Verifier<never> | undefined {
  if (verifiers === undefined) return undefined;
  if (Object.prototype.hasOwnProperty.call(verifiers, scheme.key)) return verifiers[scheme.key];
  const kind = kindKey(scheme);
  return kind === undefined || !Object.prototype.hasOwnProperty.call(verifiers, kind) ? undefined : verifiers[kind];
}

function scopesOf(principal: unknown): readonly string[] {
  if (typeof principal !== 'object' || principal === null) return [];
  for (const name of ['scopes', 'scope', 'scp']) {
    const value: unknown = Reflect.get(principal, name);
    if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
    if (typeof value === 'string') return value.split(' ').filter((v) => v !== '');
  }
  return [];
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function';
}

export interface SecurityCheck {
  readonly operationId: string;
  readonly alternatives: readonly SecurityAlternative[];
  readonly schemes: ReadonlyMap<string, ServerSecurityScheme>;
  readonly verifiers: SecurityVerifiers | undefined;
  /** Shown in challenges: `Bearer realm="<realm>"`. */
  readonly realm: string;
}

type EntryResult = 'ok' | 'absent' | 'invalid' | 'scope';

/** The challenges for a failed requirement: one per scheme with an HTTP authentication scheme. */
function challengeFor(check: SecurityCheck, failures: ReadonlyMap<string, EntryResult>, status: 401 | 403): string {
  const out = new Set<string>();
  for (const alternative of check.alternatives) {
    for (const entry of alternative) {
      const scheme = check.schemes.get(entry.scheme);
      if (scheme === undefined) continue;
      const realm = `realm="${check.realm}"`;
      const failure = failures.get(entry.scheme);
      if (BEARER_KINDS.has(scheme.kind)) {
        const error =
          status === 403
            ? `, error="insufficient_scope", scope="${entry.scopes.join(' ')}"`
            : failure === 'invalid'
              ? ', error="invalid_token"'
              : '';
        out.add(`Bearer ${realm}${error}`);
      } else if (scheme.kind === 'http-basic') out.add(`Basic ${realm}, charset="UTF-8"`);
      else if (scheme.kind === 'http-other') out.add(`${scheme.scheme} ${realm}`);
      else if (scheme.kind === 'api-key') out.add(`ApiKey ${realm}, in="${scheme.in}", name="${scheme.name}"`);
    }
  }
  return [...out].join(', ');
}

/** Names of the credentials an operation accepts, for the 401 detail: `Authorization: Bearer | X-API-Key (header)`. */
export function expectedCredentials(check: SecurityCheck): string {
  return check.alternatives
    .map((alternative) =>
      alternative
        .map((entry) => {
          const scheme = check.schemes.get(entry.scheme);
          if (scheme === undefined) return entry.scheme;
          if (scheme.kind === 'api-key') return `${scheme.name} (${scheme.in})`;
          if (scheme.kind === 'hmac') return `${scheme.header} (header)`;
          if (scheme.kind === 'http-basic') return 'Authorization: Basic';
          if (scheme.kind === 'http-other') return `Authorization: ${scheme.scheme}`;
          return scheme.kind === 'mutual-tls' ? 'a client certificate' : 'Authorization: Bearer';
        })
        .join(' + '),
    )
    .join(' | ');
}

function decide(
  check: SecurityCheck,
  results: ReadonlyArray<ReadonlyArray<{ scheme: string; result: EntryResult; principal: unknown }>>,
): SecurityDecision {
  const failures = new Map<string, EntryResult>();
  let anonymous = false;
  let scopeOnly = false;
  for (const alternative of results) {
    if (alternative.length === 0) anonymous = true;
    else if (alternative.every((e) => e.result === 'ok')) {
      const principals: Record<string, unknown> = {};
      for (const e of alternative)
        Object.defineProperty(principals, e.scheme, { value: e.principal, enumerable: true });
      return { ok: true, principal: alternative[0]?.principal, principals };
    }
    if (alternative.length > 0 && alternative.every((e) => e.result === 'ok' || e.result === 'scope')) scopeOnly = true;
    for (const e of alternative) if (e.result !== 'ok') failures.set(e.scheme, e.result);
  }
  if (anonymous) return { ok: true, principal: undefined, principals: {} };
  const status = scopeOnly ? 403 : 401;
  const invalid = [...failures.values()].includes('invalid');
  const detail =
    status === 403
      ? 'The credentials are valid but lack a scope this operation requires.'
      : `${invalid ? 'Invalid' : 'Missing'} credentials; send one of: ${expectedCredentials(check)}.`;
  return { ok: false, status, detail, challenge: challengeFor(check, failures, status) };
}

/** Presence and syntax only: synchronous, for schemes without a verifier. */
function evaluate(
  check: SecurityCheck,
  source: CredentialSource,
  verify: (scheme: ServerSecurityScheme, found: Found, scopes: readonly string[]) => unknown,
): Array<Array<{ scheme: string; result: EntryResult | PromiseLike<unknown>; principal: unknown }>> {
  return check.alternatives.map((alternative) =>
    alternative.map((entry) => {
      const scheme = check.schemes.get(entry.scheme);
      if (scheme === undefined) return { scheme: entry.scheme, result: 'invalid' as const, principal: undefined };
      const found = findCredential(scheme, source);
      if (found.state !== 'present')
        return { scheme: entry.scheme, result: found.state === 'absent' ? 'absent' : 'invalid', principal: undefined };
      const verified = verify(scheme, found, entry.scopes);
      return isThenable(verified)
        ? { scheme: entry.scheme, result: verified, principal: undefined }
        : { scheme: entry.scheme, result: 'ok' as EntryResult, principal: verified };
    }),
  );
}

function judge(principal: unknown, scopes: readonly string[], verified: boolean): EntryResult {
  if (!verified) return 'ok';
  if (principal === undefined || principal === null || principal === false) return 'invalid';
  const held = scopesOf(principal);
  return scopes.every((s) => held.includes(s)) ? 'ok' : 'scope';
}

/**
 * Checks the requirement; synchronous unless a verifier answers with a promise. A verifier that throws counts as
 * a rejection of the credential (the error does not reach the client).
 */
export function checkSecurity(
  check: SecurityCheck,
  source: CredentialSource,
): SecurityDecision | Promise<SecurityDecision> {
  if (check.alternatives.length === 0) return { ok: true, principal: undefined, principals: {} };
  const context = (scheme: ServerSecurityScheme, scopes: readonly string[]): VerifyContext => ({
    operationId: check.operationId,
    scheme: scheme.key,
    scopes,
    header: (name) => source.header(name),
  });
  const verified = new Set<ServerSecurityScheme>();
  const raw = evaluate(check, source, (scheme, found, scopes) => {
    const verifier = verifierFor(check.verifiers, scheme);
    if (verifier === undefined) return true;
    verified.add(scheme);
    try {
      const answer: unknown = Reflect.apply(verifier, undefined, [
        found.state === 'present' ? found.credential : undefined,
        context(scheme, scopes),
      ]);
      return isThenable(answer) ? Promise.resolve(answer).catch(() => undefined) : answer;
    } catch {
      return undefined;
    }
  });
  const settle = (
    entries: Array<Array<{ scheme: string; result: EntryResult | PromiseLike<unknown>; principal: unknown }>>,
  ): SecurityDecision =>
    decide(
      check,
      entries.map((alternative, a) =>
        alternative.map((e, i) => {
          if (typeof e.result !== 'string')
            return { scheme: e.scheme, result: 'invalid' as const, principal: undefined };
          if (e.result !== 'ok') return { scheme: e.scheme, result: e.result, principal: undefined };
          const scheme = check.schemes.get(e.scheme);
          const scopes = check.alternatives[a]?.[i]?.scopes ?? [];
          const isVerified = scheme !== undefined && verified.has(scheme);
          return {
            scheme: e.scheme,
            result: judge(e.principal, scopes, isVerified),
            principal: isVerified ? e.principal : undefined,
          };
        }),
      ),
    );
  const pending = raw.flat().filter((e) => typeof e.result !== 'string');
  if (pending.length === 0) return settle(raw);
  return Promise.all(
    raw.map((alternative) =>
      Promise.all(
        alternative.map(async (e) =>
          typeof e.result === 'string'
            ? e
            : { scheme: e.scheme, result: 'ok' as EntryResult, principal: await e.result },
        ),
      ),
    ),
  ).then(settle);
}

/** Schemes the operations require that have no verifier: only presence is checked for them. */
export function unverifiedSchemes(
  required: Iterable<string>,
  schemes: ReadonlyMap<string, ServerSecurityScheme>,
  verifiers: SecurityVerifiers | undefined,
): string[] {
  const out = new Set<string>();
  for (const name of required) {
    const scheme = schemes.get(name);
    if (scheme !== undefined && scheme.kind !== 'mutual-tls' && verifierFor(verifiers, scheme) === undefined)
      out.add(name);
  }
  return [...out].sort();
}
