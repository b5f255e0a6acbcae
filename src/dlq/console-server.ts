/**
 * `concord dlq serve`: a small HTTP server for one self-contained page (no external assets) and a JSON API over an
 * operator store. Read-only unless writes are allowed; a token guards it when it is bound beyond loopback. Writes
 * need a custom header (so a cross-site form cannot send one) and go through the same leased replay as the CLI.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConcordError } from '../errors.js';
import type { DeadLetterRecord } from '../../templates/runtime/dead-letter.js';
import { consolePage } from './console-page.js';
import { replayLeased } from './replay.js';
import { deadLetterStats } from './stats.js';
import { ALERT_DEFAULTS, type AlertThresholds } from './thresholds.js';
import type { OperatorStore } from './store.js';

export interface ConsoleOptions {
  port: number;
  host: string;
  allowWrites: boolean;
  token?: string;
  replayHeaders?: Record<string, string>;
  thresholds?: Partial<AlertThresholds>;
  /** A Prometheus endpoint of the client or provider, read for the validation rejection rate. */
  metricsUrl?: string;
  send?: (request: Request) => Promise<Response>;
}

export interface RunningConsole {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith('127.');
const WRITE_HEADER = 'x-concord-console';
const SENSITIVE = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)$/i;

export async function serveConsole(store: OperatorStore, options: ConsoleOptions): Promise<RunningConsole> {
  const thresholds: AlertThresholds = { ...ALERT_DEFAULTS, ...options.thresholds };
  const server = createServer((req, res) => {
    handle(store, options, thresholds, req, res).catch((error: unknown) => {
      json(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConcordError('USAGE', `Cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}.`, { hint: 'Pick another --port.' })),
    );
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function authorized(req: IncomingMessage, url: URL, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? url.searchParams.get('token') ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function handle(
  store: OperatorStore,
  options: ConsoleOptions,
  thresholds: AlertThresholds,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://console.invalid');
  if (!authorized(req, url, options.token)) return json(res, 401, { error: 'token required' });
  const method = req.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/') {
    const nonce = randomBytes(16).toString('base64');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(consolePage({ nonce, allowWrites: options.allowWrites, location: store.location, thresholds }));
    return;
  }
  if (method === 'GET' && url.pathname === '/api/records') {
    const records = await store.list();
    const now = Date.now();
    return json(res, 200, {
      location: store.location,
      allowWrites: options.allowWrites,
      records: records.map((r) => ({ ...summary(r), ageSeconds: Math.max(0, (now - Date.parse(r.createdAt)) / 1000) })),
      signals: await signals(records, thresholds, options.metricsUrl),
    });
  }
  const match = /^\/api\/records\/([^/]+)(?:\/(replay|purge))?$/.exec(url.pathname);
  const id = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
  if (id === undefined) return json(res, 404, { error: 'not found' });
  if (method === 'GET' && match?.[2] === undefined) {
    const record = await store.get(id);
    return record === undefined ? json(res, 404, { error: `no parked request ${id}` }) : json(res, 200, redactRecord(record));
  }
  if (method !== 'POST' || match?.[2] === undefined) return json(res, 405, { error: 'method not allowed' });
  if (!options.allowWrites) return json(res, 403, { error: 'read-only console: start it with --allow-writes' });
  if (req.headers[WRITE_HEADER] !== '1') return json(res, 403, { error: `missing ${WRITE_HEADER} header` });
  if (match[2] === 'purge') return json(res, 200, { removed: await store.remove(id) });
  const result = await replayLeased(store, {
    ids: [id],
    headers: options.replayHeaders ?? {},
    send: options.send ?? ((request) => fetch(request)),
  });
  return json(res, result.missing.length > 0 ? 404 : 200, result);
}

function summary(r: DeadLetterRecord): Record<string, unknown> {
  return {
    id: r.id,
    createdAt: r.createdAt,
    operationId: r.operationId,
    method: r.method,
    url: r.url,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    reason: r.reason,
  };
}

/** Records were redacted when parked; credential-looking headers are masked again in case a store predates that. */
export function redactRecord(record: DeadLetterRecord): DeadLetterRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) headers[name] = SENSITIVE.test(name) ? '[REDACTED]' : value;
  return { ...record, headers };
}

async function signals(records: readonly DeadLetterRecord[], thresholds: AlertThresholds, metricsUrl: string | undefined) {
  const stats = deadLetterStats(records);
  const rate = metricsUrl === undefined ? null : await rejectionRate(metricsUrl);
  return {
    depth: { value: stats.depth, threshold: thresholds.maxDepth, firing: stats.depth > thresholds.maxDepth },
    oldestAgeSeconds: {
      value: stats.oldestAgeSeconds ?? 0,
      threshold: thresholds.maxOldestAgeSeconds,
      firing: (stats.oldestAgeSeconds ?? 0) > thresholds.maxOldestAgeSeconds,
    },
    validationRejectionRate: {
      value: rate,
      threshold: thresholds.maxRejectionRatio,
      firing: rate !== null && rate > thresholds.maxRejectionRatio,
    },
  };
}

/** Rejections over validations, summed over every series of a scrape (since the process started). */
async function rejectionRate(metricsUrl: string): Promise<number | null> {
  try {
    const text = await (await fetch(metricsUrl)).text();
    let rejected = 0;
    let validated = 0;
    for (const line of text.split('\n')) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (/^concord_\w+_validation_rejections_total[{ ]/.test(line)) rejected += value;
      else if (/^concord_\w+_validations_total[{ ]/.test(line)) validated += value;
    }
    return validated === 0 ? 0 : rejected / validated;
  } catch {
    return null;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}
