import { describe, expect, it } from 'vitest';
import { createReplayCache, signRequest, timingSafeEqual, verifySignature, type VerifySignatureInput } from '../../../templates/runtime/hmac.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const base = { method: 'POST', url: 'https://api.example.test/v1/payments?currency=EUR', body: '{"amount":100}', secret: 'whsec_test' };

async function signed(overrides: Partial<Parameters<typeof signRequest>[0]> = {}) {
  return signRequest({ ...base, timestampSec: NOW / 1000, ...overrides });
}

function verifyInput(signature: { signature: string; timestamp: string }, overrides: Partial<VerifySignatureInput> = {}): VerifySignatureInput {
  return { ...base, signature: signature.signature, timestamp: signature.timestamp, nowMs: NOW, ...overrides };
}

describe('signRequest / verifySignature', () => {
  it('accepts a request signed with the same secret, whether the URL is absolute or path-only', async () => {
    const signature = await signed({ keyId: 'k1' });
    expect(signature.timestamp).toBe(String(NOW / 1000));
    expect(signature.signature).toMatch(/^keyId=k1,nonce=[0-9a-f]{32},v1=[0-9a-f]{64}$/);
    expect(await verifySignature(verifyInput(signature))).toEqual({ ok: true, keyId: 'k1' });
    expect(await verifySignature(verifyInput(signature, { url: '/v1/payments?currency=EUR' }))).toEqual({ ok: true, keyId: 'k1' });
  });

  const failures: Array<{ name: string; overrides: Partial<VerifySignatureInput>; want: string }> = [
    { name: 'tampered body', overrides: { body: '{"amount":1000}' }, want: 'mismatch' },
    { name: 'tampered query', overrides: { url: 'https://api.example.test/v1/payments?currency=USD' }, want: 'mismatch' },
    { name: 'tampered method', overrides: { method: 'PUT' }, want: 'mismatch' },
    { name: 'wrong secret', overrides: { secret: 'whsec_other' }, want: 'mismatch' },
    { name: 'timestamp 301 s old', overrides: { nowMs: NOW + 301_000 }, want: 'stale' },
    { name: 'timestamp 301 s in the future', overrides: { nowMs: NOW - 301_000 }, want: 'stale' },
    { name: 'unknown key id', overrides: { secret: () => undefined }, want: 'unknown-key' },
    { name: 'missing signature', overrides: { signature: null }, want: 'missing' },
    { name: 'missing timestamp', overrides: { timestamp: '' }, want: 'missing' },
    { name: 'malformed signature', overrides: { signature: 'v1=zz' }, want: 'malformed' },
    { name: 'malformed timestamp', overrides: { timestamp: 'yesterday' }, want: 'malformed' },
  ];
  it.each(failures)('rejects: $name', async ({ overrides, want }) => {
    expect(await verifySignature(verifyInput(await signed(), overrides))).toEqual({ ok: false, reason: want });
  });

  it('accepts a timestamp at the edge of the window, and a custom window', async () => {
    const signature = await signed();
    expect((await verifySignature(verifyInput(signature, { nowMs: NOW + 300_000 }))).ok).toBe(true);
    expect(await verifySignature(verifyInput(signature, { nowMs: NOW + 31_000, toleranceSec: 30 }))).toEqual({ ok: false, reason: 'stale' });
  });

  it('rejects a replay inside the window, and two identical requests signed in the same second are distinct', async () => {
    const cache = createReplayCache();
    const first = await signed();
    const twin = await signed();
    expect(twin.timestamp).toBe(first.timestamp);
    expect(twin.signature).not.toBe(first.signature);
    expect((await verifySignature(verifyInput(first, { replayCache: cache }))).ok).toBe(true);
    expect(await verifySignature(verifyInput(first, { replayCache: cache, nowMs: NOW + 10_000 }))).toEqual({ ok: false, reason: 'replayed' });
    expect((await verifySignature(verifyInput(twin, { replayCache: cache }))).ok).toBe(true);
  });

  it('does not record a nonce from a request that failed verification', async () => {
    const cache = createReplayCache();
    const signature = await signed();
    expect((await verifySignature(verifyInput(signature, { replayCache: cache, body: 'forged' }))).ok).toBe(false);
    expect((await verifySignature(verifyInput(signature, { replayCache: cache }))).ok).toBe(true);
  });

  it('supports sha512 and accepts any of several v1 values (secret rotation)', async () => {
    const old = await signed({ algorithm: 'sha512', secret: 'old', nonce: 'aaaaaaaaaaaaaaaa' });
    const fresh = await signed({ algorithm: 'sha512', secret: 'new', nonce: 'aaaaaaaaaaaaaaaa' });
    const both = `${old.signature},${fresh.signature.split(',').find((f) => f.startsWith('v1='))}`;
    expect(both.match(/v1=[0-9a-f]{128}/g)).toHaveLength(2);
    expect((await verifySignature(verifyInput({ signature: both, timestamp: old.timestamp }, { secret: 'new', algorithm: 'sha512' }))).ok).toBe(true);
    expect((await verifySignature(verifyInput({ signature: both, timestamp: old.timestamp }, { secret: 'other', algorithm: 'sha512' }))).ok).toBe(false);
  });

  it('compares bytes without short-circuiting on length or content', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(timingSafeEqual(enc('abcdef'), enc('abcdef'))).toBe(true);
    expect(timingSafeEqual(enc('abcdef'), enc('abcdeg'))).toBe(false);
    expect(timingSafeEqual(enc('abcdef'), enc('abcde'))).toBe(false);
    expect(timingSafeEqual(enc(''), enc(''))).toBe(true);
  });
});
