/**
 * Applies the contract's security schemes to each attempt: bearer, basic, apiKey (header, query, cookie) here;
 * OAuth 2.0 client credentials and HMAC signing plug in (`SchemeKinds`) for contracts that declare them.
 * Credentials are keyed by the scheme's key in the contract.
 */
import { utf8ToBase64 } from './encoding.js';
import type {
  AppliedAuth,
  AttemptParts,
  AuthCallContext,
  AuthEnv,
  AuthLayer,
  AuthPlugin,
  SecurityRequirement,
} from './plugins.js';
import type { SecretRegistry } from './redact.js';
import { AuthError } from './resilience-errors.js';

export type { AppliedAuth, AttemptParts, AuthCallContext, AuthLayer, SecurityRequirement } from './plugins.js';

/** The contract's security schemes, as the IR describes them (without source pointers). */
export type SecuritySchemeDescription =
  | {
      kind: 'http-bearer';
      key: string;
      bearerFormat?: string;
      description?: string;
    }
  | { kind: 'http-basic'; key: string; description?: string }
  | {
      kind: 'api-key';
      key: string;
      in: 'header' | 'query' | 'cookie';
      name: string;
      description?: string;
    }
  | {
      kind: 'oauth2';
      key: string;
      flows: Array<{
        flow: 'clientCredentials' | 'authorizationCode' | 'implicit' | 'password';
        tokenUrl?: string;
        authorizationUrl?: string;
        refreshUrl?: string;
        scopes: string[];
      }>;
      description?: string;
    }
  | { kind: 'openid-connect'; key: string; url: string; description?: string }
  | { kind: 'mutual-tls'; key: string; description?: string }
  | { kind: 'http-other'; key: string; scheme: string; description?: string }
  | {
      kind: 'hmac';
      key: string;
      header: string;
      timestampHeader: string;
      algorithm: 'sha256' | 'sha512';
      description?: string;
    };

/** A string, or a function returning one, called per attempt. */
export type SecretValue = string | (() => string | Promise<string>);

export interface BasicCredentials {
  username: string;
  password: SecretValue;
}

export interface HmacCredentials {
  secret: SecretValue;
  keyId?: string;
}

export interface OAuth2ClientCredentials {
  clientId: string;
  clientSecret: SecretValue;
  /** Defaults to the clientCredentials flow's tokenUrl in the contract; relative URLs resolve against the API URL. */
  tokenUrl?: string;
  /** Defaults to the scopes the operation's security requirement lists. */
  scopes?: readonly string[];
  /** `basic` (RFC 6749 default: HTTP Basic with form-encoded id and secret) or `body` (client_id/client_secret fields). */
  clientAuth?: 'basic' | 'body';
  /** Extra form fields, e.g. `audience`. */
  extraParams?: Readonly<Record<string, string>>;
}

/**
 * Per scheme kind: bearer, openid-connect, http-other and api-key take a SecretValue; basic takes
 * BasicCredentials; oauth2 takes OAuth2ClientCredentials (or a SecretValue with a token obtained elsewhere); hmac
 * takes HmacCredentials.
 */
export type Credentials = SecretValue | BasicCredentials | OAuth2ClientCredentials | HmacCredentials;

export type AuthConfig = Readonly<Record<string, Credentials>>;

export type Applier = (
  parts: AttemptParts,
  scopes: readonly string[],
  context: AuthCallContext,
  applied: AppliedAuth,
) => Promise<void>;

/** How one scheme of a plugged-in kind applies its credentials; `invalidate` drops a token after a 401. */
export interface SchemeApplier {
  apply: Applier;
  invalidate?: (token: string) => void;
}

export interface SchemeContext {
  key: string;
  env: AuthEnv;
  secret: (value: SecretValue) => Promise<string>;
  remember: (value: SecretValue) => void;
  wrong: (expected: string) => AuthError;
}

/** A kind of scheme that plugs in (`oauth2Scheme`, `hmacScheme`), copied only for contracts that use it. */
export type SchemeKind<K extends SecuritySchemeDescription['kind']> = (
  scheme: Extract<SecuritySchemeDescription, { kind: K }>,
  credentials: Credentials,
  context: SchemeContext,
) => SchemeApplier;

export interface SchemeKinds {
  oauth2?: SchemeKind<'oauth2'>;
  hmac?: SchemeKind<'hmac'>;
}

export const isSecretValue = (c: Credentials): c is SecretValue => typeof c === 'string' || typeof c === 'function';
const isBasic = (c: Credentials): c is BasicCredentials => typeof c === 'object' && 'username' in c && 'password' in c;

export async function resolveSecret(value: SecretValue, secrets: SecretRegistry): Promise<string> {
  if (typeof value === 'string') return value;
  const resolved = await value();
  secrets.add(resolved, true);
  return resolved;
}

export function setIfAbsent(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}

/** The auth plug-in of a client whose contract declares `schemes`; `kinds` adds OAuth 2.0 and HMAC when used. */
export function authPlugin(schemes: readonly SecuritySchemeDescription[], kinds: SchemeKinds = {}): AuthPlugin {
  return (auth, env) => createAuthLayer(schemes, auth as AuthConfig, env, kinds);
}

function applierFor(
  scheme: SecuritySchemeDescription,
  credentials: Credentials,
  context: SchemeContext,
  kinds: SchemeKinds,
): SchemeApplier {
  const { secret, remember, wrong } = context;
  switch (scheme.kind) {
    case 'http-bearer':
    case 'openid-connect':
    case 'http-other': {
      if (!isSecretValue(credentials)) throw wrong('a token string or a function returning one');
      remember(credentials);
      const prefix =
        scheme.kind === 'http-other' ? scheme.scheme.charAt(0).toUpperCase() + scheme.scheme.slice(1) : 'Bearer';
      return {
        apply: async (parts) => setIfAbsent(parts.headers, 'authorization', `${prefix} ${await secret(credentials)}`),
      };
    }
    case 'http-basic': {
      if (!isBasic(credentials)) throw wrong('{ username, password }');
      remember(credentials.password);
      if (typeof credentials.password === 'string')
        context.env.secrets.add(utf8ToBase64(`${credentials.username}:${credentials.password}`));
      return {
        apply: async (parts) => {
          const encoded = utf8ToBase64(`${credentials.username}:${await secret(credentials.password)}`);
          context.env.secrets.add(encoded, true);
          setIfAbsent(parts.headers, 'authorization', `Basic ${encoded}`);
        },
      };
    }
    case 'api-key': {
      if (!isSecretValue(credentials)) throw wrong('the key as a string or a function returning one');
      remember(credentials);
      return {
        apply: async (parts) => applyApiKey(parts, scheme, await secret(credentials)),
      };
    }
    case 'oauth2':
    case 'hmac': {
      const kind = kinds[scheme.kind] as SchemeKind<typeof scheme.kind> | undefined;
      if (kind === undefined)
        throw new AuthError(context.key, `this client was generated without ${scheme.kind} support`);
      return kind(scheme as never, credentials, context);
    }
    case 'mutual-tls':
      throw new AuthError(
        context.key,
        'mutual TLS is configured on the transport (a fetch with client certificates), not here',
      );
  }
}

function applyApiKey(
  parts: AttemptParts,
  scheme: { in: 'header' | 'query' | 'cookie'; name: string },
  value: string,
): void {
  if (scheme.in === 'header') setIfAbsent(parts.headers, scheme.name, value);
  else if (scheme.in === 'query') {
    const url = new URL(parts.url);
    if (!url.searchParams.has(scheme.name)) {
      url.searchParams.set(scheme.name, value);
      parts.url = url.href;
    }
  } else {
    // Browsers drop a Cookie header set from script; there the cookie jar (credentials: 'include') carries it.
    const existing = parts.headers.get('cookie');
    parts.headers.set(
      'cookie',
      existing === null || existing === '' ? `${scheme.name}=${value}` : `${existing}; ${scheme.name}=${value}`,
    );
  }
}

export function createAuthLayer(
  schemes: readonly SecuritySchemeDescription[],
  auth: AuthConfig,
  env: AuthEnv,
  kinds: SchemeKinds = {},
): AuthLayer {
  const appliers = new Map<string, { kind: SecuritySchemeDescription['kind']; applier: SchemeApplier }>();
  const headerNames: string[] = [];
  const queryNames: string[] = [];
  for (const scheme of schemes) {
    if (scheme.kind === 'api-key')
      (scheme.in === 'query' ? queryNames : scheme.in === 'header' ? headerNames : []).push(scheme.name);
    if (scheme.kind === 'hmac') headerNames.push(scheme.header);
  }
  for (const [key, credentials] of Object.entries(auth)) {
    const scheme = schemes.find((s) => s.key === key);
    if (scheme === undefined) throw undeclaredScheme(key, schemes);
    const context: SchemeContext = {
      key,
      env,
      secret: (value) => resolveSecret(value, env.secrets),
      remember: (value) => {
        if (typeof value === 'string') env.secrets.add(value);
      },
      wrong: (expected) => new AuthError(key, `a ${scheme.kind} scheme takes ${expected}`),
    };
    appliers.set(key, {
      kind: scheme.kind,
      applier: applierFor(scheme, credentials, context, kinds),
    });
  }
  const isHmac = (scheme: string): boolean => appliers.get(scheme)?.kind === 'hmac';
  const satisfiable = (requirement: SecurityRequirement): boolean =>
    requirement.every(
      ({ scheme }) => appliers.has(scheme) || schemes.some((s) => s.key === scheme && s.kind === 'mutual-tls'),
    );

  return {
    headerNames,
    queryNames,
    async apply(parts, security, context) {
      const applied: AppliedAuth = { oauthTokens: [] };
      // Alternatives with credentials first: `[{}, {bearer: []}]` means "optional auth", and a configured token should go.
      const chosen = security.find((r) => r.length > 0 && satisfiable(r)) ?? [];
      // HMAC last, so the signature covers query parameters other schemes added.
      const ordered = [...chosen].sort((a, b) => Number(isHmac(a.scheme)) - Number(isHmac(b.scheme)));
      for (const { scheme, scopes } of ordered)
        await appliers.get(scheme)?.applier.apply(parts, scopes, context, applied);
      return applied;
    },
    invalidate(applied) {
      for (const { scheme, token } of applied.oauthTokens) appliers.get(scheme)?.applier.invalidate?.(token);
      return applied.oauthTokens.length > 0;
    },
    signsBody: (security) => security.some((alt) => alt.some((s) => isHmac(s.scheme))),
  };
}

/** Credentials for a scheme the contract does not declare: a typo the caller must fix, never silently ignored. */
export function undeclaredScheme(key: string, schemes: ReadonlyArray<{ key: string }>): AuthError {
  return new AuthError(
    key,
    `credentials were given for a scheme the contract does not declare; its schemes are ${
      schemes.length === 0 ? '(none)' : schemes.map((s) => JSON.stringify(s.key)).join(', ')
    }`,
  );
}
