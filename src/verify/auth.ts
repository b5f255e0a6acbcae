import type { IrOperation, IrSecurityScheme } from '../ir/types.js';
import type { VerifyContext } from './context.js';

export interface Credentials {
  headers: Record<string, string>;
  query: Array<[string, string]>;
  cookies: Array<[string, string]>;
}

/** The `--auth` key a scheme takes when the user named it by kind rather than by the contract's scheme name. */
function kindKey(scheme: IrSecurityScheme): string[] {
  switch (scheme.kind) {
    case 'http-bearer':
    case 'oauth2':
    case 'openid-connect':
      return ['bearer'];
    case 'http-basic':
      return ['basic'];
    case 'api-key':
      return ['apiKey', 'apikey', 'api-key'];
    default:
      return [];
  }
}

function credentialFor(scheme: IrSecurityScheme, auth: Record<string, string>): string | undefined {
  for (const key of [scheme.key, ...kindKey(scheme)]) if (auth[key] !== undefined) return auth[key];
  return undefined;
}

function apply(scheme: IrSecurityScheme, value: string, out: Credentials): boolean {
  switch (scheme.kind) {
    case 'http-bearer':
    case 'oauth2':
    case 'openid-connect':
      out.headers['authorization'] = /^bearer\s/i.test(value) ? value : `Bearer ${value}`;
      return true;
    case 'http-basic':
      out.headers['authorization'] = /^basic\s/i.test(value) ? value : `Basic ${Buffer.from(value).toString('base64')}`;
      return true;
    case 'http-other':
      out.headers['authorization'] = value.toLowerCase().startsWith(`${scheme.scheme.toLowerCase()} `) ? value : `${scheme.scheme} ${value}`;
      return true;
    case 'api-key':
      if (scheme.in === 'header') out.headers[scheme.name.toLowerCase()] = value;
      else if (scheme.in === 'query') out.query.push([scheme.name, value]);
      else out.cookies.push([scheme.name, value]);
      return true;
    case 'hmac':
      out.headers[scheme.header.toLowerCase()] = value;
      return true;
    case 'mutual-tls':
      // A property of the TLS connection, not of the request.
      return true;
  }
}

/**
 * Credentials for the first alternative of the operation's security that `--auth` can satisfy; `undefined` when
 * none can (the operation's positive checks are then skipped: every answer would be a 401).
 */
export function credentialsFor(ctx: VerifyContext, operation: IrOperation): Credentials | undefined {
  const empty: Credentials = { headers: {}, query: [], cookies: [] };
  if (operation.security.length === 0 || operation.security.some((alt) => alt.length === 0)) return empty;
  for (const alternative of operation.security) {
    const out: Credentials = { headers: {}, query: [], cookies: [] };
    const satisfied = alternative.every((entry) => {
      const scheme = ctx.schemes.get(entry.scheme);
      if (scheme === undefined) return true;
      if (scheme.kind === 'mutual-tls') return true;
      const value = credentialFor(scheme, ctx.auth);
      return value !== undefined && apply(scheme, value, out);
    });
    if (satisfied) return out;
  }
  return undefined;
}

/** True when the contract says the operation cannot be called anonymously (and the check can observe it). */
export function requiresCredentials(ctx: VerifyContext, operation: IrOperation): boolean {
  if (operation.security.length === 0 || operation.security.some((alt) => alt.length === 0)) return false;
  // mutual TLS is negotiated below HTTP: a plain request cannot leave it out.
  return operation.security.every((alt) => alt.some((entry) => ctx.schemes.get(entry.scheme)?.kind !== 'mutual-tls'));
}

/** Header, query and cookie names that carry credentials: stripped from an anonymous request. */
export function credentialNames(ctx: VerifyContext): { headers: Set<string>; query: Set<string>; cookies: Set<string> } {
  const out = { headers: new Set(['authorization']), query: new Set<string>(), cookies: new Set<string>() };
  for (const scheme of ctx.schemes.values()) {
    if (scheme.kind === 'api-key') (scheme.in === 'header' ? out.headers : scheme.in === 'query' ? out.query : out.cookies).add(scheme.in === 'header' ? scheme.name.toLowerCase() : scheme.name);
    if (scheme.kind === 'hmac') out.headers.add(scheme.header.toLowerCase());
  }
  return out;
}
