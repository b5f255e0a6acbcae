import type { CheckId, VerifyFailure, VerifyReport } from '../types.js';

export interface Paint {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain: Paint = { red: (t) => t, green: (t) => t, yellow: (t) => t, dim: (t) => t, bold: (t) => t };

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : `${prefix}${line}`))
    .join('\n');
}

function failureBlock(failure: VerifyFailure, n: number, paint: Paint): string {
  const lines = [
    `${paint.red(`${n}) ${failure.check}`)}  ${failure.method} ${failure.path} (${failure.operation})`,
    `   ${failure.message}`,
    `   ${paint.dim(`at ${failure.pointer || '(request)'}  contract #${failure.contractPointer}`)}`,
    `   ${paint.dim(`found after ${failure.requestsToFind} request${failure.requestsToFind === 1 ? '' : 's'}${failure.shrinkRequests > 0 ? `, shrunk with ${failure.shrinkRequests} more` : ''}`)}`,
    `   request:  ${indent(failure.request.curl, '             ')}`,
  ];
  if (failure.response) {
    const headers = Object.entries(failure.response.headers).map(([k, v]) => `${k}: ${v}`);
    lines.push(`   response: ${failure.response.status}${headers.length > 0 ? `  ${headers.join('  ')}` : ''}`);
    if (failure.response.body !== '') lines.push(`             ${indent(failure.response.body.slice(0, 600), '             ')}`);
  }
  return lines.join('\n');
}

/** Human report: a line per operation, each failure with its curl line, a table per check, the totals. */
export function formatText(report: VerifyReport, paint: Paint = plain): string {
  const out: string[] = [];
  out.push(paint.bold(`concord verify: ${report.spec.title} ${report.spec.version} against ${report.baseUrl} (seed ${report.seed})`));
  const failedOps = new Map<string, Set<CheckId>>();
  for (const f of report.failures) failedOps.set(f.operation, (failedOps.get(f.operation) ?? new Set()).add(f.check));
  for (const op of report.operations) {
    const failed = failedOps.get(op.operation);
    const mark = failed ? paint.red('✗') : op.requests === 0 ? paint.yellow('-') : paint.green('✓');
    const extra = failed ? `  ${paint.red([...failed].join(', '))}` : '';
    out.push(`  ${mark} ${op.method.padEnd(6)} ${op.path} ${paint.dim(`${op.operation}, ${op.requests} request${op.requests === 1 ? '' : 's'}`)}${extra}`);
    for (const reason of op.skipped) out.push(`      ${paint.dim(`skipped: ${reason}`)}`);
  }
  if (report.failures.length > 0) {
    out.push('', paint.bold('Failures'));
    report.failures.forEach((f, i) => out.push(failureBlock(f, i + 1, paint), ''));
  }
  out.push('', paint.bold('Checks'));
  for (const id of report.checks) {
    const t = report.totals[id];
    out.push(`  ${id.padEnd(18)} ${String(t.passed).padStart(6)} passed ${t.failed > 0 ? paint.red(`${String(t.failed).padStart(6)} failed`) : `${String(t.failed).padStart(6)} failed`}`);
  }
  const seconds = (report.durationMs / 1000).toFixed(1);
  const summary = `${report.requests} requests to ${report.operations.length} operations in ${seconds} s (${report.requestsPerSecond}/s); ${report.failures.length} failure${report.failures.length === 1 ? '' : 's'}`;
  out.push('', report.failures.length > 0 ? paint.red(summary) : paint.green(summary));
  return `${out.join('\n')}\n`;
}
