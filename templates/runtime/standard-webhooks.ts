/**
 * Standard Webhooks (https://www.standardwebhooks.com) signatures, over Web Crypto: the signed content is
 * `<webhook-id>.<webhook-timestamp>.<body>`, the MAC is HMAC-SHA256 keyed with the bytes of a `whsec_<base64>`
 * secret, and `webhook-signature` carries space-separated `v1,<base64>` entries, one per secret (key rotation).
 * This is what Svix and the `standardwebhooks` libraries sign and verify; concord's own request signing
 * (hmac.ts, `x-concord-hmac`) is a different scheme with its own headers.
 */
import { base64ToBytes, bytesToBase64, randomBytes, utf8Encoder } from './encoding.js';
import { timingSafeEqual } from './hmac.js';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The specification's default: deliveries older or newer than five minutes are refused. */
export const WEBHOOK_TOLERANCE_SEC = 300;

/** One secret, or several while rotating: the sender signs with each, the receiver accepts any. */
export type WebhookSecrets = string | readonly string[];

export class WebhookSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSecretError';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The key bytes of a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries). */
export function decodeWebhookSecret(secret: string) {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (encoded === '' || !BASE64.test(encoded))
    throw new WebhookSecretError(
      'A webhook secret must be "whsec_" followed by base64 key bytes (Standard Webhooks); create one with generateWebhookSecret().',
    );
  return base64ToBytes(encoded);
}

/** A fresh `whsec_` secret with `byteLength` random key bytes (24 to 64 per the specification). */
export function generateWebhookSecret(byteLength = 32): string {
  return WEBHOOK_SECRET_PREFIX + bytesToBase64(randomBytes(byteLength));
}

function secretList(secrets: WebhookSecrets): readonly string[] {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (list.length === 0) throw new WebhookSecretError('At least one webhook secret is required.');
  return list;
}

/** Throws WebhookSecretError unless every secret decodes, so a bad one fails at start-up, not on a delivery. */
export function checkWebhookSecrets(secrets: WebhookSecrets): void {
  for (const secret of secretList(secrets)) decodeWebhookSecret(secret);
}

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (value === undefined)
    throw new Error('Webhook signatures need Web Crypto (crypto.subtle): a secure context (https) in browsers.');
  return value;
}

function signedContent(id: string, timestamp: string, body: Uint8Array | string) {
  const prefix = utf8Encoder.encode(`${id}.${timestamp}.`);
  const payload = typeof body === 'string' ? utf8Encoder.encode(body) : body;
  const out = new Uint8Array(prefix.length + payload.length);
  out.set(prefix, 0);
  out.set(payload, prefix.length);
  return out;
}

async function mac(secret: string, content: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const key = await subtle().importKey('raw', decodeWebhookSecret(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await subtle().sign('HMAC', key, content));
}

export interface SignWebhookInput {
  id: string;
  /** Unix seconds. */
  timestampSec: number;
  body: Uint8Array | string;
  secrets: WebhookSecrets;
}

/** The `webhook-signature` value: `v1,<base64>` per secret, space-separated. */
export async function signWebhook(input: SignWebhookInput): Promise<string> {
  const content = signedContent(input.id, String(Math.floor(input.timestampSec)), input.body);
  const signatures: string[] = [];
  for (const secret of secretList(input.secrets)) signatures.push(`v1,${bytesToBase64(await mac(secret, content))}`);
  return signatures.join(' ');
}

export interface VerifyWebhookInput {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  body: Uint8Array | string;
  secrets: WebhookSecrets;
  toleranceSec?: number;
  nowMs?: number;
}

export type WebhookVerifyFailure = 'missing' | 'malformed' | 'stale' | 'mismatch';
export type WebhookVerifyResult = { ok: true } | { ok: false; reason: WebhookVerifyFailure };

/** Checks the timestamp window, then accepts the delivery if any `v1` signature matches any secret. */
export async function verifyWebhook(input: VerifyWebhookInput): Promise<WebhookVerifyResult> {
  const { id, timestamp, signature } = input;
  if (id === null || id === '' || timestamp === null || timestamp === '' || signature === null || signature === '')
    return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  const nowSec = Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (Math.abs(nowSec - Number(timestamp)) > (input.toleranceSec ?? WEBHOOK_TOLERANCE_SEC))
    return { ok: false, reason: 'stale' };
  const candidates: Uint8Array[] = [];
  for (const entry of signature.split(' ')) {
    const comma = entry.indexOf(',');
    // Other versions (e.g. `v1a`, asymmetric) are skipped, not refused: a sender may send both.
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    const value = entry.slice(comma + 1);
    if (BASE64.test(value)) candidates.push(utf8Encoder.encode(value));
  }
  if (candidates.length === 0) return { ok: false, reason: 'malformed' };
  const content = signedContent(id, timestamp, input.body);
  let matched = false;
  for (const secret of secretList(input.secrets)) {
    const expected = utf8Encoder.encode(bytesToBase64(await mac(secret, content)));
    // Every candidate is compared, so timing does not reveal which one matched.
    for (const candidate of candidates) if (timingSafeEqual(expected, candidate)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: 'mismatch' };
}
