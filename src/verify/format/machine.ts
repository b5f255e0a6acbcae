import type { VerifyReport } from '../types.js';

/** json (schemas/verify-report.schema.json), JUnit XML and GitHub workflow annotations. */

export function formatJson(report: VerifyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const xml = (text: string): string =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** One testsuite per operation, one testcase per check that ran there. */
export function formatJunit(report: VerifyReport): string {
  const failures = report.failures.length;
  const cases = report.operations.reduce((n, op) => n + Object.keys(op.checks).length, 0);
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="concord verify" tests="${cases}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`];
  for (const op of report.operations) {
    const ids = Object.keys(op.checks);
    const opFailures = report.failures.filter((f) => f.operation === op.operation);
    out.push(`  <testsuite name="${xml(`${op.method} ${op.path} (${op.operation})`)}" tests="${ids.length}" failures="${opFailures.length}" skipped="0">`);
    for (const id of ids) {
      const failure = opFailures.find((f) => f.check === id);
      const tally = op.checks[id as keyof typeof op.checks];
      const name = `${id} (${tally?.passed ?? 0} passed, ${tally?.failed ?? 0} failed)`;
      if (!failure) {
        out.push(`    <testcase classname="${xml(op.operation)}" name="${xml(name)}"/>`);
        continue;
      }
      const body = [failure.message, `at ${failure.pointer}`, failure.request.curl, failure.response ? `${failure.response.status} ${failure.response.body}` : ''].join('\n');
      out.push(`    <testcase classname="${xml(op.operation)}" name="${xml(name)}">`, `      <failure type="${id}" message="${xml(failure.message)}">${xml(body)}</failure>`, `    </testcase>`);
    }
    if (op.skipped.length > 0) out.push(`    <system-out>${xml(op.skipped.map((s) => `skipped: ${s}`).join('\n'))}</system-out>`);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `::error` workflow commands, one per failure, pinned to the contract file when it is a local path. */
export function formatGithub(report: VerifyReport, file?: string): string {
  const lines = report.failures.map((f) => {
    const props = [`title=${escapeProperty(`concord verify ${f.check}: ${f.method} ${f.path}`)}`, ...(file ? [`file=${escapeProperty(file)}`] : [])];
    return `::error ${props.join(',')}::${escapeData(`${f.operation}: ${f.message} (at ${f.pointer}, contract #${f.contractPointer})\n${f.request.curl}`)}`;
  });
  const summary = `concord verify: ${report.requests} requests, ${report.failures.length} failure${report.failures.length === 1 ? '' : 's'}`;
  lines.push(report.failures.length > 0 ? `::error title=concord verify::${summary}` : `::notice title=concord verify::${summary}`);
  return `${lines.join('\n')}\n`;
}
