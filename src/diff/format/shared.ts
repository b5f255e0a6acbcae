import { LEVELS, type Change, type DiffReport, type Level, type VersionCheck } from '../types.js';

export function byLevel(report: DiffReport): Array<{ level: Level; changes: Change[] }> {
  return LEVELS.map((level) => ({ level, changes: report.changes.filter((change) => change.level === level) }));
}

const opName = (op: { method: string; path: string }): string => `${op.method.toUpperCase()} ${op.path}`;

/** At most `max` names, then how many more: a change in a shared component can reach hundreds of operations. */
export function listText(names: string[], max: number): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … ${names.length - max} more`;
}

/** The first operation, and the others by name: `GET /a (+2 more: POST /a, GET /b)`. */
export function operationText(change: Change, max = 8): string {
  if (!change.operation) return '(document)';
  const others = change.operations.slice(1).map(opName);
  const more = others.length > 0 ? ` (+${others.length} more: ${listText(others, max)})` : '';
  return `${opName(change.operation)}${more}`;
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

export function impactText(change: Change, max = 20): string {
  const parts: string[] = [];
  if (change.impact.functions.length > 0) parts.push(`functions ${listText(change.impact.functions, max)}`);
  if (change.impact.types.length > 0) parts.push(`types ${listText(change.impact.types, max)}`);
  return parts.join('; ');
}
