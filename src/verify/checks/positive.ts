import type { IrOperation } from '../../ir/types.js';
import type { VerifyContext } from '../context.js';
import type { OperationRun } from '../operation-run.js';
import { shrinkRequest } from '../shrink.js';
import type { WireResponse } from '../transport.js';
import { generateCase, type RequestValues } from '../values.js';
import { acceptFor, encodeRequest, readBack, type EncodedRequest } from '../wire.js';
import { judgeResponse, type Verdict } from './response.js';

/** A fresh idempotency key for keyed operations (every positive request is a new effect), else none. */
export function freshKey(ctx: VerifyContext, operation: IrOperation, label: string): { idempotencyKey?: string } {
  return operation.idempotency.mode === 'keyed' ? { idempotencyKey: `concord-verify-${ctx.runId}-${operation.name}-${label}` } : {};
}

export interface PositiveCase {
  encoded: EncodedRequest;
  response: WireResponse | undefined;
}

/** Up to `maxRequests` distinct requests the contract allows: examples first, then minimal, then seeded data. */
export async function validCases(ctx: VerifyContext, run: OperationRun): Promise<EncodedRequest[]> {
  const operation = run.operation;
  const cases: EncodedRequest[] = [];
  const seen = new Set<string>();
  let lastIssue: string | undefined;
  for (let index = 0; cases.length < ctx.maxRequests && index < ctx.maxRequests * 3; index++) {
    const values = generateCase(ctx, operation, index);
    const encoded = await encodeRequest(ctx, operation, values, freshKey(ctx, operation, `p${index}`));
    if (!encoded) {
      lastIssue = 'a path parameter the template names is not declared or cannot be serialised';
      continue;
    }
    const identity = `${encoded.wire.url}\u0000${encoded.wire.headers['content-type'] ?? ''}\u0000${encoded.wire.body ? Buffer.from(encoded.wire.body).toString('latin1') : ''}`;
    if (seen.has(identity)) continue;
    const judged = await readBack(ctx, operation, encoded);
    if (!judged.valid) {
      lastIssue = judged.issues[0];
      continue;
    }
    seen.add(identity);
    cases.push({ ...encoded, caseIndex: index });
  }
  if (cases.length === 0) run.skip(`no request valid against the contract could be generated (${lastIssue ?? 'unknown reason'})`);
  return cases;
}

function failedVerdicts(verdicts: Verdict[]): Verdict[] {
  return verdicts.filter((v) => !v.passed);
}

async function sendAndJudge(ctx: VerifyContext, run: OperationRun, encoded: EncodedRequest): Promise<{ response: WireResponse | undefined; verdicts: Verdict[] }> {
  const result = await run.send(encoded.wire);
  if (!result.ok) return { response: undefined, verdicts: [{ check: 'no-server-error', passed: false, pointer: '/status', contractPointer: run.operation.pointer, message: `no answer: ${result.error}` }] };
  return { response: result.response, verdicts: judgeResponse(ctx, run.operation, acceptFor(run.operation), result.response) };
}

/**
 * Sends every valid case and judges each answer; the first failure of each check is shrunk to a minimal request
 * and reported with how many requests it took to find.
 */
export async function runPositive(ctx: VerifyContext, run: OperationRun, cases: EncodedRequest[]): Promise<PositiveCase[]> {
  const results = await Promise.all(cases.map((encoded) => sendAndJudge(ctx, run, encoded)));
  const first = new Map<string, { index: number; verdict: Verdict }>();
  results.forEach((result, index) => {
    for (const verdict of result.verdicts) {
      run.tally(verdict.check, verdict.passed);
      if (!verdict.passed && !first.has(verdict.check)) first.set(verdict.check, { index, verdict });
    }
  });
  let shrinkStep = 0;
  for (const { index, verdict } of first.values()) {
    if (!run.enabled(verdict.check)) continue;
    const start = { encoded: cases[index] as EncodedRequest, response: results[index]?.response };
    const attempt = async (values: RequestValues) => {
      const encoded = await encodeRequest(ctx, run.operation, values, freshKey(ctx, run.operation, `s${verdict.check}-${shrinkStep++}`));
      if (!encoded) return undefined;
      const judged = await sendAndJudge(ctx, run, encoded);
      return { encoded, response: judged.response, fails: failedVerdicts(judged.verdicts).some((v) => v.check === verdict.check) };
    };
    // Without an answer (a timeout, a reset) every shrink step could cost a full timeout: report as found.
    const shrunk = start.response ? await shrinkRequest(ctx, run.operation, start, attempt) : { ...start, requests: 0 };
    const final = shrunk.response ? failedVerdicts(judgeResponse(ctx, run.operation, acceptFor(run.operation), shrunk.response)).find((v) => v.check === verdict.check) : undefined;
    const shown = final ?? verdict;
    run.fail({
      check: verdict.check,
      message: shown.message ?? verdict.check,
      pointer: shown.pointer ?? '',
      contractPointer: shown.contractPointer ?? run.operation.pointer,
      request: shrunk.encoded.wire,
      response: shrunk.response,
      requestsToFind: index + 1,
      shrinkRequests: shrunk.requests,
    });
  }
  return cases.map((encoded, i) => ({ encoded, response: results[i]?.response }));
}
