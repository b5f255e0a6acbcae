/**
 * Files without buffering. Uploads: a Blob/File (a disk-backed one from `fs.openAsBlob` never enters memory), a
 * `ReadableStream`, or a `FilePart` (bytes with a file name and content type) go out as they are read, in a raw
 * binary body or as multipart parts. Downloads: a binary response is a `BinaryBody` to stream, or to read whole
 * with `.blob()`/`.arrayBuffer()`. Both directions can report progress.
 */

/** A file for a multipart field (or a binary body) with the name and content type to send. */
export interface FilePart {
  body: Blob | ReadableStream<Uint8Array> | Uint8Array;
  filename?: string;
  contentType?: string;
}

import type { FilePlugin, StreamedBody } from './plugins.js';

export type { StreamedBody } from './plugins.js';

export function isFilePart(value: unknown): value is FilePart {
  if (typeof value !== 'object' || value === null || !('body' in value)) return false;
  const body: unknown = value.body;
  return body instanceof Blob || body instanceof ReadableStream || body instanceof Uint8Array;
}

const isFileLike = (value: unknown): boolean =>
  value instanceof Blob || value instanceof ReadableStream || isFilePart(value);

/** Counts bytes through a stream, reporting after each chunk. */
export function counted(
  stream: ReadableStream<Uint8Array>,
  total: number | null,
  report: (loaded: number, total: number | null) => void,
): ReadableStream<Uint8Array> {
  let loaded = 0;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        controller.enqueue(chunk);
        report(loaded, total);
      },
    }),
  );
}

const quote = (text: string): string =>
  text.replace(/["\r\n\\]/g, (c) => (c === '"' ? '%22' : c === '\\' ? '\\\\' : ' '));

function partStream(value: unknown): {
  stream: ReadableStream<Uint8Array>;
  filename: string | undefined;
  type: string;
} {
  const part: FilePart = isFilePart(value) ? value : { body: value as Blob | ReadableStream<Uint8Array> };
  const body = part.body;
  const name = body instanceof File ? body.name : undefined;
  const type = part.contentType ?? (body instanceof Blob && body.type !== '' ? body.type : 'application/octet-stream');
  const stream =
    body instanceof Blob
      ? body.stream()
      : body instanceof Uint8Array
        ? new Blob([new Uint8Array(body)]).stream()
        : body;
  return { stream, filename: part.filename ?? name ?? 'blob', type };
}

/** A multipart/form-data body whose file parts are streamed (used when a part is a ReadableStream). */
function multipartStream(entries: ReadonlyArray<[string, unknown]>): {
  body: ReadableStream<Uint8Array>;
  contentType: string;
} {
  const boundary = `----concord${crypto.getRandomValues(new Uint32Array(3)).join('')}`;
  const encoder = new TextEncoder();
  const parts = [...entries];
  let index = 0;
  let current: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (current !== undefined) {
        const chunk = await current.read();
        if (chunk.done !== true) return controller.enqueue(chunk.value);
        current = undefined;
        return controller.enqueue(encoder.encode('\r\n'));
      }
      const entry = parts[index++];
      if (entry === undefined) {
        controller.enqueue(encoder.encode(`--${boundary}--\r\n`));
        return controller.close();
      }
      const [name, value] = entry;
      if (isFileLike(value)) {
        const file = partStream(value);
        current = file.stream.getReader();
        return controller.enqueue(
          encoder.encode(
            `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"; filename="${quote(file.filename ?? 'blob')}"\r\nContent-Type: ${file.type}\r\n\r\n`,
          ),
        );
      }
      controller.enqueue(
        encoder.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${String(value)}\r\n`,
        ),
      );
    },
    async cancel(reason) {
      await current?.cancel(reason);
    },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * The streamed form of a request body, or undefined when it is ordinary data (encoded and buffered as before).
 * `fields` turns a non-file multipart value into its text.
 */
export function streamedUpload(
  encoding: string,
  mediaType: string,
  body: unknown,
  fieldText: (value: unknown) => string,
): { body: StreamedBody; contentType: string | undefined } | undefined {
  if (encoding === 'binary') {
    const concrete = mediaType.includes('*') ? undefined : mediaType;
    if (body instanceof Blob)
      return {
        body,
        contentType: concrete ?? (body.type || 'application/octet-stream'),
      };
    if (body instanceof ReadableStream) return { body, contentType: concrete ?? 'application/octet-stream' };
    if (isFilePart(body)) {
      const part = partStream(body);
      return {
        body: body.body instanceof Blob ? body.body : part.stream,
        contentType: body.contentType ?? concrete ?? part.type,
      };
    }
    return undefined;
  }
  if (encoding !== 'multipart' || typeof body !== 'object' || body === null) return undefined;
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(body)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined) entries.push([key, item]);
  }
  if (!entries.some(([, value]) => isFileLike(value))) return undefined;
  const oneShot = entries.some(
    ([, v]) => v instanceof ReadableStream || (isFilePart(v) && v.body instanceof ReadableStream),
  );
  if (oneShot) return multipartStream(entries.map(([k, v]) => [k, isFileLike(v) ? v : fieldText(v)]));
  const form = new FormData();
  for (const [key, value] of entries) {
    if (value instanceof Blob) form.append(key, value, value instanceof File ? value.name : 'blob');
    else if (isFilePart(value)) {
      const bytes = value.body instanceof Uint8Array ? new Blob([new Uint8Array(value.body)]) : (value.body as Blob);
      const typed = value.contentType === undefined ? bytes : new Blob([bytes], { type: value.contentType });
      form.append(key, typed, value.filename ?? (value.body instanceof File ? value.body.name : 'blob'));
    } else form.append(key, fieldText(value));
  }
  return { body: form, contentType: undefined };
}

/**
 * The body of one attempt. Without progress, Blob and FormData go to fetch as they are (it streams them); with
 * progress, each attempt reads them afresh through a counter. A ReadableStream can be sent once only.
 */
export function attemptBody(
  body: StreamedBody,
  headers: Headers,
  report: ((loaded: number, total: number | null) => void) | undefined,
): { body: BodyInit; duplex: boolean } {
  if (report === undefined) return { body, duplex: body instanceof ReadableStream };
  if (body instanceof Blob) return { body: counted(body.stream(), body.size, report), duplex: true };
  if (body instanceof FormData) {
    const encoded = new Response(body);
    const type = encoded.headers.get('content-type');
    if (type !== null) headers.set('content-type', type);
    return {
      body: counted(encoded.body ?? new Blob([]).stream(), null, report),
      duplex: true,
    };
  }
  return { body: counted(body, null, report), duplex: true };
}

/** A binary response body, read once: as a stream, or whole with `.blob()` / `.arrayBuffer()` / `.text()`. */
export class BinaryBody {
  private used = false;
  /** From Content-Type. */
  readonly type: string;
  /** From Content-Length, when the server sent one. */
  readonly size: number | undefined;

  constructor(
    readonly response: Response,
    private readonly report?: (loaded: number, total: number | null) => void,
  ) {
    this.type = response.headers.get('content-type') ?? 'application/octet-stream';
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    this.size = Number.isFinite(length) ? length : undefined;
  }

  /** The bytes as they arrive (constant memory however large the body). */
  stream(): ReadableStream<Uint8Array> {
    if (this.used) throw new TypeError('the body was already read');
    this.used = true;
    const body = this.response.body ?? new Blob([]).stream();
    return this.report === undefined ? body : counted(body, this.size ?? null, this.report);
  }

  blob(): Promise<Blob> {
    return new Response(this.stream(), {
      headers: { 'content-type': this.type },
    }).blob();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return new Response(this.stream()).arrayBuffer();
  }

  text(): Promise<string> {
    return new Response(this.stream()).text();
  }

  /** Discards the body without reading it. */
  async cancel(): Promise<void> {
    if (!this.used) await this.response.body?.cancel();
    this.used = true;
  }
}

/** The files plug-in of a client whose contract sends or receives files. */
export const filePlugin: FilePlugin = {
  upload: streamedUpload,
  attemptBody,
  download: (response, report) => new BinaryBody(response, report),
};
