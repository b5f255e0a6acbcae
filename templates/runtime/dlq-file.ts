/**
 * Node only: the durable dead-letter store on local disk. A directory holds an append-only log
 * (`dead-letters.log`, format in `dlq-codec.ts`); a put is acknowledged only after its line is written with a
 * single append and fdatasync'ed, so an acknowledged record survives a crash of the process or the machine.
 *
 * Several processes may have the store open (the application and `concord dlq`): appends are O_APPEND and each
 * process follows the log's growth. The log is compacted (tombstones and removed records dropped, torn bytes
 * moved to `torn-<time>-<offset>.bin`) only on open, and only when no other live process has it open: each open
 * store leaves an `open-<pid>-<id>` marker, checked under a short-lived `open.lock`.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { DeadLetterRecord, DeadLetterStore } from './dead-letter.js';
import { parseDeadLetterRecord } from './dead-letter-replay.js';
import { decodeLog, encodeEntry, type DecodedLog, type LogEntry, type Segment } from './dlq-codec.js';
import { randomNonZeroHex } from './encoding.js';

export const LOG_FILE = 'dead-letters.log';
const LOCK_FILE = 'open.lock';
const MARKER_PREFIX = 'open-';

/** Code `DLQ_STORE`, the same code the concord CLI reports. */
export class DeadLetterStoreError extends Error {
  override readonly name = 'DeadLetterStoreError';
  readonly code = 'DLQ_STORE';
}

export interface TornSegment extends Segment {
  /** `incomplete-tail`: the last line lacks its newline (a write cut short); `corrupt`: a complete line failed its CRC. */
  reason: 'incomplete-tail' | 'corrupt';
  /** Where compaction preserved the bytes; null while they are still in the log. */
  savedTo: string | null;
}

export interface FileDeadLetterStore extends DeadLetterStore {
  readonly dir: string;
  readonly path: string;
  /** Damaged segments found so far, with byte offsets in the log as it was when they were found. */
  readonly torn: readonly TornSegment[];
  /** Whether this open rewrote the log. */
  readonly compacted: boolean;
  close(): Promise<void>;
}

export interface FileStoreOptions {
  /** Called once per damaged segment found; default: none (read `torn`). */
  onWarning?: (message: string, segment: TornSegment) => void;
  /** How long to wait for another process that is opening the store (default 5 s). */
  lockTimeoutMs?: number;
  /** Compact on open when alone (default true). */
  compact?: boolean;
}

const errorCode = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  }
}

function writeFileDurably(path: string, bytes: Uint8Array): void {
  const fd = fs.openSync(path, 'w');
  try {
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buffer = Buffer.alloc(to - from);
  let done = 0;
  while (done < buffer.length) {
    const n = fs.readSync(fd, buffer, done, buffer.length - done, from + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

async function acquireLock(dir: string, timeoutMs: number): Promise<() => void> {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      fs.writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(path, { force: true });
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw new DeadLetterStoreError(`cannot lock ${path}: ${String(error)}`);
    }
    let holder = Number.NaN;
    let age = 0;
    try {
      holder = Number(fs.readFileSync(path, 'utf8'));
      age = Date.now() - fs.statSync(path).mtimeMs;
    } catch {
      continue;
    }
    // A dead holder crashed while opening; an empty lock older than a second was never finished.
    if ((Number.isInteger(holder) && holder > 0 && !pidAlive(holder)) || (!(holder > 0) && age > 1000)) {
      fs.rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new DeadLetterStoreError(`${dir} is being opened by process ${holder}; gave up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Removes markers of dead processes; true when another live process has the store open. */
function othersOpen(dir: string, ownMarker: string): boolean {
  let others = false;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(MARKER_PREFIX) || name === ownMarker) continue;
    const pid = Number(name.slice(MARKER_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) others = true;
    else fs.rmSync(join(dir, name), { force: true });
  }
  return others;
}

export async function createFileDeadLetterStore(
  dir: string,
  options: FileStoreOptions = {},
): Promise<FileDeadLetterStore> {
  fs.mkdirSync(dir, { recursive: true });
  const path = join(dir, LOG_FILE);
  const marker = `${MARKER_PREFIX}${process.pid}-${randomNonZeroHex(6)}`;
  const index = new Map<string, DeadLetterRecord>();
  const torn: TornSegment[] = [];
  let fd = -1;
  let readOffset = 0;
  let compacted = false;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  const report = (segment: TornSegment): void => {
    torn.push(segment);
    const what = segment.reason === 'corrupt' ? 'a corrupt line' : 'a torn tail (an unfinished write)';
    options.onWarning?.(
      `dead-letter log ${path}: ${what} of ${segment.length} bytes at offset ${segment.offset}${segment.savedTo === null ? '' : `, saved to ${segment.savedTo}`}`,
      segment,
    );
  };
  const apply = (decoded: DecodedLog): void => {
    for (const { entry } of decoded.entries) {
      if (entry.op === 'put') index.set(entry.record.id, entry.record);
      else index.delete(entry.id);
    }
  };

  const release = await acquireLock(dir, options.lockTimeoutMs ?? 5000);
  try {
    fs.writeFileSync(join(dir, marker), String(process.pid));
    const alone = !othersOpen(dir, marker);
    const existed = fs.existsSync(path);
    fd = fs.openSync(path, 'a+');
    if (!existed) fsyncDir(dir);
    const bytes = readRange(fd, 0, fs.fstatSync(fd).size);
    const decoded = decodeLog(bytes, 0);
    apply(decoded);
    const damaged: TornSegment[] = decoded.corrupt.map((s) => ({ ...s, reason: 'corrupt', savedTo: null }));
    // With another writer alive, bytes after the last newline may be a line still being written.
    if (decoded.tail !== null && alone) damaged.push({ ...decoded.tail, reason: 'incomplete-tail', savedTo: null });
    const needsRewrite = damaged.length > 0 || decoded.entries.length !== index.size;
    if (alone && options.compact !== false && needsRewrite) {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      for (const segment of damaged) {
        const file = join(dir, `torn-${stamp}-${segment.offset}.bin`);
        writeFileDurably(file, bytes.subarray(segment.offset, segment.offset + segment.length));
        segment.savedTo = file;
      }
      const tmp = join(dir, `${LOG_FILE}.${randomNonZeroHex(6)}.tmp`);
      writeFileDurably(tmp, Buffer.concat([...index.values()].map((record) => encodeEntry({ op: 'put', record }))));
      fs.renameSync(tmp, path);
      fsyncDir(dir);
      fs.closeSync(fd);
      fd = fs.openSync(path, 'a+');
      compacted = true;
      readOffset = fs.fstatSync(fd).size;
    } else {
      readOffset = decoded.consumed;
    }
    if (alone)
      for (const name of fs.readdirSync(dir))
        if (name.startsWith(`${LOG_FILE}.`) && name.endsWith('.tmp')) fs.rmSync(join(dir, name), { force: true });
    for (const segment of damaged) report(segment);
  } catch (error) {
    if (fd !== -1) fs.closeSync(fd);
    fs.rmSync(join(dir, marker), { force: true });
    throw error instanceof DeadLetterStoreError
      ? error
      : new DeadLetterStoreError(`cannot open ${path}: ${String(error)}`);
  } finally {
    release();
  }

  /** Reads what this or another process appended since the last look. */
  const refresh = (): void => {
    if (closed) throw new DeadLetterStoreError(`${path} is closed`);
    const size = fs.fstatSync(fd).size;
    if (size <= readOffset) return;
    const decoded = decodeLog(readRange(fd, readOffset, size), readOffset);
    apply(decoded);
    for (const segment of decoded.corrupt) report({ ...segment, reason: 'corrupt', savedTo: null });
    readOffset = decoded.consumed;
  };

  const append = (entry: LogEntry): Promise<void> => {
    const run = queue.then(async () => {
      if (closed) throw new DeadLetterStoreError(`${path} is closed`);
      refresh();
      const line = encodeEntry(entry);
      const before = fs.fstatSync(fd).size;
      // After an unfinished line (left by a crash we could not compact away), start on a fresh line.
      const fresh = before > 0 && readRange(fd, before - 1, before)[0] !== 0x0a;
      const bytes = fresh ? Buffer.concat([Buffer.from('\n'), line]) : line;
      const written = await new Promise<number>((resolve, reject) =>
        fs.write(fd, bytes, 0, bytes.length, null, (e, n) => (e ? reject(e) : resolve(n))),
      );
      if (written !== bytes.length)
        throw new DeadLetterStoreError(
          `short write to ${path} (${written} of ${bytes.length} bytes); the record was not stored`,
        );
      await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())));
      if (readOffset === before && fs.fstatSync(fd).size === before + bytes.length) {
        // Nobody else appended in between: our line is the only news, no need to read it back.
        const own: LogEntry = entry.op === 'put' ? { op: 'put', record: structuredClone(entry.record) } : entry;
        apply({ entries: [{ offset: before, entry: own }], corrupt: [], consumed: before + bytes.length, tail: null });
        readOffset = before + bytes.length;
      } else {
        refresh();
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  const copy = (record: DeadLetterRecord): DeadLetterRecord => structuredClone(record);

  return {
    dir,
    path,
    torn,
    compacted,
    async put(record) {
      // What could not be read back must not be acknowledged.
      if (parseDeadLetterRecord(record) === undefined)
        throw new DeadLetterStoreError(`not a well-formed dead-letter record: ${String(record.id)}`);
      return append({ op: 'put', record });
    },
    async list() {
      refresh();
      return [...index.values()].map(copy);
    },
    async get(id) {
      refresh();
      const found = index.get(id);
      return found === undefined ? undefined : copy(found);
    },
    async remove(id) {
      refresh();
      if (!index.has(id)) return false;
      await append({ op: 'del', id });
      return true;
    },
    depth() {
      refresh();
      return index.size;
    },
    oldest() {
      refresh();
      let oldest: DeadLetterRecord | undefined;
      for (const record of index.values())
        if (oldest === undefined || record.createdAt < oldest.createdAt) oldest = record;
      return oldest === undefined ? undefined : copy(oldest);
    },
    async close() {
      if (closed) return;
      await queue;
      closed = true;
      fs.closeSync(fd);
      fs.rmSync(join(dir, marker), { force: true });
    },
  };
}
