import type { DiffReport } from '../types.js';
import { byLevel, impactText, operationText, summaryText, versionText } from './shared.js';

/** For people in a terminal: grouped by level, most severe first, with the summary and the version verdict. */
export function formatText(report: DiffReport): string {
  const lines = [`concord diff: ${report.base.source} (${report.base.version}) -> ${report.revision.source} (${report.revision.version})`];
  if (report.changes.length === 0) lines.push('No changes.');
  for (const { level, changes } of byLevel(report)) {
    if (changes.length === 0) continue;
    lines.push('', `${level.toUpperCase()} (${changes.length})`);
    for (const change of changes) {
      lines.push(`  [${change.id}] ${change.operation ? `${operationText(change)} ` : ''}(${change.direction}): ${change.message}`);
      const where = [change.basePointer === undefined ? '' : `base #${change.basePointer}`, change.revisionPointer === undefined ? '' : `revision #${change.revisionPointer}`].filter(Boolean).join(', ');
      if (where) lines.push(`      at ${where}`);
      if (level === 'breaking' && impactText(change)) lines.push(`      affects ${impactText(change)}`);
    }
  }
  lines.push('', `Summary: ${summaryText(report)}; ${versionText(report.versioning)}`);
  return `${lines.join('\n')}\n`;
}
