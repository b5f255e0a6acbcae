/**
 * OAuth 2.0 client credentials grant (RFC 6749 section 4.4): fetch a token with a form POST, cache it per scope
 * set, refresh it a little before it expires, and drop it when the API answers 401.
 */
import { isSecretValue, resolveSecret, setIfAbsent, type OAuth2ClientCredentials, type SchemeKind } from './auth.js';
import { utf8ToBase64 } from './encoding.js';
import type { SecretRegistry } from './redact.js';
import { AuthError } from './resilience-errors.js';
import { errorCodes } from './retry-policy.js';

export interface TokenContext {
  correlationId: string;
  operationId: string;
  /** Base for a relative token URL. */
  baseUrl: string;
  signal?: AbortSignal;
}

export interface TokenSourceOptions {
  scheme: string;
  credentials: OAuth2ClientCredentials;
  tokenUrl: string;
  fetch: (request: Request) => Promise<Response>;
  now: () => number;
  /** Refresh this long before the token's expiry. */
  skewMs: number;
  secrets: SecretRegistry;
  onExpiring: (expiresInMs: number, context: TokenContext) => void;
}

interface CachedToken {
  token: string;
  /** Epoch ms, null when the server gave no `expires_in` (then the token lives until a 401). */
  expiresAt: number | null;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

export interface ClientCredentialsTokens {
  get(scopes: readonly string[], context: TokenContext): Promise<string>;
  /** Forgets `token` if it is still cached (another call may already have replaced it). */
  invalidate(token: string): void;
}

export function createClientCredentialsTokens(options: TokenSourceOptions): ClientCredentialsTokens {
  const cache = new Map<string, CachedToken>();
  const inflight = new Map<string, Promise<CachedToken>>();
  const { scheme, credentials } = options;

  async function request(scopes: readonly string[], context: TokenContext): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scopes.length > 0) form.set('scope', scopes.join(' '));
    for (const [name, value] of Object.entries(credentials.extraParams ?? {})) form.set(name, value);
    const headers = new Headers({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    });
    const secret = await resolveSecret(credentials.clientSecret, options.secrets);
    if (credentials.clientAuth === 'body') {
      form.set('client_id', credentials.clientId);
      form.set('client_secret', secret);
    } else {
      const basic = utf8ToBase64(`${formEncode(credentials.clientId)}:${formEncode(secret)}`);
      options.secrets.add(basic, true);
      headers.set('authorization', `Basic ${basic}`);
    }
    const init: RequestInit = {
      method: 'POST',
      headers,
      body: form.toString(),
    };
    if (context.signal !== undefined) init.signal = context.signal;
    let response: Response;
    try {
      response = await options.fetch(new Request(new URL(options.tokenUrl, context.baseUrl), init));
    } catch (error) {
      if (context.signal?.aborted === true) throw error;
      const code = errorCodes(error).at(-1);
      throw new AuthError(scheme, `token request failed${code === undefined ? '' : ` (${code})`}`);
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch {
      payload = undefined;
    }
    const field = (name: string): unknown =>
      typeof payload === 'object' && payload !== null ? Reflect.get(payload, name) : undefined;
    if (!response.ok) {
      const code = field('error');
      throw new AuthError(
        scheme,
        `token request failed with status ${response.status}${typeof code === 'string' ? ` (${code.slice(0, 64)})` : ''}`,
        response.status,
      );
    }
    const token = field('access_token');
    if (typeof token !== 'string' || token === '')
      throw new AuthError(scheme, 'token response has no access_token', response.status);
    options.secrets.add(token, true);
    const expiresIn = Number(field('expires_in'));
    return {
      token,
      expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? options.now() + expiresIn * 1000 : null,
    };
  }

  function refresh(key: string, scopes: readonly string[], context: TokenContext): Promise<CachedToken> {
    // One token request at a time per scope set: concurrent calls share it.
    let pending = inflight.get(key);
    if (pending === undefined) {
      pending = request(scopes, context).finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  return {
    async get(requested, context) {
      const scopes = [...(credentials.scopes ?? requested)].sort();
      const key = scopes.join(' ');
      const cached = cache.get(key);
      const now = options.now();
      if (cached !== undefined && (cached.expiresAt === null || now < cached.expiresAt - options.skewMs))
        return cached.token;
      if (cached?.expiresAt != null) options.onExpiring(cached.expiresAt - now, context);
      try {
        const fresh = await refresh(key, scopes, context);
        cache.set(key, fresh);
        return fresh.token;
      } catch (error) {
        // A failed early refresh is not fatal while the old token is still valid.
        if (cached?.expiresAt != null && options.now() < cached.expiresAt) return cached.token;
        throw error;
      }
    },
    invalidate(token) {
      for (const [key, entry] of cache) if (entry.token === token) cache.delete(key);
    },
  };
}

/** The `oauth2` scheme kind for `authPlugin`: client credentials fetched and refreshed, or a token from elsewhere. */
export const oauth2Scheme: SchemeKind<'oauth2'> = (scheme, credentials, { key, env, secret, remember, wrong }) => {
  if (isSecretValue(credentials)) {
    remember(credentials);
    return {
      apply: async (parts) => setIfAbsent(parts.headers, 'authorization', `Bearer ${await secret(credentials)}`),
    };
  }
  if (typeof credentials !== 'object' || !('clientId' in credentials) || !('clientSecret' in credentials))
    throw wrong('{ clientId, clientSecret } (client credentials) or an access token');
  remember(credentials.clientSecret);
  const tokenUrl = credentials.tokenUrl ?? scheme.flows.find((f) => f.flow === 'clientCredentials')?.tokenUrl;
  if (tokenUrl === undefined)
    throw new AuthError(key, 'no tokenUrl: the contract has no clientCredentials flow, so pass tokenUrl');
  const tokens = createClientCredentialsTokens({
    scheme: key,
    credentials,
    tokenUrl,
    fetch: env.fetch,
    now: env.now,
    skewMs: env.skewMs,
    secrets: env.secrets,
    onExpiring: (expiresInMs, context) => env.onTokenExpiring(key, expiresInMs, context),
  });
  return {
    invalidate: (token) => tokens.invalidate(token),
    apply: async (parts, scopes, context, applied) => {
      const base = {
        correlationId: context.correlationId,
        operationId: context.operationId,
        baseUrl: parts.url,
      };
      const token = await tokens.get(scopes, context.signal === undefined ? base : { ...base, signal: context.signal });
      applied.oauthTokens.push({ scheme: key, token });
      setIfAbsent(parts.headers, 'authorization', `Bearer ${token}`);
    },
  };
};
