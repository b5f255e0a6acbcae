import type { IrOperation } from '../ir/types.js';
import { handleIdempotency, REPLAYED_HEADER, type IdempotencyStore } from '../../templates/runtime/idempotency.js';
import type { MockRequest, MockResponse } from './types.js';

/**
 * Keyed operations go through the shared web-standard `handleIdempotency` (the provider uses the same one), so
 * the mock's answer is bridged to a Request/Response and back. A chaos `reset` decided for this request survives
 * the trip: the effect is stored, then the connection drops, and a retry with the same key gets the replay.
 */
export async function withIdempotency(
  store: IdempotencyStore,
  ttlMs: number,
  operation: IrOperation,
  request: MockRequest,
  bytes: Uint8Array<ArrayBuffer> | 'too-large',
  target: string,
  produce: () => Promise<MockResponse>,
): Promise<{ response: MockResponse; replayed: boolean }> {
  const headers = new Headers();
  const header = operation.idempotency.header;
  const key = request.headers[header.toLowerCase()];
  if (key !== undefined) headers.set(header, key);
  const method = request.method.toUpperCase();
  const payload = bytes !== 'too-large' && bytes.length > 0 && method !== 'GET' && method !== 'HEAD' ? bytes : null;
  const web = new Request(`http://mock.invalid${target}`, { method, headers, body: payload });
  let reset = false;
  const response = await handleIdempotency(web, operation, store, { ttlMs }, async () => {
    const out = await produce();
    reset = out.reset === true;
    return toWebResponse(out);
  });
  const replayed = response.headers.get(REPLAYED_HEADER) === 'true';
  const out = await fromWebResponse(response);
  if (reset && !replayed) out.reset = true;
  return { response: out, replayed };
}

const NO_BODY = new Set([204, 205, 304]);

function toWebResponse(out: MockResponse): Response {
  return new Response(NO_BODY.has(out.status) || out.body === undefined ? null : out.body, { status: out.status, headers: out.headers });
}

async function fromWebResponse(response: Response): Promise<MockResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers, body: bytes.length === 0 && NO_BODY.has(response.status) ? undefined : bytes };
}
