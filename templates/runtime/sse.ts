/**
 * Server-Sent Events framing, as the WHATWG HTML standard's "event stream interpretation" describes it: lines end
 * in CRLF, LF or CR; `data` lines accumulate (joined by LF); `event`, `id` and `retry` set fields; a line starting
 * with `:` is a comment; a blank line dispatches the event. Text in, events out, so it is testable without I/O.
 */

export interface RawServerSentEvent {
  /** `message` unless the server named the event type. */
  event: string;
  data: string;
  /** The last event id in effect when this event was dispatched (it persists across events, per the standard). */
  id: string | undefined;
}

export class ServerSentEventParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private started = false;
  /** Set by `id:` lines; kept across events. */
  lastEventId: string | undefined;
  /** Reconnection delay the server asked for with `retry:`, in milliseconds. */
  retryMs: number | undefined;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): RawServerSentEvent[] {
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
    }
    const out: RawServerSentEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // A CR at the end of the buffer may be the first half of a CRLF: wait for the next chunk.
      if (c === 13 && i === this.buffer.length - 1) break;
      const line = this.buffer.slice(start, i);
      if (c === 13 && this.buffer.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
      const event = this.line(line);
      if (event) out.push(event);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** True when bytes of an unfinished event are buffered: the stream ended in the middle of an event. */
  get pending(): boolean {
    return this.buffer.length > 0 || this.data.length > 0;
  }

  private line(line: string): RawServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id' && !value.includes('\u0000')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): RawServerSentEvent | undefined {
    const data = this.data;
    const eventType = this.eventType;
    this.data = [];
    this.eventType = '';
    if (data.length === 0) return undefined;
    return { event: eventType === '' ? 'message' : eventType, data: data.join('\n'), id: this.lastEventId };
  }
}
