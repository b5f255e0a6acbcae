/**
 * The `hmac` scheme kind for `authPlugin`: each attempt is signed over its method, URL and body (hmac.ts), so a
 * client carries it only when its contract declares a signing scheme.
 */
import type { HmacCredentials, SchemeKind } from './auth.js';
import { signRequest } from './hmac.js';

export const hmacScheme: SchemeKind<'hmac'> = (scheme, credentials, { env, secret, remember, wrong }) => {
  if (typeof credentials !== 'object' || !('secret' in credentials)) throw wrong('{ secret, keyId? }');
  const { secret: key, keyId } = credentials as HmacCredentials;
  remember(key);
  return {
    apply: async (parts) => {
      const signed = await signRequest({
        method: parts.method,
        url: parts.url,
        body: parts.body,
        secret: await secret(key),
        algorithm: scheme.algorithm,
        timestampSec: Math.floor(env.now() / 1000),
        ...(keyId === undefined ? {} : { keyId }),
      });
      parts.headers.set(scheme.header, signed.signature);
      parts.headers.set(scheme.timestampHeader, signed.timestamp);
    },
  };
};
