import type { IrSecurityRequirement, IrSecurityScheme } from '../types.js';
import { child, deref, isObject, optionalString, warn, type BuildContext } from './context.js';

type OAuthFlow = Extract<IrSecurityScheme, { kind: 'oauth2' }>['flows'][number];
const FLOWS: Array<OAuthFlow['flow']> = ['authorizationCode', 'clientCredentials', 'implicit', 'password'];

export function buildSecuritySchemes(ctx: BuildContext): IrSecurityScheme[] {
  const components = isObject(ctx.doc['components']) ? ctx.doc['components'] : {};
  const schemes = isObject(components['securitySchemes']) ? components['securitySchemes'] : {};
  const out: IrSecurityScheme[] = [];
  for (const key of Object.keys(schemes).sort()) {
    const { node, pointer } = deref(ctx, schemes[key], child('/components/securitySchemes', key));
    const description = optionalString(node['description']);
    const extra = description === undefined ? {} : { description };
    const hmac = isObject(node['x-concord-hmac']) ? node['x-concord-hmac'] : isObject(node['x-hmac']) ? node['x-hmac'] : undefined;
    if (hmac) {
      out.push({
        kind: 'hmac',
        key,
        header: optionalString(hmac['header']) ?? 'X-Signature',
        timestampHeader: optionalString(hmac['timestampHeader']) ?? 'X-Signature-Timestamp',
        algorithm: hmac['algorithm'] === 'sha512' ? 'sha512' : 'sha256',
        pointer,
        ...extra,
      });
      continue;
    }
    const type = node['type'];
    const scheme = optionalString(node['scheme'])?.toLowerCase();
    if (type === 'http' && scheme === 'bearer') {
      const bearerFormat = optionalString(node['bearerFormat']);
      out.push({ kind: 'http-bearer', key, pointer, ...extra, ...(bearerFormat === undefined ? {} : { bearerFormat }) });
    } else if (type === 'http' && scheme === 'basic') {
      out.push({ kind: 'http-basic', key, pointer, ...extra });
    } else if (type === 'http') {
      out.push({ kind: 'http-other', key, scheme: scheme ?? '', pointer, ...extra });
    } else if (type === 'apiKey') {
      const location = node['in'];
      const name = optionalString(node['name']);
      if ((location !== 'header' && location !== 'query' && location !== 'cookie') || name === undefined) {
        warn(ctx, 'SECURITY_SCHEME', `apiKey scheme "${key}" needs "in" (header, query, cookie) and "name"; ignored.`, pointer);
        continue;
      }
      out.push({ kind: 'api-key', key, in: location, name, pointer, ...extra });
    } else if (type === 'oauth2') {
      const flows = isObject(node['flows']) ? node['flows'] : {};
      const list: OAuthFlow[] = [];
      for (const flow of FLOWS) {
        const value = flows[flow];
        if (!isObject(value)) continue;
        const entry: OAuthFlow = { flow, scopes: isObject(value['scopes']) ? Object.keys(value['scopes']).sort() : [] };
        for (const url of ['tokenUrl', 'authorizationUrl', 'refreshUrl'] as const) {
          const text = optionalString(value[url]);
          if (text !== undefined) entry[url] = text;
        }
        list.push(entry);
      }
      out.push({ kind: 'oauth2', key, flows: list, pointer, ...extra });
    } else if (type === 'openIdConnect') {
      out.push({ kind: 'openid-connect', key, url: optionalString(node['openIdConnectUrl']) ?? '', pointer, ...extra });
    } else if (type === 'mutualTLS') {
      out.push({ kind: 'mutual-tls', key, pointer, ...extra });
    } else {
      warn(ctx, 'SECURITY_SCHEME', `Security scheme "${key}" has unknown type "${String(type)}"; ignored.`, pointer);
    }
  }
  return out;
}

export function buildSecurityRequirements(raw: unknown): IrSecurityRequirement[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(isObject).map((requirement) =>
    Object.entries(requirement).map(([scheme, scopes]) => ({ scheme, scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [] })),
  );
}
