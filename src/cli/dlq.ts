import type { Command } from 'commander';
import { ConcordError } from '../errors.js';
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import type { OperatorStore } from '../dlq/store.js';
import type { CliContext } from './main.js';
import type { Reporter } from './reporter.js';

interface DlqFlags {
  store: string;
  table?: string;
  format: string;
  quiet?: boolean;
  verbose?: boolean;
}

const STORE_HELP = 'a file store folder (given to createFileDeadLetterStore) or a postgres:// URL';

/** `concord dlq`: a person works the dead-letter queue the generated clients write (one folder or a shared table). */
export function registerDlq(program: Command, context: CliContext): void {
  const dlq = program
    .command('dlq')
    .description('Inspect, replay and purge parked requests in a dead-letter store')
    .addHelpText(
      'after',
      `
Examples:
  $ concord dlq list --store .concord/dlq
  $ concord dlq list --store postgres://ops@db/app --table concord_dead_letters
  $ concord dlq show 01J9Z... --store .concord/dlq --format json
  $ concord dlq replay --all --store .concord/dlq --header "Authorization: Bearer $TOKEN"
  $ concord dlq purge --all --yes --store .concord/dlq
  $ concord dlq stats --store postgres://ops@db/app --format prometheus > /var/lib/node_exporter/concord_dlq.prom
  $ concord dlq serve --store postgres://ops@db/app --port 4400 [--allow-writes]

Replay re-sends each request with its original idempotency key and correlation id, and removes a record only
after the server answered 2xx. Each record is leased while it is replayed, so two operators replaying at once send
it once. Credentials were redacted when the record was parked: pass them with --header. A missing store is an
error (exit 2): concord dlq never creates one.`,
    );

  const withStore = (command: Command, formats = 'text | json'): Command =>
    command
      .requiredOption('-s, --store <store>', STORE_HELP)
      .option('--table <name>', 'PostgreSQL table (default concord_dead_letters)')
      .option('--format <format>', formats, 'text')
      .option('-q, --quiet', 'errors only')
      .option('-v, --verbose', 'stack traces for internal errors');

  withStore(dlq.command('list').description('one line per parked request, oldest first')).action(async (flags: DlqFlags) => {
    const reporter = context.reporter(flags);
    await withOpenStore(flags, reporter, ['text', 'json'], async (store) => {
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
      await withOpenStore(flags, reporter, ['text', 'json'], async (store) => {
        const record = await store.get(id);
        if (!record) throw new ConcordError('USAGE', `No parked request with id ${id} in ${store.location}.`, { hint: 'List ids with `concord dlq list`.' });
        print(JSON.stringify(record, null, 2));
      });
    },
  );

  withStore(dlq.command('replay').argument('[ids...]', 'record ids (or --all)').description('re-send parked requests; remove each only after a 2xx'))
    .option('--all', 'replay every parked request')
    .option('-H, --header <header...>', 'header to add, e.g. "Authorization: Bearer …" (repeatable)')
    .option('--base-url <url>', 'send to this origin instead of the recorded one (e.g. a recovered replica)')
    .option('--lease <seconds>', 'how long a record is held against other replayers', '120')
    .action(async (ids: string[], flags: DlqFlags & { all?: boolean; header?: string[]; baseUrl?: string; lease: string }) => {
      const reporter = context.reporter(flags);
      if (!flags.all && ids.length === 0) throw new ConcordError('USAGE', 'Name the records to replay, or pass --all.');
      const headers = parseHeaders(flags.header ?? []);
      const leaseMs = Number(flags.lease) * 1000;
      if (!Number.isFinite(leaseMs) || leaseMs <= 0) throw new ConcordError('USAGE', `--lease "${flags.lease}" is not a positive number of seconds.`);
      await withOpenStore(flags, reporter, ['text', 'json'], async (store) => {
        const { replayLeased } = await import('../dlq/replay.js');
        const send = (request: Request): Promise<Response> => fetch(flags.baseUrl ? rebase(request, flags.baseUrl) : request);
        const result = await replayLeased(store, { ...(flags.all ? {} : { ids }), headers, leaseMs, send });
        if (flags.format === 'json') print(JSON.stringify(result, null, 2));
        else {
          for (const id of result.delivered) reporter.info(`${reporter.green('✓')} ${id} delivered and removed`);
          for (const f of result.failed) reporter.info(`${reporter.red('✗')} ${f.id} ${f.status === null ? f.error : `HTTP ${f.status}`} (kept)`);
          for (const id of result.skipped) reporter.info(`${reporter.yellow('-')} ${id} skipped: being replayed by another operator, or already delivered`);
          const parked = (await store.list()).length;
          reporter.info(`${result.delivered.length} delivered, ${result.failed.length} kept, ${parked} parked`);
        }
        if (result.missing.length > 0) throw new ConcordError('USAGE', `No parked request with id ${result.missing.join(', ')}.`);
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
      await withOpenStore(flags, reporter, ['text', 'json'], async (store) => {
        const targets = flags.all ? (await store.list()).map((r) => r.id) : ids;
        let removed = 0;
        for (const id of targets) if (await store.remove(id)) removed++;
        if (flags.format === 'json') print(JSON.stringify({ removed }));
        else reporter.info(`purged ${removed} record(s); ${(await store.list()).length} parked`);
      });
    });

  withStore(dlq.command('stats').description('depth and oldest parked age, overall and per operation'), 'text | json | prometheus')
    .option('-l, --label <label...>', 'label on every Prometheus sample, e.g. api=orders (repeatable)')
    .action(async (flags: DlqFlags & { label?: string[] }) => {
      const reporter = context.reporter(flags);
      const labels = parseLabels(flags.label ?? []);
      await withOpenStore(flags, reporter, ['text', 'json', 'prometheus'], async (store) => {
        const { deadLetterStats, statsToPrometheus } = await import('../dlq/stats.js');
        const stats = deadLetterStats(await store.list());
        if (flags.format === 'json') return print(JSON.stringify(stats, null, 2));
        if (flags.format === 'prometheus') return void process.stdout.write(statsToPrometheus(stats, labels));
        print(`${stats.depth} parked; oldest ${stats.oldestAgeSeconds === null ? '-' : age(stats.oldestAgeSeconds * 1000)}`);
        for (const [operation, s] of Object.entries(stats.byOperation)) print(`  ${operation}: ${s.depth} parked, oldest ${age(s.oldestAgeSeconds * 1000)}`);
      });
    });

  dlq
    .command('serve')
    .description('a web console: list, show, replay and purge parked requests, and the alert signals')
    .requiredOption('-s, --store <store>', STORE_HELP)
    .option('--table <name>', 'PostgreSQL table (default concord_dead_letters)')
    .option('-p, --port <port>', 'port (0 picks a free one)', '4400')
    .option('--host <host>', 'interface to bind; anything but loopback requires --token', '127.0.0.1')
    .option('--token <token>', 'required as "Authorization: Bearer <token>" or ?token= (or CONCORD_DLQ_TOKEN)')
    .option('--allow-writes', 'enable replay and purge (read-only otherwise)')
    .option('-H, --header <header...>', 'header added to replays, e.g. "Authorization: Bearer …"')
    .option('--metrics-url <url>', "a client's or provider's Prometheus endpoint, read for the validation rejection rate")
    .option('-q, --quiet', 'errors only')
    .option('-v, --verbose', 'stack traces for internal errors')
    .action(async (flags: DlqFlags & { port: string; host: string; token?: string; allowWrites?: boolean; header?: string[]; metricsUrl?: string }) => {
      const reporter = context.reporter(flags);
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConcordError('USAGE', `--port "${flags.port}" is not a port number (0-65535).`);
      const token = flags.token ?? process.env['CONCORD_DLQ_TOKEN'];
      const { isLoopback, serveConsole } = await import('../dlq/console-server.js');
      if (!isLoopback(flags.host) && (token === undefined || token === ''))
        throw new ConcordError('USAGE', `Binding ${flags.host} exposes the console beyond this machine; pass --token (or set CONCORD_DLQ_TOKEN).`);
      const { openOperatorStore } = await import('../dlq/store.js');
      const store = await openOperatorStore(flags.store, flags.table === undefined ? {} : { table: flags.table });
      const running = await serveConsole(store, {
        port,
        host: flags.host,
        allowWrites: flags.allowWrites === true,
        replayHeaders: parseHeaders(flags.header ?? []),
        ...(flags.metricsUrl === undefined ? {} : { metricsUrl: flags.metricsUrl }),
        ...(token === undefined || token === '' ? {} : { token }),
      });
      reporter.info(`dead-letter console for ${store.location} on ${running.url} (${flags.allowWrites ? 'replay and purge enabled' : 'read-only'})`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void running.close().then(resolve, resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await store.close();
    });
}

async function withOpenStore(flags: DlqFlags, reporter: Reporter, formats: readonly string[], run: (store: OperatorStore) => Promise<void>): Promise<void> {
  if (!formats.includes(flags.format)) throw new ConcordError('USAGE', `Unknown --format "${String(flags.format)}"; use ${formats.join(', ')}.`);
  const { openOperatorStore } = await import('../dlq/store.js');
  const store = await openOperatorStore(flags.store, flags.table === undefined ? {} : { table: flags.table });
  try {
    for (const warning of store.warnings) reporter.info(reporter.yellow(`warning: ${warning}`));
    await run(store);
  } finally {
    await store.close();
  }
}

function summary(r: DeadLetterRecord): Record<string, unknown> {
  return { id: r.id, createdAt: r.createdAt, operationId: r.operationId, method: r.method, url: r.url, attempts: r.attempts, lastStatus: r.lastStatus, lastError: r.lastError, reason: r.reason, correlationId: r.correlationId, idempotencyKey: r.idempotencyKey };
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

function parseLabels(list: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    const name = item.slice(0, at);
    if (at <= 0 || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new ConcordError('USAGE', `--label "${item}" is not "name=value" with a Prometheus label name.`);
    labels[name] = item.slice(at + 1);
  }
  return labels;
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
