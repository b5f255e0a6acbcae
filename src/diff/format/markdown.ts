import type { DiffReport } from '../types.js';
import { byLevel, operationText, summaryText, versionText } from './shared.js';

const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const codeCell = (text: string): string => (text === '' ? '' : `\`${text.replace(/`/g, "'")}\``);

/** For a pull-request comment: a summary line and one table per level. */
export function formatMarkdown(report: DiffReport): string {
  const lines = [`## concord diff: ${codeCell(report.base.source)} → ${codeCell(report.revision.source)}`, '', `**${summaryText(report)}** · ${cell(versionText(report.versioning))}`];
  if (report.changes.length === 0) lines.push('', 'No changes.');
  for (const { level, changes } of byLevel(report)) {
    if (changes.length === 0) continue;
    lines.push('', `### ${level[0]?.toUpperCase()}${level.slice(1)} (${changes.length})`, '', '| Rule | Operation | Direction | Change | Affects |', '| --- | --- | --- | --- | --- |');
    for (const change of changes) {
      const affects = [...change.impact.functions.map((name) => `\`${name}()\``), ...change.impact.types.map((name) => `\`${name}\``)].join(', ');
      lines.push(`| ${codeCell(change.id)} | ${cell(operationText(change))} | ${change.direction} | ${cell(change.message)} | ${cell(affects)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
