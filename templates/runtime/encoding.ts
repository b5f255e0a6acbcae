/**
 * Byte helpers built on web standards only (TextEncoder, crypto.getRandomValues, btoa/atob), so every runtime
 * file that needs them stays browser-safe.
 */

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export const utf8Encoder = new TextEncoder();

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] as number];
  return out;
}

// Return types are inferred, not written: `Uint8Array<ArrayBuffer>` only parses from TypeScript 5.7 on.
export function randomBytes(length: number) {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

// Ids are drawn from a pool refilled 4 KiB at a time: one getRandomValues call costs microseconds in Node, and
// every call needs two ids (trace and parent). Each byte is used once.
const POOL_SIZE = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;

function pooledBytes(length: number): Uint8Array {
  if (length > POOL_SIZE) return randomBytes(length);
  if (poolOffset + length > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return out;
}

/** Lowercase hex of `byteLength` random bytes that are not all zero (W3C trace context forbids all-zero ids). */
export function randomNonZeroHex(byteLength: number): string {
  for (;;) {
    const bytes = pooledBytes(byteLength);
    if (bytes.some((b) => b !== 0)) return toHex(bytes);
  }
}

/**
 * UUID v4. `crypto.randomUUID` exists only in secure browser contexts (https, localhost), while
 * `getRandomValues` exists everywhere, so fall back to building one by hand.
 */
export function uuidv4(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunked so String.fromCharCode never receives more arguments than an engine allows.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function base64ToBytes(base64: string) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function utf8ToBase64(text: string): string {
  return bytesToBase64(utf8Encoder.encode(text));
}

/** Decodes UTF-8 strictly; undefined when the bytes are not valid UTF-8 (the caller then keeps them as base64). */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
