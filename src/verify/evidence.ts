import type { ReportedRequest, ReportedResponse, WireRequest } from './types.js';
import type { WireResponse } from './transport.js';

/** What a failure shows of the exchange: a runnable curl line, and a bounded excerpt of the answer. */

const REQUEST_BODY_LIMIT = 4096;
const RESPONSE_BODY_LIMIT = 2048;
/** Response headers worth showing: the ones checks look at, plus what identifies the request in provider logs. */
const SHOWN_HEADERS = /^(content-type|content-length|location|www-authenticate|retry-after|idempotency-replayed|x-correlation-id|x-request-id|traceparent|x-concord-mock-warning)$/;

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function bodyText(bytes: Uint8Array, limit: number): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, Math.min(bytes.length, limit + 4)));
  } catch {
    return `base64:${Buffer.from(bytes.subarray(0, limit)).toString('base64')}`;
  }
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function isText(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function curlLine(request: WireRequest): string {
  const parts = ['curl', '-sS', '-X', request.method, quote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) parts.push('-H', quote(`${name}: ${value}`));
  if (request.body !== undefined && request.body.length > 0) {
    if (isText(request.body)) parts.push('--data-binary', quote(new TextDecoder().decode(request.body)));
    else parts.push('--data-binary', `@<(printf %s ${quote(Buffer.from(request.body).toString('base64'))} | base64 -d)`);
  }
  return parts.join(' ');
}

export function reportRequest(request: WireRequest): ReportedRequest {
  return {
    method: request.method,
    url: request.url,
    headers: { ...request.headers },
    ...(request.body !== undefined && request.body.length > 0 ? { body: bodyText(request.body, REQUEST_BODY_LIMIT) } : {}),
    curl: curlLine(request),
  };
}

export function reportResponse(response: WireResponse): ReportedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) if (SHOWN_HEADERS.test(name)) headers[name] = value;
  return { status: response.status, headers, body: bodyText(response.body, RESPONSE_BODY_LIMIT) };
}
