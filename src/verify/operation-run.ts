import type { IrOperation } from '../ir/types.js';
import { operationLabel, type VerifyContext } from './context.js';
import { reportRequest, reportResponse } from './evidence.js';
import type { SendResult, WireResponse } from './transport.js';
import type { CheckId, OperationSummary, VerifyFailure, WireRequest } from './types.js';

export interface FailureInput {
  check: CheckId;
  message: string;
  pointer: string;
  contractPointer: string;
  request: WireRequest;
  response: WireResponse | undefined;
  requestsToFind: number;
  shrinkRequests?: number;
}

/** The tally and failures of one operation; every request a check family sends goes through `send`. */
export class OperationRun {
  readonly summary: OperationSummary;
  readonly failures: VerifyFailure[] = [];
  private readonly reported = new Set<CheckId>();

  constructor(
    private readonly ctx: VerifyContext,
    readonly operation: IrOperation,
  ) {
    this.summary = { operation: operationLabel(operation), method: operation.method.toUpperCase(), path: operation.path, requests: 0, checks: {}, skipped: [] };
  }

  enabled(check: CheckId): boolean {
    return this.ctx.checks.has(check);
  }

  async send(request: WireRequest): Promise<SendResult> {
    this.summary.requests++;
    return this.ctx.transport.send(request);
  }

  tally(check: CheckId, passed: boolean): void {
    if (!this.enabled(check)) return;
    const entry = (this.summary.checks[check] ??= { passed: 0, failed: 0 });
    if (passed) entry.passed++;
    else entry.failed++;
  }

  /** Whether a failure of `check` was already reported here (one, shrunk, per check and operation is enough). */
  hasReported(check: CheckId): boolean {
    return this.reported.has(check);
  }

  fail(input: FailureInput): void {
    if (!this.enabled(input.check) || this.reported.has(input.check)) return;
    this.reported.add(input.check);
    this.failures.push({
      check: input.check,
      operation: this.summary.operation,
      method: this.summary.method,
      path: this.summary.path,
      message: input.message,
      pointer: input.pointer,
      contractPointer: input.contractPointer,
      request: reportRequest(input.request),
      ...(input.response ? { response: reportResponse(input.response) } : {}),
      requestsToFind: input.requestsToFind,
      shrinkRequests: input.shrinkRequests ?? 0,
    });
  }

  skip(reason: string): void {
    if (!this.summary.skipped.includes(reason)) this.summary.skipped.push(reason);
  }
}
