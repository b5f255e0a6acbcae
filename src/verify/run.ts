import { randomBytes } from 'node:crypto';
import { ConcordError } from '../errors.js';
import { CONCORD_VERSION } from '../emit/header.js';
import type { IrOperation } from '../ir/types.js';
import { resolveMockSpec } from '../mock/source.js';
import { credentialsFor } from './auth.js';
import { createContext, type VerifyContext } from './context.js';
import { OperationRun } from './operation-run.js';
import { Transport } from './transport.js';
import { CHECK_IDS, type CheckId, type CheckTally, type VerifyOptions, type VerifyReport } from './types.js';
import { runPositive, validCases, type PositiveCase } from './checks/positive.js';
import { runLinks } from './checks/links.js';
import { runNegative } from './checks/negative.js';
import { runAuth } from './checks/auth.js';
import { runIdempotency } from './checks/idempotency.js';
import { collectionsOf, runStateful } from './checks/stateful.js';

export const DEFAULTS = { seed: 1, maxRequests: 20, concurrency: 16, timeoutMs: 10_000 } as const;

function selectOperations(operations: readonly IrOperation[], wanted: readonly string[] | undefined): IrOperation[] {
  // A fragment (`/items#folders`) is not addressable over HTTP.
  const addressable = operations.filter((op) => !op.path.includes('#'));
  if (!wanted || wanted.length === 0) return addressable;
  const set = new Set(wanted);
  const chosen = addressable.filter((op) => set.has(op.name) || (op.operationId !== undefined && set.has(op.operationId)) || op.tags.some((t) => set.has(t)));
  const known = new Set(addressable.flatMap((op) => [op.name, op.operationId ?? '', ...op.tags]));
  const unknown = wanted.filter((w) => !known.has(w));
  if (unknown.length > 0) throw new ConcordError('USAGE', `--operations: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} neither an operation id nor a tag of the contract.`, { hint: 'Use operationIds or tags as written in the contract, comma-separated.' });
  return chosen;
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConcordError('USAGE', `--base-url "${baseUrl}" is not a URL.`, { hint: 'Example: --base-url http://127.0.0.1:8080/v1' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConcordError('USAGE', `--base-url must be http or https, got ${url.protocol}`);
  return baseUrl.replace(/\/+$/, '');
}

async function verifyOperation(ctx: VerifyContext, run: OperationRun, negative: boolean): Promise<PositiveCase[]> {
  const operation = run.operation;
  const cases = await validCases(ctx, run);
  const first = cases[0];
  if (first && run.enabled('auth-required')) await runAuth(ctx, run, first.values);
  if (credentialsFor(ctx, operation) === undefined) {
    run.skip(`no credentials for ${operation.security.map((alt) => alt.map((e) => e.scheme).join(' + ')).join(' or ')} (pass --auth)`);
    return [];
  }
  if (cases.length === 0) return [];
  const judged = POSITIVE_CHECKS.some((id) => run.enabled(id)) || run.enabled('idempotency');
  const positive = judged ? await runPositive(ctx, run, cases) : [];
  // The minimal valid request (case 1: required members only) is what each negative request breaks in one place.
  const minimal = cases.find((c) => c.caseIndex === 1) ?? first;
  if (negative && run.enabled('negative-rejected') && minimal) await runNegative(ctx, run, minimal.values);
  if (run.enabled('idempotency')) await runIdempotency(ctx, run, positive);
  return positive;
}

const POSITIVE_CHECKS: CheckId[] = ['status-declared', 'response-schema', 'content-type', 'no-server-error'];

const emptyTotals = (): Record<CheckId, CheckTally> => Object.fromEntries(CHECK_IDS.map((id) => [id, { passed: 0, failed: 0 }])) as Record<CheckId, CheckTally>;

/**
 * Sends requests generated from the contract to a running provider and checks every answer. Returns a report;
 * never throws for a provider that breaks the contract (that is what the report is for), only for unusable input.
 */
export async function verifyProvider(options: VerifyOptions): Promise<VerifyReport> {
  const baseUrl = checkBaseUrl(options.baseUrl);
  const { ir } = await resolveMockSpec(options.spec);
  const checks = new Set<CheckId>(options.checks ?? CHECK_IDS);
  if (options.stateful !== true) checks.delete('stateful');
  if (options.negative === false) checks.delete('negative-rejected');
  const concurrency = Math.max(1, options.concurrency ?? DEFAULTS.concurrency);
  const transport = new Transport(concurrency, options.timeoutMs ?? DEFAULTS.timeoutMs);
  const ctx = createContext(ir, {
    transport,
    baseUrl,
    auth: options.auth ?? {},
    headers: options.headers ?? {},
    seed: (options.seed ?? DEFAULTS.seed) >>> 0,
    maxRequests: Math.max(1, options.maxRequests ?? DEFAULTS.maxRequests),
    checks,
    runId: randomBytes(4).toString('hex'),
  });
  const operations = selectOperations(ir.operations, options.operations);
  const startedAt = new Date();
  const started = performance.now();
  const runs = operations.map((op) => new OperationRun(ctx, op));
  const positives = new Map<OperationRun, PositiveCase[]>();
  let done = 0;
  try {
    await probe(transport, baseUrl);
    // Operations run side by side; the transport's limit bounds what is in flight.
    await Promise.all(
      runs.map(async (run) => {
        positives.set(run, await verifyOperation(ctx, run, checks.has('negative-rejected')));
        options.onProgress?.(++done, runs.length, transport.sent);
      }),
    );
    if (checks.has('stateful')) {
      const byOperation = new Map(runs.map((r) => [r.operation, r]));
      for (const collection of collectionsOf(ctx)) {
        const create = collection.operations.create as IrOperation;
        if (byOperation.has(create) && credentialsFor(ctx, create) !== undefined) await runStateful(ctx, byOperation, collection);
      }
      for (const run of runs) await runLinks(ctx, byOperation, run, positives.get(run) ?? []);
    }
  } finally {
    transport.close();
  }
  const durationMs = performance.now() - started;
  const totals = emptyTotals();
  for (const run of runs) {
    for (const [id, tally] of Object.entries(run.summary.checks) as Array<[CheckId, CheckTally]>) {
      totals[id].passed += tally.passed;
      totals[id].failed += tally.failed;
    }
  }
  return {
    reportVersion: 1,
    tool: 'concord verify',
    version: CONCORD_VERSION,
    spec: { title: ir.title, version: ir.version },
    baseUrl,
    seed: ctx.seed,
    checks: CHECK_IDS.filter((id) => checks.has(id)),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(durationMs),
    requests: transport.sent,
    requestsPerSecond: Math.round((transport.sent / Math.max(durationMs, 1)) * 1000),
    operations: runs.map((r) => r.summary),
    failures: runs.flatMap((r) => r.failures),
    totals,
  };
}

/** A provider that is not there is unusable input (exit 2), not a run full of failures. */
async function probe(transport: Transport, baseUrl: string): Promise<void> {
  const result = await transport.send({ method: 'GET', url: `${baseUrl}/`, headers: {} });
  if (!result.ok) throw new ConcordError('VERIFY_UNREACHABLE', `No provider answers at ${baseUrl}: ${result.error}`);
}
