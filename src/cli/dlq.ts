import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConcordError } from '../errors.js';
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import type { FileDeadLetterStore } from '../../templates/runtime/dlq-file.js';
import type { CliContext } from './main.js';
import type { Reporter } from './reporter.js';

interface DlqFlags {
  store: string;
  format: 'text' | 'json';
  quiet?: boolean;
  verbose?: boolean;
}

const STORE_HELP = 'dead-letter store directory (the one given to createFileDeadLetterStore)';

/** `concord dlq`: a person works the durable dead-letter queue the generated client writes. */
export function registerDlq(program: Command, context: CliContext): void {
  const dlq = program
    .command('dlq')
    .description('Inspect, replay and purge parked requests in a dead-letter store')
    .addHelpText(
      'after',
      `
Examples:
  $ concord dlq list --store .concord/dlq
  $ concord dlq show 01J9Z... --store .concord/dlq --format json
  $ concord dlq replay --all --store .concord/dlq --header "Authorization: Bearer $TOKEN"
  $ concord dlq purge --all --yes --store .concord/dlq

Replay re-sends each request with its original idempotency key and correlation id, and removes a record only
after the server answered 2xx. Credentials were redacted when the record was parked: pass them with --header.`,
    );

  const withStore = (command: Command): Command =>
    command
      .requiredOption('-s, --store <dir>', STORE_HELP)
      .option('--format <format>', 'text | json', 'text')
      .option('-q, --quiet', 'errors only')
      .option('-v, --verbose', 'stack traces for internal errors');

  withStore(dlq.command('list').description('one line per parked request, oldest first')).action(async (flags: DlqFlags) => {
    const reporter = context.reporter(flags);
    await withOpenStore(flags, reporter, async (store) => {
      const records = await store.list();
      if (flags.format === 'json') return print(JSON.stringify(records.map(summary), null, 2));
      if (records.length === 0) return reporter.info('no parked requests');
      const now = Date.now();
      for (const r of records) {
        const outcome = r.lastStatus === null ? (r.lastError ?? 'error') : `HTTP ${r.lastStatus}`;
        print(`${r.id}  ${age(now - Date.parse(r.createdAt)).padStart(6)}  ${r.operationId}  ${r.method} ${r.url}  ${r.attempts} attempt(s), ${outcome}`);
      }
      reporter.info(reporter.dim(`${records.length} parked; oldest ${age(now - Date.parse(records[0]?.createdAt ?? ''))} ago`));
    });
  });

  withStore(dlq.command('show').argument('<id>', 'record id').description('the whole record (secrets were redacted when it was parked)')).action(
    async (id: string, flags: DlqFlags) => {
      const reporter = context.reporter(flags);
      await withOpenStore(flags, reporter, async (store) => {
        const record = await store.get(id);
        if (!record) throw new ConcordError('USAGE', `No parked request with id ${id} in ${flags.store}.`, { hint: 'List ids with `concord dlq list`.' });
        print(JSON.stringify(record, null, 2));
      });
    },
  );

  withStore(dlq.command('replay').argument('[ids...]', 'record ids (or --all)').description('re-send parked requests; remove each only after a 2xx'))
    .option('--all', 'replay every parked request')
    .option('-H, --header <header...>', 'header to add, e.g. "Authorization: Bearer …" (repeatable)')
    .option('--base-url <url>', 'send to this origin instead of the recorded one (e.g. a recovered replica)')
    .action(async (ids: string[], flags: DlqFlags & { all?: boolean; header?: string[]; baseUrl?: string }) => {
      const reporter = context.reporter(flags);
      if (!flags.all && ids.length === 0) throw new ConcordError('USAGE', 'Name the records to replay, or pass --all.');
      const headers = parseHeaders(flags.header ?? []);
      await withOpenStore(flags, reporter, async (store) => {
        const { replayDeadLetters } = await import('../../templates/runtime/dead-letter.js');
        const wanted = new Set(ids);
        const send = (request: Request): Promise<Response> => fetch(flags.baseUrl ? rebase(request, flags.baseUrl) : request);
        const result = await replayDeadLetters(store, send, { headers, filter: (r) => flags.all === true || wanted.has(r.id) });
        if (flags.format === 'json') print(JSON.stringify(result, null, 2));
        else {
          for (const id of result.delivered) reporter.info(`${reporter.green('✓')} ${id} delivered and removed`);
          for (const f of result.failed) reporter.info(`${reporter.red('✗')} ${f.id} ${f.status === null ? f.error : `HTTP ${f.status}`} (kept)`);
          reporter.info(`${result.delivered.length} delivered, ${result.failed.length} kept, ${store.depth()} parked`);
        }
        const missing = ids.filter((id) => !result.delivered.includes(id) && !result.failed.some((f) => f.id === id));
        if (missing.length > 0) throw new ConcordError('USAGE', `No parked request with id ${missing.join(', ')}.`);
        if (result.failed.length > 0) process.exitCode = 1;
      });
    });

  withStore(dlq.command('purge').argument('[ids...]', 'record ids (or --all)').description('delete parked requests without sending them'))
    .option('--all', 'delete every parked request')
    .option('--yes', 'confirm: purged requests are gone for good')
    .action(async (ids: string[], flags: DlqFlags & { all?: boolean; yes?: boolean }) => {
      const reporter = context.reporter(flags);
      if (!flags.all && ids.length === 0) throw new ConcordError('USAGE', 'Name the records to purge, or pass --all.');
      if (!flags.yes) throw new ConcordError('USAGE', 'Purging deletes parked requests for good; add --yes to confirm.');
      await withOpenStore(flags, reporter, async (store) => {
        const targets = flags.all ? (await store.list()).map((r) => r.id) : ids;
        let removed = 0;
        for (const id of targets) if (await store.remove(id)) removed++;
        if (flags.format === 'json') print(JSON.stringify({ removed }));
        else reporter.info(`purged ${removed} record(s); ${store.depth()} parked`);
      });
    });
}

async function withOpenStore(flags: DlqFlags, reporter: Reporter, run: (store: FileDeadLetterStore) => Promise<void>): Promise<void> {
  if (flags.format !== 'text' && flags.format !== 'json') throw new ConcordError('USAGE', `Unknown --format "${String(flags.format)}"; use text or json.`);
  const { createFileDeadLetterStore, LOG_FILE } = await import('../../templates/runtime/dlq-file.js');
  const dir = path.resolve(flags.store);
  // Opening creates a store; inspecting a mistyped path must not leave an empty one behind and report "no requests".
  if (!existsSync(path.join(dir, LOG_FILE))) {
    const what = !existsSync(dir) ? 'does not exist' : !statSync(dir).isDirectory() ? 'is not a directory' : `has no ${LOG_FILE}`;
    throw new ConcordError('DLQ_STORE_NOT_FOUND', `No dead-letter store at ${flags.store}: the path ${what}.`, { location: { file: dir } });
  }
  let store: FileDeadLetterStore;
  try {
    store = await createFileDeadLetterStore(dir);
  } catch (error) {
    throw new ConcordError('DLQ_STORE', `Cannot open the dead-letter store at ${flags.store}: ${error instanceof Error ? error.message : String(error)}`, { location: { file: flags.store } });
  }
  try {
    for (const torn of store.torn) {
      reporter.info(reporter.yellow(`warning: damaged record at byte ${torn.offset} (${torn.reason})${torn.savedTo ? `, bytes kept in ${torn.savedTo}` : ''}`));
    }
    await run(store);
  } finally {
    await store.close();
  }
}

function summary(r: DeadLetterRecord): Record<string, unknown> {
  return { id: r.id, createdAt: r.createdAt, operationId: r.operationId, method: r.method, url: r.url, attempts: r.attempts, lastStatus: r.lastStatus, lastError: r.lastError, correlationId: r.correlationId, idempotencyKey: r.idempotencyKey };
}

function parseHeaders(list: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of list) {
    const at = line.indexOf(':');
    if (at <= 0) throw new ConcordError('USAGE', `--header "${line}" is not "Name: value".`);
    headers[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return headers;
}

function rebase(request: Request, baseUrl: string): Request {
  const original = new URL(request.url);
  const target = new URL(baseUrl);
  original.protocol = target.protocol;
  original.host = target.host;
  return new Request(original, request);
}

function age(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : s < 86400 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`;
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
