import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeadLetterRecord } from '../../../templates/runtime/dead-letter.js';
import { crc32, decodeLog, encodeEntry } from '../../../templates/runtime/dlq-codec.js';
import { createFileDeadLetterStore, LOG_FILE, type FileDeadLetterStore, type TornSegment } from '../../../templates/runtime/dlq-file.js';

const dirs: string[] = [];
const open: FileDeadLetterStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'concord-dlq-file-'));
  dirs.push(dir);
  return dir;
}
async function openStore(dir: string, onWarning?: (message: string, segment: TornSegment) => void): Promise<FileDeadLetterStore> {
  const store = await createFileDeadLetterStore(dir, onWarning === undefined ? {} : { onWarning });
  open.push(store);
  return store;
}
async function closeStore(store: FileDeadLetterStore): Promise<void> {
  open.splice(open.indexOf(store), 1);
  await store.close();
}

function record(id: string, createdAt = '2030-01-01T00:00:00.000Z', body = `{"id":"${id}"}`): DeadLetterRecord {
  return {
    id,
    createdAt,
    operationId: 'createThing',
    method: 'POST',
    url: 'https://api.example.test/things',
    headers: { 'content-type': 'application/json', authorization: '[REDACTED]' },
    redacted: { headers: ['authorization'], query: [] },
    body: { encoding: 'utf8', data: body },
    idempotencyKey: `key-${id}`,
    correlationId: `corr-${id}`,
    attempts: 3,
    lastStatus: 503,
    lastError: null,
    reason: 'attempts',
    firstAttemptAt: createdAt,
    lastAttemptAt: createdAt,
  };
}

const logLines = (dir: string): string[] => readFileSync(join(dir, LOG_FILE), 'utf8').split('\n').filter((l) => l !== '');

describe('codec', () => {
  it('computes the standard CRC-32 and round-trips entries', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
    const bytes = new Uint8Array([...encodeEntry({ op: 'put', record: record('a') }), ...encodeEntry({ op: 'del', id: 'a' })]);
    const decoded = decodeLog(bytes, 100);
    expect(decoded.entries.map((e) => [e.offset, e.entry.op])).toEqual([
      [100, 'put'],
      [100 + encodeEntry({ op: 'put', record: record('a') }).length, 'del'],
    ]);
    expect(decoded).toMatchObject({ corrupt: [], tail: null, consumed: 100 + bytes.length });
  });
});

describe('file dead-letter store', () => {
  it('keeps records across reopen and compacts removals away on open', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (const id of ['a', 'b', 'c']) await store.put(record(id, `2030-01-01T00:00:0${id.charCodeAt(0) - 96}.000Z`));
    expect(await store.remove('b')).toBe(true);
    expect(await store.remove('b')).toBe(false);
    expect(store.depth()).toBe(2);
    expect(store.oldest()?.id).toBe('a');
    expect(await store.get('c')).toEqual(record('c', '2030-01-01T00:00:03.000Z'));
    expect(logLines(dir)).toHaveLength(4);
    await closeStore(store);

    const reopened = await openStore(dir);
    expect(reopened.compacted).toBe(true);
    expect((await reopened.list()).map((r) => r.id)).toEqual(['a', 'c']);
    expect(logLines(dir)).toHaveLength(2);
    expect(readdirSync(dir).filter((n) => n.startsWith('open-'))).toHaveLength(1);
  });

  it('reports a torn tail with its byte offset, preserves the bytes, and keeps every complete record', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (const id of ['a', 'b', 'c']) await store.put(record(id));
    await closeStore(store);
    const path = join(dir, LOG_FILE);
    const full = readFileSync(path);
    const lastLineStart = full.lastIndexOf(0x0a, full.length - 2) + 1;
    truncateSync(path, full.length - 25); // a crash in the middle of writing "c"

    const warnings: string[] = [];
    const reopened = await openStore(dir, (message) => warnings.push(message));
    expect(reopened.torn).toHaveLength(1);
    const [torn] = reopened.torn;
    expect(torn).toMatchObject({ reason: 'incomplete-tail', offset: lastLineStart, length: full.length - 25 - lastLineStart });
    expect(readFileSync(torn!.savedTo ?? '')).toEqual(full.subarray(lastLineStart, full.length - 25));
    expect(warnings[0]).toContain(`offset ${lastLineStart}`);
    expect((await reopened.list()).map((r) => r.id)).toEqual(['a', 'b']);

    await reopened.put(record('d'));
    await closeStore(reopened);
    const again = await openStore(dir);
    expect(again.torn).toEqual([]);
    expect((await again.list()).map((r) => r.id)).toEqual(['a', 'b', 'd']);
  });

  it('reports a corrupt line in the middle and still reads the lines after it', async () => {
    const dir = tempDir();
    const store = await openStore(dir);
    for (const id of ['a', 'b', 'c']) await store.put(record(id));
    await closeStore(store);
    const path = join(dir, LOG_FILE);
    const bytes = readFileSync(path);
    const second = bytes.indexOf(0x0a) + 1;
    bytes[second + 40] = bytes[second + 40] === 0x41 ? 0x42 : 0x41; // one flipped byte inside record "b"
    writeFileSync(path, bytes);

    const reopened = await openStore(dir);
    expect(reopened.torn).toMatchObject([{ reason: 'corrupt', offset: second }]);
    expect((await reopened.list()).map((r) => r.id)).toEqual(['a', 'c']);
  });

  it('lets two openers share the log: each sees the other, and neither compacts under the other', async () => {
    const dir = tempDir();
    const first = await openStore(dir);
    await first.put(record('a'));
    await first.put(record('gone'));
    await first.remove('gone');
    const second = await openStore(dir);
    expect(second.compacted).toBe(false);
    expect((await second.list()).map((r) => r.id)).toEqual(['a']);
    await second.put(record('b'));
    expect((await first.list()).map((r) => r.id)).toEqual(['a', 'b']);
    expect(await first.remove('b')).toBe(true);
    expect(second.depth()).toBe(1);
    await closeStore(second);
    await closeStore(first);
    const third = await openStore(dir);
    expect(third.compacted).toBe(true);
    expect(logLines(dir)).toHaveLength(1);
  });

  it('starts a fresh line after an unfinished one it may not compact, so the next record survives', async () => {
    const dir = tempDir();
    const first = await openStore(dir);
    await first.put(record('a'));
    appendFileSync(join(dir, LOG_FILE), '0badc0de {"v":1,"op":"put","rec'); // a writer that died mid-line
    const second = await openStore(dir);
    expect(second.torn).toEqual([]); // another opener is alive: the bytes may still be in flight
    await second.put(record('b'));
    expect((await first.list()).map((r) => r.id)).toEqual(['a', 'b']);
    expect(first.torn).toMatchObject([{ reason: 'corrupt' }]);
  });

  it('clears the marker of a process that died with the store open', async () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const store = await openStore(dir);
    await store.put(record('a'));
    await store.remove('a');
    await closeStore(store);
    writeFileSync(join(dir, `open-${dead.stdout}-abc123`), dead.stdout);
    const reopened = await openStore(dir);
    expect(reopened.compacted).toBe(true);
    expect(existsSync(join(dir, `open-${dead.stdout}-abc123`))).toBe(false);
  });

  it('refuses to open while a live process holds the open lock', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'open.lock'), String(process.pid));
    await expect(createFileDeadLetterStore(dir, { lockTimeoutMs: 30 })).rejects.toMatchObject({ code: 'DLQ_STORE', name: 'DeadLetterStoreError' });
  });
});
