/**
 * HMAC request signing and verification over Web Crypto, for clients (sign) and for providers and webhook
 * receivers (verify). The signed string is
 *
 *   <timestamp>\n<nonce>\n<METHOD>\n<path + query>\n<hex sha256 of the body>
 *
 * The timestamp (unix seconds) travels in its own header; the signature header reads
 * `keyId=<id>,nonce=<hex>,v1=<hex hmac>` (keyId optional). The nonce makes two identical requests signed in the
 * same second distinct, so a retry is never mistaken for a replay.
 */
import { randomNonZeroHex, toHex, utf8Encoder } from './encoding.js';

export type HmacAlgorithm = 'sha256' | 'sha512';

const HASH_NAMES: Record<HmacAlgorithm, string> = { sha256: 'SHA-256', sha512: 'SHA-512' };

/** A Node Buffer is a Uint8Array and fits. */
export type SignableBody = Uint8Array | ArrayBuffer | string | null | undefined;

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (value === undefined)
    throw new Error('HMAC signing needs Web Crypto (crypto.subtle): a secure context (https) in browsers.');
  return value;
}

/** Always a fresh copy: Web Crypto wants an ArrayBuffer-backed view, and a Node Buffer may share a pool. */
function bodyBytes(body: SignableBody) {
  if (body === null || body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? utf8Encoder.encode(body) : new Uint8Array(body);
}

export function pathAndQuery(url: string | URL): string {
  const parsed = typeof url === 'string' ? new URL(url, 'http://signing.invalid') : url;
  return parsed.pathname + parsed.search;
}

export async function bodySha256(body: SignableBody): Promise<string> {
  return toHex(new Uint8Array(await subtle().digest('SHA-256', bodyBytes(body))));
}

export interface SigningParts {
  method: string;
  /** Absolute URL, or path + query. Only path and query are signed (proxies may rewrite the host). */
  url: string | URL;
  body?: SignableBody;
  timestamp: string;
  nonce: string;
}

export async function signingString(parts: SigningParts): Promise<string> {
  return [
    parts.timestamp,
    parts.nonce,
    parts.method.toUpperCase(),
    pathAndQuery(parts.url),
    await bodySha256(parts.body),
  ].join('\n');
}

async function hmac(secret: string, algorithm: HmacAlgorithm, message: string): Promise<Uint8Array> {
  const key = await subtle().importKey(
    'raw',
    utf8Encoder.encode(secret),
    { name: 'HMAC', hash: HASH_NAMES[algorithm] },
    false,
    ['sign'],
  );
  return new Uint8Array(await subtle().sign('HMAC', key, utf8Encoder.encode(message)));
}

export interface SignRequestInput {
  method: string;
  url: string | URL;
  body?: SignableBody;
  secret: string;
  algorithm?: HmacAlgorithm;
  /** Unix seconds; defaults to the current time. */
  timestampSec?: number;
  keyId?: string;
  /** Defaults to 16 random bytes in hex. */
  nonce?: string;
}

export interface RequestSignature {
  /** Value for the timestamp header. */
  timestamp: string;
  /** Value for the signature header. */
  signature: string;
}

export async function signRequest(input: SignRequestInput): Promise<RequestSignature> {
  const timestamp = String(Math.floor(input.timestampSec ?? Date.now() / 1000));
  const nonce = input.nonce ?? randomNonZeroHex(16);
  const mac = await hmac(
    input.secret,
    input.algorithm ?? 'sha256',
    await signingString({ method: input.method, url: input.url, body: input.body, timestamp, nonce }),
  );
  const fields = [...(input.keyId === undefined ? [] : [`keyId=${input.keyId}`]), `nonce=${nonce}`, `v1=${toHex(mac)}`];
  return { timestamp, signature: fields.join(',') };
}

export interface ParsedSignatureHeader {
  keyId?: string;
  nonce: string;
  /** Several `v1` values are allowed, so a sender can sign with an old and a new secret while rotating. */
  v1: string[];
}

export function parseSignatureHeader(value: string): ParsedSignatureHeader | undefined {
  let keyId: string | undefined;
  let nonce: string | undefined;
  const v1: string[] = [];
  for (const field of value.split(',')) {
    const eq = field.indexOf('=');
    if (eq === -1) return undefined;
    const name = field.slice(0, eq).trim();
    const val = field.slice(eq + 1).trim();
    if (name === 'keyId') keyId = val;
    else if (name === 'nonce' && /^[0-9a-f]{8,128}$/.test(val)) nonce = val;
    else if (name === 'v1' && /^[0-9a-f]+$/.test(val)) v1.push(val);
  }
  if (nonce === undefined || v1.length === 0) return undefined;
  return keyId === undefined ? { nonce, v1 } : { keyId, nonce, v1 };
}

/** Compares in time that depends only on the lengths, not on where the first difference is. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export interface ReplayCache {
  /** True if this nonce was accepted before and its window has not passed. */
  has(nonce: string, nowMs: number): boolean;
  remember(nonce: string, expiresAtMs: number): void;
}

/**
 * In-memory replay cache. It must hold every nonce accepted within one tolerance window; when `maxEntries` is
 * reached the oldest entries are evicted, so size it above the peak number of requests per window.
 */
export function createReplayCache(maxEntries = 100_000): ReplayCache {
  const entries = new Map<string, number>();
  return {
    has(nonce, nowMs) {
      const expires = entries.get(nonce);
      return expires !== undefined && expires >= nowMs;
    },
    remember(nonce, expiresAtMs) {
      entries.delete(nonce);
      entries.set(nonce, expiresAtMs);
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
  };
}

export type SecretLookup = string | ((keyId: string | undefined) => string | undefined | Promise<string | undefined>);

export interface VerifySignatureInput {
  method: string;
  url: string | URL;
  body?: SignableBody;
  /** The signature header value, as received. */
  signature: string | null | undefined;
  /** The timestamp header value, as received. */
  timestamp: string | null | undefined;
  secret: SecretLookup;
  algorithm?: HmacAlgorithm;
  /** Defaults to Date.now(). */
  nowMs?: number;
  /** Accepted clock difference either way, in seconds (default 300). */
  toleranceSec?: number;
  /** Without one, replays inside the window are not detected. */
  replayCache?: ReplayCache;
}

export type VerifyFailure = 'missing' | 'malformed' | 'stale' | 'unknown-key' | 'mismatch' | 'replayed';

export type VerifyResult = { ok: true; keyId?: string } | { ok: false; reason: VerifyFailure };

export async function verifySignature(input: VerifySignatureInput): Promise<VerifyResult> {
  if (input.signature == null || input.timestamp == null || input.signature === '' || input.timestamp === '')
    return { ok: false, reason: 'missing' };
  const parsed = parseSignatureHeader(input.signature);
  if (parsed === undefined || !/^\d{1,12}$/.test(input.timestamp.trim())) return { ok: false, reason: 'malformed' };
  const timestamp = input.timestamp.trim();
  const nowMs = input.nowMs ?? Date.now();
  const toleranceMs = (input.toleranceSec ?? 300) * 1000;
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) return { ok: false, reason: 'stale' };
  const secret = typeof input.secret === 'string' ? input.secret : await input.secret(parsed.keyId);
  if (secret === undefined || secret === '') return { ok: false, reason: 'unknown-key' };
  const expected = utf8Encoder.encode(
    toHex(
      await hmac(
        secret,
        input.algorithm ?? 'sha256',
        await signingString({ method: input.method, url: input.url, body: input.body, timestamp, nonce: parsed.nonce }),
      ),
    ),
  );
  let matched = false;
  for (const candidate of parsed.v1) if (timingSafeEqual(expected, utf8Encoder.encode(candidate))) matched = true;
  if (!matched) return { ok: false, reason: 'mismatch' };
  if (input.replayCache !== undefined) {
    if (input.replayCache.has(parsed.nonce, nowMs)) return { ok: false, reason: 'replayed' };
    input.replayCache.remember(parsed.nonce, Number(timestamp) * 1000 + toleranceMs);
  }
  return parsed.keyId === undefined ? { ok: true } : { ok: true, keyId: parsed.keyId };
}
