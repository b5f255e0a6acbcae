/**
 * A provider handler may answer a streaming media type with an async iterable of events; this encodes it as SSE,
 * NDJSON or JSON-seq while it is produced. With validation on, an event outside the contract stops the stream
 * (the status line is already sent, so breaking the connection is the only honest signal left).
 */
import type { StreamFormat } from './operation-spec.js';

/** An SSE event with its `id`/`event`/`retry` fields; a plain value is sent as `data` alone. */
export class ServerSentEvent<T = unknown> {
  constructor(
    readonly data: T,
    readonly fields: { id?: string; event?: string; retry?: number } = {},
  ) {}
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' && value !== null && Symbol.asyncIterator in value && !(value instanceof ReadableStream)
  );
}

const encoder = new TextEncoder();

function frame(format: StreamFormat, value: unknown, text: boolean): string {
  const event = value instanceof ServerSentEvent ? value : new ServerSentEvent(value);
  const data = text && typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  if (format === 'ndjson') return `${data}\n`;
  if (format === 'json-seq') return `\u001e${data}\n`;
  const lines: string[] = [];
  if (event.fields.retry !== undefined) lines.push(`retry: ${Math.max(0, Math.floor(event.fields.retry))}`);
  if (event.fields.id !== undefined) lines.push(`id: ${event.fields.id.replace(/[\r\n\u0000]/g, '')}`);
  if (event.fields.event !== undefined) lines.push(`event: ${event.fields.event.replace(/[\r\n]/g, '')}`);
  for (const line of data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join('\n')}\n\n`;
}

/** `check` returns false for an event outside the contract. */
export function encodeEventStream(
  format: StreamFormat,
  events: AsyncIterable<unknown>,
  options: { text?: boolean; check?: (data: unknown) => boolean } = {},
): ReadableStream<Uint8Array> {
  const iterator = events[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done === true) return controller.close();
      const data = next.value instanceof ServerSentEvent ? next.value.data : next.value;
      if (options.check !== undefined && !options.check(data)) {
        await iterator.return?.();
        return controller.error(new Error('a streamed event does not match the contract'));
      }
      controller.enqueue(encoder.encode(frame(format, next.value, options.text === true)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
