import type { IrOperation, IrSecurityScheme } from '../ir/types.js';

/**
 * Security presence, as Prism checks it: some alternative of the requirement has every credential it names.
 * The mock cannot know which credentials are right, only whether they are there.
 */

export interface CredentialSources {
  headers: Readonly<Record<string, string | undefined>>;
  query: URLSearchParams;
  cookies: ReadonlyMap<string, string>;
}

function authorization(sources: CredentialSources): string {
  return (sources.headers['authorization'] ?? '').trim();
}

function present(scheme: IrSecurityScheme | undefined, sources: CredentialSources): boolean {
  if (scheme === undefined) return true;
  switch (scheme.kind) {
    case 'http-bearer':
    case 'oauth2':
    case 'openid-connect':
      return /^bearer\s+\S/i.test(authorization(sources));
    case 'http-basic':
      return /^basic\s+\S/i.test(authorization(sources));
    case 'http-other':
      return authorization(sources).toLowerCase().startsWith(`${scheme.scheme.toLowerCase()} `);
    case 'api-key':
      if (scheme.in === 'header') return (sources.headers[scheme.name.toLowerCase()] ?? '') !== '';
      if (scheme.in === 'query') return (sources.query.get(scheme.name) ?? '') !== '';
      return (sources.cookies.get(scheme.name) ?? '') !== '';
    case 'hmac':
      return (sources.headers[scheme.header.toLowerCase()] ?? '') !== '';
    case 'mutual-tls':
      // A client certificate is a property of the TLS connection; the plain-HTTP mock cannot see one.
      return true;
  }
}

export function securitySatisfied(operation: IrOperation, schemes: ReadonlyMap<string, IrSecurityScheme>, sources: CredentialSources): boolean {
  if (operation.security.length === 0) return true;
  return operation.security.some((alternative) => alternative.every((entry) => present(schemes.get(entry.scheme), sources)));
}

/** `WWW-Authenticate` challenges for the schemes the operation accepts. */
export function challenges(operation: IrOperation, schemes: ReadonlyMap<string, IrSecurityScheme>): string {
  const out = new Set<string>();
  for (const alternative of operation.security) {
    for (const entry of alternative) {
      const scheme = schemes.get(entry.scheme);
      if (scheme === undefined) continue;
      if (scheme.kind === 'http-basic') out.add('Basic realm="concord-mock"');
      else if (scheme.kind === 'http-bearer' || scheme.kind === 'oauth2' || scheme.kind === 'openid-connect') out.add('Bearer realm="concord-mock"');
      else if (scheme.kind === 'http-other') out.add(`${scheme.scheme} realm="concord-mock"`);
    }
  }
  return [...out].join(', ');
}

/** Names of the credentials an operation accepts, for the 401 detail. */
export function expectedCredentials(operation: IrOperation, schemes: ReadonlyMap<string, IrSecurityScheme>): string[] {
  return operation.security.map((alternative) =>
    alternative
      .map((entry) => {
        const scheme = schemes.get(entry.scheme);
        if (scheme?.kind === 'api-key') return `${scheme.name} (${scheme.in})`;
        if (scheme?.kind === 'hmac') return `${scheme.header} (header)`;
        if (scheme?.kind === 'http-basic') return 'Authorization: Basic';
        if (scheme !== undefined && scheme.kind !== 'mutual-tls') return 'Authorization: Bearer';
        return entry.scheme;
      })
      .join(' + '),
  );
}
