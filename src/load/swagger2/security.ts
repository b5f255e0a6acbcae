import { copyExtensions, isExtension, isRecord, ptr, warn } from './context.js';
import type { JsonObject, UpgradeContext } from './context.js';

/** 2.0 oauth2 `flow` -> the 3.0 `flows` key and the URLs that flow needs. */
const OAUTH_FLOWS: Record<string, { name: string; urls: Array<'authorizationUrl' | 'tokenUrl'> }> = {
  implicit: { name: 'implicit', urls: ['authorizationUrl'] },
  password: { name: 'password', urls: ['tokenUrl'] },
  application: { name: 'clientCredentials', urls: ['tokenUrl'] },
  accessCode: { name: 'authorizationCode', urls: ['authorizationUrl', 'tokenUrl'] },
};

export function convertSecuritySchemes(ctx: UpgradeContext, definitions: unknown, pointer: string): JsonObject {
  const out: JsonObject = {};
  if (!isRecord(definitions)) {
    warn(ctx, pointer, '`securityDefinitions` must be a map; dropped');
    return out;
  }
  for (const [name, scheme] of Object.entries(definitions)) {
    const converted = convertSecurityScheme(ctx, scheme, ptr(pointer, name));
    if (converted !== undefined) out[name] = converted;
  }
  return out;
}

function convertSecurityScheme(ctx: UpgradeContext, scheme: unknown, pointer: string): JsonObject | undefined {
  if (!isRecord(scheme)) {
    warn(ctx, pointer, 'security scheme is not an object; dropped');
    return undefined;
  }
  const type = scheme['type'];
  let out: JsonObject;
  if (type === 'basic') {
    out = { type: 'http', scheme: 'basic' };
  } else if (type === 'apiKey') {
    out = { type: 'apiKey', name: scheme['name'], in: scheme['in'] };
    if (typeof scheme['name'] !== 'string' || !['query', 'header'].includes(String(scheme['in']))) {
      warn(ctx, pointer, 'apiKey scheme needs a `name` and `in: query|header`');
    }
  } else if (type === 'oauth2') {
    const flows = oauthFlows(ctx, scheme, pointer);
    if (flows === undefined) return undefined;
    out = { type: 'oauth2', flows };
  } else {
    warn(ctx, ptr(pointer, 'type'), `security scheme type "${String(type)}" does not exist; scheme dropped`);
    return undefined;
  }
  if (typeof scheme['description'] === 'string') out['description'] = scheme['description'];
  copyExtensions(ctx, scheme, out, pointer);
  return out;
}

function oauthFlows(ctx: UpgradeContext, scheme: JsonObject, pointer: string): JsonObject | undefined {
  const flow = OAUTH_FLOWS[String(scheme['flow'])];
  if (flow === undefined) {
    warn(ctx, ptr(pointer, 'flow'), `oauth2 flow "${String(scheme['flow'])}" does not exist; scheme dropped`);
    return undefined;
  }
  const converted: JsonObject = {};
  for (const url of flow.urls) {
    if (typeof scheme[url] === 'string') converted[url] = scheme[url];
    else warn(ctx, pointer, `oauth2 flow "${String(scheme['flow'])}" needs \`${url}\``);
  }
  const scopes = scheme['scopes'];
  // 3.0 requires `scopes`, even if empty; 2.0 scopes may carry extensions, which 3.0 does not allow there.
  const scopeMap: JsonObject = {};
  if (isRecord(scopes)) {
    for (const [scope, description] of Object.entries(scopes)) {
      if (isExtension(scope)) continue;
      scopeMap[scope] = typeof description === 'string' ? description : '';
    }
  }
  converted['scopes'] = scopeMap;
  return { [flow.name]: converted };
}
