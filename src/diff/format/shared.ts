import { LEVELS, type Change, type DiffReport, type Level, type VersionCheck } from '../types.js';

export function byLevel(report: DiffReport): Array<{ level: Level; changes: Change[] }> {
  return LEVELS.map((level) => ({ level, changes: report.changes.filter((change) => change.level === level) }));
}

export function operationText(change: Change): string {
  if (!change.operation) return '(document)';
  const more = change.operations.length > 1 ? ` (+${change.operations.length - 1} more)` : '';
  return `${change.operation.method.toUpperCase()} ${change.operation.path}${more}`;
}

export function summaryText(report: DiffReport): string {
  const { breaking, warning, info } = report.summary;
  return `${breaking} breaking, ${warning} warning${warning === 1 ? '' : 's'}, ${info} info`;
}

export function versionText(check: VersionCheck): string {
  const verdict = check.ok === null ? 'cannot tell (not semver)' : check.ok ? 'ok' : 'NOT ENOUGH';
  const bump = check.bump === 'none' ? 'unchanged' : check.bump === 'unknown' ? 'changed' : check.bump === 'downgrade' ? 'went down' : `${check.bump} bump`;
  return `version ${check.base} -> ${check.revision} (${bump}); changes need ${check.required === 'none' ? 'no' : `a ${check.required}`} bump: ${verdict}`;
}

export function impactText(change: Change): string {
  const parts: string[] = [];
  if (change.impact.functions.length > 0) parts.push(`functions ${change.impact.functions.join(', ')}`);
  if (change.impact.types.length > 0) parts.push(`types ${change.impact.types.join(', ')}`);
  return parts.join('; ');
}
