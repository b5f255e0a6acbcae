import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConcordError, isConcordError } from '../errors.js';
import type { BuildOptions } from '../ir/build/document.js';
import type { ContractOverrides } from '../load/overrides.js';
import type { CliContext } from './main.js';
import type { Reporter } from './reporter.js';
import type { MockServerOptions } from '../mock/server.js';

interface MockFlags {
  port: string;
  host: string;
  seed: string;
  chaos?: string;
  stateful?: boolean;
  validate: boolean;
  delay?: string;
  watch?: boolean;
  config?: string;
  maxBody?: string;
  idempotencyTtl?: string;
  headersTimeout?: string;
  bodyTimeout?: string;
  idleTimeout?: string;
  maxConnections?: string;
  maxDepth?: string;
  maxStoredBytes?: string;
  cors?: string;
  corsCredentials?: boolean;
  exposeErrors?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

const CONFIG_FILE = /(^|[\\/])concord\.config\.(ts|mjs|js|json|ya?ml)$/i;

export function registerMock(program: Command, context: CliContext): void {
  program
    .command('mock')
    .argument('[spec]', 'OpenAPI document (path or URL) or a concord.config.* file (omit to use concord.config.* here)')
    .description('Serve a mock API from the contract: validation, examples or seeded data, idempotency, stateful CRUD, fault injection')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '4010')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed for generated data and chaos: the same seed replays the same answers', '1')
    .option('--chaos <spec>', "inject faults, e.g. '503=0.1,429=0.05,latency=50-400ms,reset=0.01,retry-after=1'")
    .option('--stateful', 'keep created items: POST creates, GET reads and lists, PUT/PATCH update, DELETE removes')
    .option('--no-validate', 'answer without validating requests')
    .option('--delay <ms>', 'add a fixed delay to every answer')
    .option('--max-body <bytes>', 'largest request body accepted (default 1048576)')
    .option('--idempotency-ttl <duration>', 'how long idempotency keys are remembered, e.g. 24h, 10m, 30s (default 24h)')
    .option('--headers-timeout <duration>', 'time a client has to send its request headers (default 10s)')
    .option('--body-timeout <duration>', 'time a client has to send its whole request, body included (default 30s)')
    .option('--idle-timeout <duration>', 'close a connection silent for this long (default 60s)')
    .option('--max-connections <n>', 'connections open at once (default 1024)')
    .option('--max-depth <n>', 'deepest JSON nesting accepted in a request body (default 64)')
    .option('--max-stored-bytes <bytes>', 'stateful mode: bytes of items kept before the oldest are evicted (default 32 MiB)')
    .option('--cors <origins>', "allow browsers from these origins (comma-separated, or '*'); CORS is off without it")
    .option('--cors-credentials', 'with --cors: allow credentials (never with *)')
    .option('--expose-errors', "put the mock's internal error text into its 500 answers")
    .option('-w, --watch', 'reload when the spec or a file it $refs changes')
    .option('-c, --config <file>', 'config file to take the spec (and idempotency settings) from')
    .option('-q, --quiet', 'no per-request log lines')
    .option('-v, --verbose', 'stack traces on errors')
    .addHelpText(
      'after',
      `
Every request is logged as one JSON line: {"method","path","status","ms","correlationId",...}.
Per request: Prefer: code=404 | example=<name> | dynamic=true | chaos="503=0.5"; Accept selects the media type.

Examples:
  $ concord mock openapi.yaml --port 4010
  $ concord mock openapi.yaml --port 0 --stateful --seed 7
  $ concord mock openapi.yaml --chaos '503=0.1,latency=50-400ms'
  $ curl -H 'Prefer: code=404' http://127.0.0.1:4010/pets/1`,
    )
    .action(async (spec: string | undefined, flags: MockFlags) => {
      const reporter = context.reporter(flags);
      await runMock(spec, flags, reporter);
    });
}

function integer(value: string | undefined, name: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new ConcordError('USAGE', `--${name} must be a whole number of at least ${min}, got "${value}".`);
  return parsed;
}

function durationMs(value: string | undefined, name = 'idempotency-ttl'): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) throw new ConcordError('USAGE', `--${name}: expected a duration such as 24h, 10m or 30s, got "${value}".`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 's'] ?? 1000;
  return Number(match[1]) * unit;
}

interface MockSource {
  spec: string;
  buildOptions: BuildOptions;
  overrides?: ContractOverrides;
}

async function resolveSpec(spec: string | undefined, flags: MockFlags): Promise<MockSource> {
  const configFile = flags.config ?? (spec !== undefined && CONFIG_FILE.test(spec) ? spec : undefined);
  if (spec !== undefined && configFile === undefined) return { spec, buildOptions: {} };
  const { findConfig, loadConfig } = await import('../config/load.js');
  const file = configFile ? path.resolve(configFile) : findConfig(process.cwd());
  if (!file) throw new ConcordError('CONFIG_NOT_FOUND', 'No spec given and no concord.config.{ts,mjs,json,yaml} in this directory.', { hint: 'Example: concord mock openapi.yaml --port 4010' });
  const [first] = await loadConfig(file);
  if (!first) throw new ConcordError('CONFIG_INVALID', `${file} names no spec.`);
  const buildOptions: BuildOptions = {};
  if (first.idempotency?.header) buildOptions.idempotencyHeader = first.idempotency.header;
  if (first.idempotency?.keyed) buildOptions.keyedOperations = first.idempotency.keyed;
  return { spec: first.spec, buildOptions, ...(first.overrides ? { overrides: first.overrides } : {}) };
}

/** Listening failures are the environment's, not concord's: say which port and what to do instead. */
async function listenOrExplain<T>(port: number, host: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'EADDRINUSE') throw new ConcordError('PORT_UNAVAILABLE', `Port ${port} on ${host} is already in use.`, { cause: error });
    if (code === 'EACCES') throw new ConcordError('PORT_UNAVAILABLE', `Not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges).`, { cause: error });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ConcordError('USAGE', `--host ${host} is not an address of this machine.`, { hint: 'Use --host 127.0.0.1 (default) or 0.0.0.0.', cause: error });
    throw error;
  }
}

/** Connection limits, parse limits and CORS from the flags; only what was given, so the defaults stay in one place. */
function hardening(flags: MockFlags): Partial<MockServerOptions> {
  const connectionLimits: NonNullable<MockServerOptions['connectionLimits']> = {};
  const headers = durationMs(flags.headersTimeout, 'headers-timeout');
  const body = durationMs(flags.bodyTimeout, 'body-timeout');
  const idle = durationMs(flags.idleTimeout, 'idle-timeout');
  if (headers !== undefined) connectionLimits.headersTimeoutMs = Math.max(1, Math.round(headers));
  if (body !== undefined) connectionLimits.bodyTimeoutMs = Math.max(1, Math.round(body));
  if (idle !== undefined) connectionLimits.idleTimeoutMs = Math.max(1, Math.round(idle));
  if (flags.maxConnections !== undefined) connectionLimits.maxConnections = integer(flags.maxConnections, 'max-connections', 1, 1024);
  if (flags.corsCredentials === true && flags.cors === undefined) throw new ConcordError('USAGE', '--cors-credentials needs --cors <origins>.');
  const origins = flags.cors?.trim() === '*' ? '*' : flags.cors?.split(',').map((o) => o.trim()).filter((o) => o !== '');
  return {
    connectionLimits,
    ...(flags.maxDepth !== undefined ? { limits: { maxDepth: integer(flags.maxDepth, 'max-depth', 1, 64) } } : {}),
    ...(flags.maxStoredBytes !== undefined ? { maxStoredBytes: integer(flags.maxStoredBytes, 'max-stored-bytes', 1, 32 * 1024 * 1024) } : {}),
    ...(origins !== undefined ? { cors: { origins, credentials: flags.corsCredentials === true } } : {}),
    exposeErrors: flags.exposeErrors === true,
  };
}

async function runMock(specArg: string | undefined, flags: MockFlags, reporter: Reporter): Promise<void> {
  const { spec, buildOptions, overrides } = await resolveSpec(specArg, flags);
  const port = integer(flags.port, 'port', 0, 4010);
  if (port > 65_535) throw new ConcordError('USAGE', `--port must be between 0 and 65535, got ${port}.`, { hint: 'Use --port 4010, or --port 0 for any free port.' });
  const { startMockServer } = await import('../mock/index.js');
  const ttl = durationMs(flags.idempotencyTtl);
  const quiet = flags.quiet === true;
  const mock = await listenOrExplain(port, flags.host, () => startMockServer({
    spec,
    port,
    host: flags.host,
    seed: integer(flags.seed, 'seed', 0, 1),
    ...(flags.chaos !== undefined ? { chaos: flags.chaos } : {}),
    stateful: flags.stateful === true,
    validate: flags.validate,
    delayMs: integer(flags.delay, 'delay', 0, 0),
    maxBodyBytes: integer(flags.maxBody, 'max-body', 1, 1024 * 1024),
    ...(ttl !== undefined ? { idempotencyTtlMs: ttl } : {}),
    maxRecordedRequests: 0,
    buildOptions,
    ...(overrides ? { overrides } : {}),
    ...hardening(flags),
    ...(quiet ? {} : { onRequest: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`) }),
  }));
  // The ready line is for scripts as much as for people: always printed, always this shape.
  process.stdout.write(`concord mock listening on ${mock.url}\n`);
  const ir = mock.ir;
  reporter.info(reporter.dim(`${ir.title} v${ir.version}: ${ir.operations.length} operations${flags.stateful ? ', stateful' : ''}${flags.chaos ? `, chaos ${flags.chaos}` : ''} (Ctrl-C to stop)`));

  const watchers = new Map<string, FSWatcher>();
  if (flags.watch === true) {
    let timer: NodeJS.Timeout | undefined;
    const reload = async (): Promise<void> => {
      try {
        await mock.reload(spec);
        reporter.info(reporter.dim(`reloaded ${spec}`));
        watchAll(mock.files);
      } catch (error) {
        if (isConcordError(error)) reporter.error(error);
        else reporter.internal(error);
        reporter.info(reporter.dim('  still serving the last good spec; waiting for the next change…'));
      }
    };
    const watchAll = (files: readonly string[]): void => {
      for (const dir of new Set(files.map((f) => path.dirname(f)))) {
        if (watchers.has(dir)) continue;
        watchers.set(
          dir,
          watch(dir, (_event, name) => {
            if (name === null || !/\.(ya?ml|json)$/i.test(name.toString())) return;
            clearTimeout(timer);
            timer = setTimeout(() => void reload(), 150);
          }),
        );
      }
    };
    watchAll(mock.files);
  }

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      for (const watcher of watchers.values()) watcher.close();
      void mock.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
