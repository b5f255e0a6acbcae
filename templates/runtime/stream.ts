/**
 * A streaming response as a typed async iterable: `for await (const event of stream)`. Each event's data is parsed
 * (JSON, unless the contract says the event is text) and validated against the per-event schema. A stream that
 * breaks after it started throws `StreamInterruptedError` (never a silent, shorter stream); a resumable operation
 * first reconnects with `Last-Event-ID`, waiting the server's `retry:` delay.
 */
import { ApiError } from './errors.js';
import { JsonLinesParser } from './ndjson.js';
import type { StreamFormat, StreamSource } from './operation-spec.js';
import { ServerSentEventParser } from './sse.js';

export type { StreamFormat, StreamSource } from './operation-spec.js';

export interface StreamEvent<T> {
  /** The SSE event type (`message` unless named); `message` for JSON Lines records. */
  event: string;
  data: T;
  /** The SSE last event id in effect (what a reconnection sends as `Last-Event-ID`). */
  id: string | undefined;
}

export type StreamStopReason = 'network' | 'truncated' | 'aborted' | 'unparseable' | 'reconnect-failed';

/** The stream stopped before its end. `eventsReceived` events were delivered; `lastEventId` is where to resume. */
export class StreamInterruptedError extends Error {
  override readonly name = 'StreamInterruptedError';
  constructor(
    readonly operationId: string,
    readonly reason: StreamStopReason,
    readonly eventsReceived: number,
    readonly lastEventId: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operationId}: stream ${reason} after ${eventsReceived} event(s): ${message}`, options);
  }
}

/** An event whose data breaks the contract's per-event schema. */
export class StreamEventValidationError extends Error {
  override readonly name = 'StreamEventValidationError';
  constructor(
    readonly operationId: string,
    readonly index: number,
    readonly event: string,
    readonly issues: ReadonlyArray<{ pointer: string; message: string }>,
  ) {
    super(
      `${operationId}: event #${index} (${event}) does not match the contract: ${issues.map((i) => `${i.pointer || '/'} ${i.message}`).join('; ')}`,
    );
  }
}

interface Framer {
  push(text: string): Array<{ event: string; data: string; id: string | undefined }>;
  finish(): Array<{ event: string; data: string; id: string | undefined }> | 'truncated';
  lastEventId: string | undefined;
  retryMs: number | undefined;
}

function framer(format: StreamFormat, lastEventId: string | undefined): Framer {
  if (format === 'sse') {
    const parser = new ServerSentEventParser();
    parser.lastEventId = lastEventId;
    return {
      push: (text) => parser.push(text),
      finish: () => (parser.pending ? 'truncated' : []),
      get lastEventId() {
        return parser.lastEventId;
      },
      get retryMs() {
        return parser.retryMs;
      },
    };
  }
  const lines = new JsonLinesParser(format === 'json-seq' ? '\u001e' : '\n');
  const wrap = (records: string[]) => records.map((data) => ({ event: 'message', data, id: undefined }));
  return {
    push: (text) => wrap(lines.push(text)),
    finish: () => wrap(lines.finish()),
    lastEventId: undefined,
    retryMs: undefined,
  };
}

const DEFAULT_RETRY_MS = 1000;
/** OpenAI and others end an SSE stream with this sentinel instead of closing it; it is not an event. */
const DONE = '[DONE]';

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });

export class EventStream<T> implements AsyncIterable<StreamEvent<T>> {
  private consumed = false;
  /** Where a reconnection would resume (SSE `id`). */
  lastEventId: string | undefined;

  constructor(private readonly source: StreamSource) {}

  /** The HTTP response that opened the stream (status, headers). */
  get response(): Response {
    return this.source.response;
  }

  /** Reads the whole stream into an array (for tests and small streams). */
  async toArray(): Promise<Array<StreamEvent<T>>> {
    const out: Array<StreamEvent<T>> = [];
    for await (const event of this) out.push(event);
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<StreamEvent<T>, void, undefined> {
    if (this.consumed) throw new Error(`${this.source.operationId}: a stream can be read once`);
    this.consumed = true;
    const { source } = this;
    let response = source.response;
    let received = 0;
    let reconnects = 0;
    let retryMs = DEFAULT_RETRY_MS;
    for (;;) {
      const frames = framer(source.format, this.lastEventId);
      const stop = (reason: StreamStopReason, message: string, cause?: unknown): StreamInterruptedError =>
        new StreamInterruptedError(
          source.operationId,
          reason,
          received,
          this.lastEventId,
          message,
          cause === undefined ? undefined : { cause },
        );
      const body = response.body;
      if (body === null) return;
      const reader = body.getReader();
      const decoder = new TextDecoder();
      let failure: StreamInterruptedError | undefined;
      try {
        for (;;) {
          let chunk: ReadableStreamReadResult<Uint8Array>;
          try {
            chunk = await reader.read();
          } catch (error) {
            failure = stop(
              source.signal?.aborted === true ? 'aborted' : 'network',
              error instanceof Error ? error.message : String(error),
              error,
            );
            break;
          }
          const text = chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
          const events = frames.push(text);
          let ended = false;
          if (chunk.done) {
            const rest = frames.finish();
            if (rest === 'truncated') failure = stop('truncated', 'the connection closed in the middle of an event');
            else events.push(...rest);
            ended = true;
          }
          if (frames.retryMs !== undefined) retryMs = frames.retryMs;
          for (const raw of events) {
            if (source.format === 'sse' && raw.data === DONE) return;
            this.lastEventId = raw.id;
            let data: unknown = raw.data;
            if (source.text !== true) {
              try {
                data = JSON.parse(raw.data);
              } catch (error) {
                throw stop('unparseable', `event data is not JSON: ${raw.data.slice(0, 80)}`, error);
              }
            }
            if (source.check) {
              const checked = source.check(data);
              if (!checked.ok)
                throw new StreamEventValidationError(source.operationId, received, raw.event, checked.issues);
              data = checked.data;
            }
            received++;
            yield { event: raw.event, data: data as T, id: raw.id };
          }
          if (ended) break;
        }
      } finally {
        reader.releaseLock();
        if (failure === undefined) await body.cancel().catch(() => undefined);
      }
      if (failure === undefined) return;
      const canResume =
        source.reconnect !== undefined &&
        this.lastEventId !== undefined &&
        failure.reason !== 'aborted' &&
        reconnects < (source.maxReconnects ?? 5);
      if (!canResume || source.reconnect === undefined || this.lastEventId === undefined) throw failure;
      reconnects++;
      try {
        await sleep(retryMs, source.signal);
        response = await source.reconnect(this.lastEventId);
      } catch (error) {
        throw stop(
          source.signal?.aborted === true ? 'aborted' : 'reconnect-failed',
          error instanceof Error ? error.message : String(error),
          error,
        );
      }
      if (!response.ok) throw stop('reconnect-failed', `reconnecting answered ${response.status}`);
    }
  }
}

/** The factory a generated client passes to `createCore` when its contract streams. */
export function openEventStream(source: StreamSource): EventStream<unknown> {
  return new EventStream(source);
}

type StreamCall<I, O> = (
  input: I,
  options?: O,
) => Promise<{ ok: boolean; status: number; data?: unknown; error?: unknown; response: Response }>;

/**
 * `api.op.stream(input)`: asks for the streaming media type (`Accept`) and returns the event stream itself; an error
 * status throws `ApiError`, and a server that answers with a buffered body instead of a stream throws too.
 */
export async function streamOf<T, I, O extends { headers?: Record<string, string> }>(
  operationId: string,
  call: StreamCall<I, O>,
  mediaType: string,
  input: I,
  options: O | undefined,
): Promise<EventStream<T>> {
  const result = await call(input, { ...options, headers: { ...options?.headers, Accept: mediaType } } as unknown as O);
  if (!result.ok) throw new ApiError(operationId, result.status, result.error, result.response);
  if (result.data instanceof EventStream) return result.data as EventStream<T>;
  throw new Error(
    `${operationId}: asked for ${mediaType} but the server answered ${result.response.headers.get('content-type') ?? 'without a Content-Type'}`,
  );
}
