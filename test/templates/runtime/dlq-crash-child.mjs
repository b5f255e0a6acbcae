// Child process for the dead-letter crash test: opens the file store (transpiled to JS by the test), then parks
// records forever, printing `ack <id>` after each put resolves. The parent SIGKILLs it mid-stream.
import { pathToFileURL } from 'node:url';

const [modulePath, dir, prefix] = process.argv.slice(2);
const { createFileDeadLetterStore } = await import(pathToFileURL(modulePath).href);
const store = await createFileDeadLetterStore(dir);
process.stdout.write(`ready ${JSON.stringify({ depth: store.depth(), torn: store.torn, compacted: store.compacted })}\n`);

for (let i = 0; ; i++) {
  const id = `${prefix}-${i}`;
  // Every 5th record is larger (64 KiB), so a kill is likely to land inside a write() or an fdatasync.
  const size = i % 5 === 4 ? 64 * 1024 : 200 + ((i * 7919) % 3000);
  const now = new Date().toISOString();
  await store.put({
    id,
    createdAt: now,
    operationId: 'crashTest',
    method: 'POST',
    url: 'http://127.0.0.1/things',
    headers: { 'content-type': 'text/plain' },
    redacted: { headers: [], query: [] },
    body: { encoding: 'utf8', data: 'x'.repeat(size) },
    idempotencyKey: id,
    correlationId: id,
    attempts: 3,
    lastStatus: 503,
    lastError: null,
    reason: 'attempts',
    firstAttemptAt: now,
    lastAttemptAt: now,
  });
  process.stdout.write(`ack ${id}\n`);
}
