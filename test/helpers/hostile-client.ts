/**
 * A hostile HTTP client for the server suites (mock and provider): raw sockets, so nothing normalises the path or
 * fixes the framing. Loopback only; every helper is bounded in bytes and time.
 */
import net from 'node:net';

export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

function target(base: string): { host: string; port: number } {
  const url = new URL(base);
  return { host: url.hostname, port: Number(url.port) };
}

function parseAnswer(text: string): RawAnswer | undefined {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const head = text.slice(0, end);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, head: head.toLowerCase(), body: text.slice(end + 4) };
}

/** Sends `request` as written, reads until the server closes or `timeoutMs`; the first answer it got, if any. */
export function sendRaw(base: string, request: string | Buffer, timeoutMs = 3_000): Promise<{ answer: RawAnswer | undefined; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(target(base));
    let text = '';
    let closed = false;
    const timer = setTimeout(() => finish(), timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer: parseAnswer(text), closed });
    };
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const answer = parseAnswer(text);
      const length = Number(/content-length: (\d+)/.exec(answer?.head ?? '')?.[1] ?? -1);
      if (answer !== undefined && length >= 0 && Buffer.byteLength(answer.body, 'latin1') >= length && !/connection: close/.test(answer.head)) finish();
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('error', () => undefined);
    socket.write(request);
  });
}

export interface Upload {
  answer: RawAnswer | undefined;
  /** The server closed the connection within the time allowed. */
  closed: boolean;
  /** Bytes the client got out after the answer arrived (what the server kept reading or buffering). */
  bytesAfterAnswer: number;
  ms: number;
}

/** A chunked upload that never ends: 64 KiB chunks as fast as the server takes them, for at most `maxMs`. */
export function endlessUpload(base: string, head: string, maxMs = 3_000): Promise<Upload> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(target(base));
    const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
    let text = '';
    let answeredAt: number | undefined;
    let written = 0;
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer: parseAnswer(text), closed, bytesAfterAnswer: answeredAt === undefined ? 0 : written - answeredAt, ms: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), maxMs);
    const pump = (): void => {
      while (!done && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.on('data', (data: Buffer) => {
      text += data.toString('latin1');
      if (answeredAt === undefined && parseAnswer(text) !== undefined) answeredAt = written;
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(`${head}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    pump();
  });
}

/** Sends `head` and then one byte every `everyMs` of a body that would take far longer; resolves on close or `maxMs`. */
export function slowUpload(base: string, head: string, everyMs: number, maxMs: number): Promise<{ closed: boolean; ms: number; answer: RawAnswer | undefined }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(target(base));
    let text = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearInterval(drip);
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed, ms: Date.now() - started, answer: parseAnswer(text) });
    };
    const timer = setTimeout(() => finish(false), maxMs);
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write('a');
    }, everyMs);
    socket.on('data', (data: Buffer) => (text += data.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(head);
  });
}

/** Opens `count` connections that send nothing; resolves with how many the server closed within `maxMs`. */
export function silentConnections(base: string, count: number, maxMs: number): Promise<number> {
  return new Promise((resolve) => {
    let closed = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const count = closed;
      for (const socket of sockets) socket.destroy();
      resolve(count);
    };
    const sockets = Array.from({ length: count }, () => {
      const socket = net.connect(target(base));
      // Flowing, so the server's close is seen ('end' waits for a paused socket to be read).
      socket.resume();
      socket.on('close', () => {
        if (++closed === count) finish();
      });
      socket.on('error', () => undefined);
      return socket;
    });
    const timer = setTimeout(finish, maxMs);
  });
}
