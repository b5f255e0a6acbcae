/**
 * Request bodies in (media type matching, decoding per encoding) and response bodies out, for the provider router.
 */
import { checkFieldCount, DEFAULT_PARSE_LIMITS, parseJsonWithin, type ParseLimits } from './parse-limits.js';
import { formToObject } from './server-params.js';
import type { RawBody, ServerMediaSpec } from './server-types.js';

const baseType = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** The declared media type a request's Content-Type matches: exact, then `type/*`, then `*\/*`. */
export function matchMediaType(
  declared: readonly ServerMediaSpec[],
  contentType: string | undefined,
): ServerMediaSpec | undefined {
  if (contentType === undefined || contentType === '') return undefined;
  const base = baseType(contentType);
  const major = base.split('/')[0] ?? '';
  return (
    declared.find((m) => baseType(m.mediaType) === base) ??
    declared.find((m) => baseType(m.mediaType) === `${major}/*`) ??
    declared.find((m) => baseType(m.mediaType) === '*/*')
  );
}

export class MalformedBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedBodyError';
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new MalformedBodyError('The body is not valid UTF-8');
  }
}

/**
 * Bytes -> the value the validator checks. Throws `MalformedBodyError` when the bytes cannot be read as declared,
 * `LimitExceededError` when they exceed a parse limit.
 */
export async function decodeBody(
  media: ServerMediaSpec,
  contentType: string,
  bytes: Uint8Array<ArrayBuffer>,
  limits: Readonly<Required<ParseLimits>> = DEFAULT_PARSE_LIMITS,
): Promise<unknown> {
  switch (media.encoding) {
    case 'json':
      try {
        return parseJsonWithin(text(bytes), limits);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        throw new MalformedBodyError(
          `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    case 'form': {
      const fields = [...new URLSearchParams(text(bytes))];
      checkFieldCount(fields.length, limits);
      return formToObject(fields, media.hint ?? 'any');
    }
    case 'multipart': {
      let form: FormData;
      try {
        form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      } catch (error) {
        throw new MalformedBodyError(
          `The multipart body cannot be parsed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const entries: Array<[string, unknown]> = [];
      form.forEach((value, key) => entries.push([key, value]));
      checkFieldCount(entries.length, limits);
      return formToObject(entries, media.hint ?? 'any');
    }
    case 'text':
      return text(bytes);
    case 'binary':
      return new Blob([bytes], { type: baseType(contentType) });
  }
}

/** A concrete Content-Type for a declared media type (wildcards are not sendable). */
function concreteType(media: ServerMediaSpec): string {
  if (!media.mediaType.includes('*')) return media.mediaType;
  if (media.encoding === 'json') return 'application/json';
  if (media.encoding === 'text') return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

export interface EncodedBody {
  body: RawBody;
  contentType: string | undefined;
}

/** A handler's body (already validated when validation is on) -> bytes or a stream, per the declared encoding. */
export function encodeBody(
  media: ServerMediaSpec | undefined,
  body: unknown,
  contentType: string | undefined,
): EncodedBody {
  if (body === undefined || (body === null && media === undefined)) return { body: null, contentType: undefined };
  const type = contentType ?? (media === undefined ? undefined : concreteType(media));
  if (body instanceof ReadableStream || body instanceof Blob || body instanceof Uint8Array) {
    const bytes = body instanceof Uint8Array ? new Uint8Array(body) : body;
    return {
      body: bytes,
      contentType: type ?? (body instanceof Blob && body.type !== '' ? body.type : 'application/octet-stream'),
    };
  }
  if (body instanceof ArrayBuffer)
    return { body: new Uint8Array(body), contentType: type ?? 'application/octet-stream' };
  const encoding = media?.encoding ?? (typeof body === 'string' ? 'text' : 'json');
  if (encoding === 'json') return { body: JSON.stringify(body), contentType: type ?? 'application/json' };
  if (encoding === 'form' && typeof body === 'object' && body !== null) {
    const params = new URLSearchParams();
    const entries: Array<[string, unknown]> = Object.entries(body);
    for (const [key, value] of entries) {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (item !== undefined)
          params.append(key, typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));
      }
    }
    return { body: params.toString(), contentType: type ?? 'application/x-www-form-urlencoded' };
  }
  return {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    contentType: type ?? 'text/plain; charset=utf-8',
  };
}
