import { levelRank, type DiffReport, type Level } from '../types.js';
import { impactText, operationText, summaryText } from './shared.js';

const xml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

/** One test case per change; changes at or above the fail level (breaking when none is set) are failures. */
export function formatJunit(report: DiffReport, failOn: Level | undefined): string {
  const threshold = levelRank(failOn ?? 'breaking');
  const failures = report.changes.filter((change) => levelRank(change.level) >= threshold).length;
  const tests = Math.max(1, report.changes.length);
  const name = `concord diff ${report.base.source} -> ${report.revision.source}`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="concord diff" tests="${tests}" failures="${failures}">`,
    `  <testsuite name="${xml(name)}" tests="${tests}" failures="${failures}" errors="0" skipped="0">`,
    `    <properties><property name="summary" value="${xml(summaryText(report))}"/></properties>`,
  ];
  if (report.changes.length === 0) lines.push('    <testcase classname="concord.diff" name="no changes"/>');
  for (const change of report.changes) {
    const open = `    <testcase classname="${xml(operationText(change))}" name="${xml(`[${change.level}] ${change.id} (${change.direction})`)}"`;
    const details = [change.message, change.basePointer === undefined ? '' : `base #${change.basePointer}`, change.revisionPointer === undefined ? '' : `revision #${change.revisionPointer}`, impactText(change) ? `affects ${impactText(change)}` : '']
      .filter(Boolean)
      .join('\n');
    if (levelRank(change.level) >= threshold) {
      lines.push(`${open}>`, `      <failure type="${change.level}" message="${xml(change.message)}">${xml(details)}</failure>`, '    </testcase>');
    } else {
      lines.push(`${open}>`, `      <system-out>${xml(details)}</system-out>`, '    </testcase>');
    }
  }
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}
