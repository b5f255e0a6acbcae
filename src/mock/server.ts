import { createMockMetrics } from './metrics.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IrDocument } from '../ir/types.js';
import type { BuildOptions } from '../ir/build/document.js';
import type { IdempotencyStore } from '../../templates/runtime/idempotency.js';
import { DEFAULT_IDEMPOTENCY_TTL_MS } from '../../templates/runtime/idempotency.js';
import { createCorsPolicy, type CorsOptions } from '../../templates/runtime/server-cors.js';
import { internalErrorProblem } from '../../templates/runtime/server-failure.js';
import { applyNodeLimits, nodeServerOptions, rawFromNodeRequest, writeRawResponse, type NodeServerLimits } from '../../templates/runtime/server-node.js';
import type { RawResponse } from '../../templates/runtime/server-types.js';
import type { ServerMetrics } from '../../templates/runtime/server-metrics.js';
import { resolveLimits, type ParseLimits } from '../../templates/runtime/parse-limits.js';
import { ConcordError } from '../errors.js';
import { parseChaos, type ChaosSpec } from './chaos.js';
import { MockEngine, MOCK_EXPOSED_HEADERS, toRaw, type EngineOptions } from './engine.js';
import { problemOut } from './problem-out.js';
import { resolveMockSpec, type MockSpecInput } from './source.js';
import type { ContractOverrides } from '../load/overrides.js';
import type { MockLogEntry, RecordedRequest } from './types.js';
import type { FormatPolicy } from '../../templates/runtime/zod-helpers.js';

export interface MockServerOptions {
  /** Path or URL of the OpenAPI document, or an already loaded spec / built IR / parsed document. */
  spec: MockSpecInput;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Seed for generated data and chaos (default 1): the same seed answers the same requests the same way. */
  seed?: number;
  /** `503=0.1,429=0.05,latency=50-400ms,reset=0.01,retry-after=1`, or a parsed spec. */
  chaos?: string | ChaosSpec;
  /** CRUD over collections inferred from paths. */
  stateful?: boolean;
  /** Validate requests (default true). */
  validate?: boolean;
  /** Where `format` is checked: `outgoing` (default: not on requests received), `strict`, or `off`. */
  formats?: FormatPolicy;
  /** Fixed delay added to every answer. */
  delayMs?: number;
  /** Largest request body accepted (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
  /** How long idempotency keys are remembered (default 24 h). */
  idempotencyTtlMs?: number;
  /** Cap on remembered idempotency keys (default 10,000). */
  maxIdempotencyKeys?: number;
  /** Replace the in-memory idempotency store (e.g. with a shared one). */
  idempotencyStore?: IdempotencyStore;
  /** How many requests `requests` keeps, newest last (default 1,000; 0 keeps none). */
  maxRecordedRequests?: number;
  /** Called once per answered request (the CLI's log line). */
  onRequest?: (entry: MockLogEntry) => void;
  /** Base directory for a relative spec path. */
  cwd?: string;
  /** Idempotency header and keyed operations, as in the config file. */
  buildOptions?: BuildOptions;
  /** Repairs for a contract the user cannot edit (config `overrides`), applied before the contract check. */
  overrides?: ContractOverrides;
  /** JSON depth (64), string length, array length, property count; exceeded -> 422 before any answer is made. */
  limits?: Omit<ParseLimits, 'maxBodyBytes'>;
  /** Header, body and idle timeouts and the connection cap (defaults: 10 s, 30 s, 60 s, 1,024). */
  connectionLimits?: NodeServerLimits;
  /** CORS; off by default. Origins are an explicit list; credentials never go with `*`. */
  cors?: CorsOptions;
  /** Put the mock's own internal error text into its 500 answers (default false). */
  exposeErrors?: boolean;
  /** Stateful mode: most bytes of stored items (default 32 MiB) and most items (default 10,000); oldest evicted first. */
  maxStoredBytes?: number;
  maxStoredItems?: number;
  /** Operational log lines (evictions, internal errors); default: stderr. */
  onLog?: (line: string) => void;
}

export interface MockServer {
  /** `http://host:port`, without the contract's base path (requests with or without it are routed). */
  readonly url: string;
  readonly port: number;
  /** Recorded requests, oldest first, for assertions. */
  readonly requests: RecordedRequest[];
  readonly ir: IrDocument;
  /** Local files the spec was read from (what `--watch` watches). */
  readonly files: string[];
  close(): Promise<void>;
  /** Serve another spec (watch mode); stateful data and idempotency keys start afresh. */
  reload(spec: MockSpecInput): Promise<void>;
  /** Prometheus text: `concord_mock_*` counters per operation (src/mock/metrics.ts). */
  metricsText(labels?: Readonly<Record<string, string>>): string;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

function corsOf(options: MockServerOptions): EngineOptions['cors'] {
  if (options.cors === undefined) return undefined;
  try {
    return createCorsPolicy(options.cors, MOCK_EXPOSED_HEADERS);
  } catch (error) {
    throw new ConcordError('USAGE', `${error instanceof Error ? error.message : String(error)}.`);
  }
}

export function engineOptions(options: MockServerOptions, metrics?: ServerMetrics): EngineOptions {
  const chaos = typeof options.chaos === 'string' ? (options.chaos.trim() === '' ? undefined : parseChaos(options.chaos)) : options.chaos;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const cors = corsOf(options);
  return {
    limits: resolveLimits({ ...options.limits, maxBodyBytes }),
    ...(cors === undefined ? {} : { cors }),
    onLog: options.onLog ?? ((line: string) => process.stderr.write(`${line}\n`)),
    ...(options.maxStoredBytes === undefined ? {} : { maxStoredBytes: options.maxStoredBytes }),
    ...(options.maxStoredItems === undefined ? {} : { maxStoredItems: options.maxStoredItems }),
    seed: (options.seed ?? 1) >>> 0,
    validate: options.validate !== false,
    ...(options.formats ? { formats: options.formats } : {}),
    stateful: options.stateful === true,
    chaos,
    delayMs: Math.max(0, options.delayMs ?? 0),
    idempotencyTtlMs: options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS,
    idempotencyStore: options.idempotencyStore,
    maxIdempotencyKeys: options.maxIdempotencyKeys ?? 10_000,
    maxBodyBytes,
    ...(options.exposeErrors === undefined ? {} : { exposeErrors: options.exposeErrors }),
    ...(metrics === undefined ? {} : { metrics }),
  };
}

function headersOf(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    Object.defineProperty(out, name, { value: Array.isArray(value) ? value.join(', ') : value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  const metrics = createMockMetrics();
  const settings = engineOptions(options, metrics);
  const resolved = await resolveMockSpec(options.spec, { ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.buildOptions ? { buildOptions: options.buildOptions } : {}), ...(options.overrides ? { overrides: options.overrides } : {}) });
  let engine = new MockEngine(resolved.ir, settings);
  let files = resolved.files;
  const requests: RecordedRequest[] = [];
  const keep = Math.max(0, options.maxRecordedRequests ?? 1000);

  const server = http.createServer({ keepAlive: true, ...nodeServerOptions(options.connectionLimits) }, (req, res) => {
    void (async () => {
      const started = performance.now();
      const raw = rawFromNodeRequest(req);
      const method = raw.method;
      let response: RawResponse;
      let record: RecordedRequest | undefined;
      let reset = false;
      try {
        ({ response, record, reset } = await engine.handle(raw, headersOf(req)));
      } catch (error) {
        const correlationId = req.headers['x-correlation-id'] ?? '';
        settings.onLog?.(`concord mock: internal error (correlation id ${String(correlationId)}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        response = toRaw(problemOut(internalErrorProblem(error, options.exposeErrors === true, raw.url.split('?')[0] ?? '/', String(correlationId))));
      }
      if (reset) req.socket.destroy();
      else await writeRawResponse(res, response, method);
      if (record !== undefined && keep > 0) {
        requests.push(record);
        if (requests.length > keep) requests.splice(0, requests.length - keep);
      }
      options.onRequest?.({
        method,
        path: raw.url.split('?')[0] ?? '/',
        status: reset ? 0 : response.status,
        ms: Math.round((performance.now() - started) * 100) / 100,
        correlationId: record?.correlationId ?? '',
        ...(record?.operationId !== undefined ? { operationId: record.operationId } : {}),
        ...(record?.chaos !== undefined ? { chaos: record.chaos } : {}),
        ...(record?.replayed === true ? { replayed: true } : {}),
      });
    })().catch(() => {
      // The socket may already be gone; nothing left to answer.
      if (!res.headersSent) req.socket.destroy();
    });
  });
  applyNodeLimits(server, options.connectionLimits);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    requests,
    get ir() {
      return engine.ir;
    },
    get files() {
      return files;
    },
    metricsText: (labels) => metrics.text(labels),
    async reload(spec) {
      const next = await resolveMockSpec(spec, { ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.buildOptions ? { buildOptions: options.buildOptions } : {}), ...(options.overrides ? { overrides: options.overrides } : {}) });
      engine.close();
      engine = new MockEngine(next.ir, settings);
      files = next.files;
    },
    close() {
      // Pending chaos and Prefer delays end now, so shutdown never waits for them.
      engine.close();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
