/**
 * Applies the contract's security schemes to each attempt: bearer, basic, apiKey (header, query, cookie),
 * OAuth 2.0 client credentials and HMAC signing. Credentials are keyed by the scheme's key in the contract.
 */
import { utf8ToBase64 } from './encoding.js';
import { signRequest, type HmacAlgorithm } from './hmac.js';
import {
  createClientCredentialsTokens,
  resolveSecret,
  type ClientCredentialsTokens,
  type OAuth2ClientCredentials,
  type SecretValue,
} from './oauth2.js';
import type { SecretRegistry } from './redact.js';
import { AuthError } from './resilience-errors.js';

export type { OAuth2ClientCredentials, SecretValue } from './oauth2.js';

/** The contract's security schemes, as the IR describes them (without source pointers). */
export type SecuritySchemeDescription =
  | { kind: 'http-bearer'; key: string; bearerFormat?: string; description?: string }
  | { kind: 'http-basic'; key: string; description?: string }
  | { kind: 'api-key'; key: string; in: 'header' | 'query' | 'cookie'; name: string; description?: string }
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
      algorithm: HmacAlgorithm;
      description?: string;
    };

export interface BasicCredentials {
  username: string;
  password: SecretValue;
}

export interface HmacCredentials {
  secret: SecretValue;
  keyId?: string;
}

/**
 * Per scheme kind: bearer, openid-connect, http-other and api-key take a SecretValue (a string, or a function
 * returning one, called per attempt); basic takes BasicCredentials; oauth2 takes OAuth2ClientCredentials (or a
 * SecretValue with a token obtained elsewhere); hmac takes HmacCredentials.
 */
export type Credentials = SecretValue | BasicCredentials | OAuth2ClientCredentials | HmacCredentials;

export type AuthConfig = Readonly<Record<string, Credentials>>;

export type SecurityRequirement = ReadonlyArray<{ scheme: string; scopes: readonly string[] }>;

export interface AttemptParts {
  method: string;
  /** Absolute URL; parsed only by the schemes that need to (query keys, HMAC). */
  url: string;
  headers: Headers;
  body: ArrayBuffer | null;
}

export interface AuthCallContext {
  correlationId: string;
  operationId: string;
  signal?: AbortSignal;
}

/** OAuth tokens used by one attempt, so a 401 can invalidate exactly those. */
export interface AppliedAuth {
  oauthTokens: Array<{ scheme: string; token: string }>;
}

export interface AuthLayer {
  apply(parts: AttemptParts, security: readonly SecurityRequirement[], context: AuthCallContext): Promise<AppliedAuth>;
  /** After a 401: forgets the fetched tokens the attempt used. True when a re-send with a new token may succeed. */
  invalidate(applied: AppliedAuth): boolean;
  /** Header and query names that carry credentials, for redaction. */
  headerNames: string[];
  queryNames: string[];
}

export interface AuthLayerOptions {
  schemes: readonly SecuritySchemeDescription[];
  auth: AuthConfig;
  fetch: (request: Request) => Promise<Response>;
  now: () => number;
  skewMs: number;
  secrets: SecretRegistry;
  onTokenExpiring: (scheme: string, expiresInMs: number, context: AuthCallContext) => void;
}

const isSecretValue = (c: Credentials): c is SecretValue => typeof c === 'string' || typeof c === 'function';
const isBasic = (c: Credentials): c is BasicCredentials => typeof c === 'object' && 'username' in c && 'password' in c;
const isClientCredentials = (c: Credentials): c is OAuth2ClientCredentials =>
  typeof c === 'object' && 'clientId' in c && 'clientSecret' in c;
const isHmac = (c: Credentials): c is HmacCredentials => typeof c === 'object' && 'secret' in c;

type Applier = (
  parts: AttemptParts,
  scopes: readonly string[],
  context: AuthCallContext,
  applied: AppliedAuth,
) => Promise<void>;

function setIfAbsent(headers: Headers, name: string, value: string): void {
  if (!headers.has(name)) headers.set(name, value);
}

export function createAuthLayer(options: AuthLayerOptions): AuthLayer {
  const { secrets } = options;
  const appliers = new Map<string, { kind: SecuritySchemeDescription['kind']; apply: Applier }>();
  const tokenSources = new Map<string, ClientCredentialsTokens>();
  const headerNames: string[] = [];
  const queryNames: string[] = [];
  const secret = (value: SecretValue): Promise<string> => resolveSecret(value, secrets);
  const remember = (value: SecretValue): void => {
    if (typeof value === 'string') secrets.add(value);
  };

  for (const scheme of options.schemes) {
    if (scheme.kind === 'api-key')
      (scheme.in === 'query' ? queryNames : scheme.in === 'header' ? headerNames : []).push(scheme.name);
    if (scheme.kind === 'hmac') headerNames.push(scheme.header);
  }

  for (const [key, credentials] of Object.entries(options.auth)) {
    const scheme = options.schemes.find((s) => s.key === key);
    if (scheme === undefined)
      throw new AuthError(
        key,
        `credentials were given for a scheme the contract does not declare; its schemes are ${
          options.schemes.length === 0 ? '(none)' : options.schemes.map((s) => JSON.stringify(s.key)).join(', ')
        }`,
      );
    const wrong = (expected: string): AuthError => new AuthError(key, `a ${scheme.kind} scheme takes ${expected}`);
    let apply: Applier;
    switch (scheme.kind) {
      case 'http-bearer':
      case 'openid-connect':
      case 'http-other': {
        if (!isSecretValue(credentials)) throw wrong('a token string or a function returning one');
        remember(credentials);
        const prefix =
          scheme.kind === 'http-other' ? scheme.scheme.charAt(0).toUpperCase() + scheme.scheme.slice(1) : 'Bearer';
        apply = async (parts) => setIfAbsent(parts.headers, 'authorization', `${prefix} ${await secret(credentials)}`);
        break;
      }
      case 'http-basic': {
        if (!isBasic(credentials)) throw wrong('{ username, password }');
        remember(credentials.password);
        if (typeof credentials.password === 'string')
          secrets.add(utf8ToBase64(`${credentials.username}:${credentials.password}`));
        apply = async (parts) => {
          const encoded = utf8ToBase64(`${credentials.username}:${await secret(credentials.password)}`);
          secrets.add(encoded, true);
          setIfAbsent(parts.headers, 'authorization', `Basic ${encoded}`);
        };
        break;
      }
      case 'api-key': {
        if (!isSecretValue(credentials)) throw wrong('the key as a string or a function returning one');
        remember(credentials);
        apply = async (parts) => {
          const value = await secret(credentials);
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
        };
        break;
      }
      case 'oauth2': {
        if (isSecretValue(credentials)) {
          remember(credentials);
          apply = async (parts) => setIfAbsent(parts.headers, 'authorization', `Bearer ${await secret(credentials)}`);
          break;
        }
        if (!isClientCredentials(credentials))
          throw wrong('{ clientId, clientSecret } (client credentials) or an access token');
        remember(credentials.clientSecret);
        const tokenUrl = credentials.tokenUrl ?? scheme.flows.find((f) => f.flow === 'clientCredentials')?.tokenUrl;
        if (tokenUrl === undefined)
          throw new AuthError(key, 'no tokenUrl: the contract has no clientCredentials flow, so pass tokenUrl');
        const tokens = createClientCredentialsTokens({
          scheme: key,
          credentials,
          tokenUrl,
          fetch: options.fetch,
          now: options.now,
          skewMs: options.skewMs,
          secrets,
          onExpiring: (expiresInMs, context) => options.onTokenExpiring(key, expiresInMs, context),
        });
        tokenSources.set(key, tokens);
        apply = async (parts, scopes, context, applied) => {
          const tokenContext = {
            correlationId: context.correlationId,
            operationId: context.operationId,
            baseUrl: parts.url,
          };
          const token = await tokens.get(
            scopes,
            context.signal === undefined ? tokenContext : { ...tokenContext, signal: context.signal },
          );
          applied.oauthTokens.push({ scheme: key, token });
          setIfAbsent(parts.headers, 'authorization', `Bearer ${token}`);
        };
        break;
      }
      case 'hmac': {
        if (!isHmac(credentials)) throw wrong('{ secret, keyId? }');
        remember(credentials.secret);
        apply = async (parts) => {
          const signed = await signRequest({
            method: parts.method,
            url: parts.url,
            body: parts.body,
            secret: await secret(credentials.secret),
            algorithm: scheme.algorithm,
            timestampSec: Math.floor(options.now() / 1000),
            ...(credentials.keyId === undefined ? {} : { keyId: credentials.keyId }),
          });
          parts.headers.set(scheme.header, signed.signature);
          parts.headers.set(scheme.timestampHeader, signed.timestamp);
        };
        break;
      }
      case 'mutual-tls':
        throw new AuthError(
          key,
          'mutual TLS is configured on the transport (a fetch with client certificates), not here',
        );
    }
    appliers.set(key, { kind: scheme.kind, apply });
  }

  const satisfiable = (requirement: SecurityRequirement): boolean =>
    requirement.every(
      ({ scheme }) => appliers.has(scheme) || options.schemes.some((s) => s.key === scheme && s.kind === 'mutual-tls'),
    );

  return {
    headerNames,
    queryNames,
    async apply(parts, security, context) {
      const applied: AppliedAuth = { oauthTokens: [] };
      // Alternatives with credentials first: `[{}, {bearer: []}]` means "optional auth", and a configured token should go.
      const chosen = security.find((r) => r.length > 0 && satisfiable(r)) ?? [];
      // HMAC last, so the signature covers query parameters other schemes added.
      const ordered = [...chosen].sort(
        (a, b) => Number(appliers.get(a.scheme)?.kind === 'hmac') - Number(appliers.get(b.scheme)?.kind === 'hmac'),
      );
      for (const { scheme, scopes } of ordered) await appliers.get(scheme)?.apply(parts, scopes, context, applied);
      return applied;
    },
    invalidate(applied) {
      for (const { scheme, token } of applied.oauthTokens) tokenSources.get(scheme)?.invalidate(token);
      return applied.oauthTokens.length > 0;
    },
  };
}
