/**
 * The dead-letter log format: one entry per line, `<crc32 hex> <json>\n`, where the CRC covers the JSON bytes.
 * Entries are puts (a whole record) or tombstones (an id). JSON never contains a raw newline, so lines are
 * self-delimiting: a torn write leaves a line without its newline (or with a bad CRC), and every line after it
 * still reads. Pure functions, no I/O.
 */
import type { DeadLetterRecord } from './dead-letter.js';
import { parseDeadLetterRecord } from './dead-letter-replay.js';
import { utf8Encoder } from './encoding.js';

export type LogEntry = { op: 'put'; record: DeadLetterRecord } | { op: 'del'; id: string };

const CRC_TABLE = ((): Uint32Array => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as in zip and PNG). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const NEWLINE = 0x0a;

export function encodeEntry(entry: LogEntry): Uint8Array {
  const json = utf8Encoder.encode(JSON.stringify({ v: 1, ...entry }));
  const prefix = utf8Encoder.encode(`${crc32(json).toString(16).padStart(8, '0')} `);
  const line = new Uint8Array(prefix.length + json.length + 1);
  line.set(prefix, 0);
  line.set(json, prefix.length);
  line[line.length - 1] = NEWLINE;
  return line;
}

function decodeLine(line: Uint8Array): LogEntry | undefined {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let crcText: string;
  let json: string;
  try {
    crcText = decoder.decode(line.subarray(0, 8));
    json = decoder.decode(line.subarray(9));
  } catch {
    return undefined;
  }
  if (!/^[0-9a-f]{8}$/.test(crcText) || Number.parseInt(crcText, 16) !== crc32(line.subarray(9))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Reflect.get(value, 'v') !== 1) return undefined;
  const op: unknown = Reflect.get(value, 'op');
  if (op === 'del') {
    const id: unknown = Reflect.get(value, 'id');
    return typeof id === 'string' ? { op, id } : undefined;
  }
  if (op === 'put') {
    const record = parseDeadLetterRecord(Reflect.get(value, 'record'));
    return record === undefined ? undefined : { op, record };
  }
  return undefined;
}

export interface Segment {
  /** Absolute byte offset in the log. */
  offset: number;
  length: number;
}

export interface DecodedLog {
  entries: Array<{ offset: number; entry: LogEntry }>;
  /** Complete lines that fail the CRC or do not parse: torn by a crash in the middle of the file, or damaged. */
  corrupt: Segment[];
  /** Absolute offset just past the last newline: where the next read continues. */
  consumed: number;
  /** Bytes after the last newline: a torn tail, or (with several writers) a line still being written. */
  tail: Segment | null;
}

/** Decodes `bytes`, which start at absolute offset `base` of the log. */
export function decodeLog(bytes: Uint8Array, base: number): DecodedLog {
  const out: DecodedLog = { entries: [], corrupt: [], consumed: base, tail: null };
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) break;
    if (end > start) {
      const entry = decodeLine(bytes.subarray(start, end));
      if (entry === undefined) out.corrupt.push({ offset: base + start, length: end - start });
      else out.entries.push({ offset: base + start, entry });
    }
    start = end + 1;
  }
  out.consumed = base + start;
  if (start < bytes.length) out.tail = { offset: base + start, length: bytes.length - start };
  return out;
}
