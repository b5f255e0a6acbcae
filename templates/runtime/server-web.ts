/**
 * Web `Request` -> the router's raw request view (web standards only).
 */
import { BodyTooLargeError, type RawRequest } from './server-types.js';

/** Reads a body stream, refusing more than `limit` bytes (before reading, when Content-Length already says so). */
export async function readBodyLimited(
  stream: ReadableStream<Uint8Array> | null,
  declaredLength: string | null | undefined,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (declaredLength !== null && declaredLength !== undefined && Number(declaredLength) > limit) {
    await stream?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limit);
  }
  if (stream === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function rawFromWebRequest(request: Request): RawRequest {
  const url = new URL(request.url);
  let body: Promise<Uint8Array<ArrayBuffer>> | undefined;
  return {
    method: request.method.toUpperCase(),
    url: url.pathname + url.search,
    header: (name) => request.headers.get(name) ?? undefined,
    body: (limit) => (body ??= readBodyLimited(request.body, request.headers.get('content-length'), limit)),
    toRequest: () => request,
  };
}
