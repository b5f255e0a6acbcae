import type { DiffReport } from '../types.js';
import { jsonLineFinder } from './json-lines.js';
import { yamlLines } from './yaml-lines.js';
import { operationText, summaryText, versionText } from './shared.js';

/**
 * Where to annotate: `locate` maps a pointer into the revision's bundled document to the file and line it came
 * from (in a multi-file spec, the referenced file rather than the `$ref`); otherwise the root file and its text.
 */
export interface AnnotationTarget {
  file?: string;
  text?: string;
  locate?: (pointer: string) => { file: string; line?: number } | undefined;
}

const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** Line of the deepest node on a pointer's path that exists (a removed thing points at its parent). */
export function lineIndex(text: string): (pointer: string) => number | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const lines = jsonLineFinder(text);
    return (pointer) => {
      for (let prefix = pointer; ; prefix = prefix.slice(0, prefix.lastIndexOf('/'))) {
        const line = lines(prefix);
        if (line !== undefined) return line;
        if (prefix === '') return undefined;
      }
    };
  }
  return yamlLines(text);
}

/** GitHub Actions workflow commands: breaking -> error, warning -> warning, info -> notice. */
export function formatGithub(report: DiffReport, target: AnnotationTarget): string {
  const find = target.text === undefined ? undefined : lineIndex(target.text);
  const lines: string[] = [];
  for (const change of report.changes) {
    const command = change.level === 'breaking' ? 'error' : change.level === 'warning' ? 'warning' : 'notice';
    const properties: string[] = [];
    const pointer = change.revisionPointer ?? change.basePointer;
    const located = pointer === undefined ? undefined : target.locate?.(pointer);
    if (located) {
      properties.push(`file=${escapeProperty(located.file)}`);
      if (located.line !== undefined) properties.push(`line=${located.line}`);
    } else if (target.file !== undefined) {
      properties.push(`file=${escapeProperty(target.file)}`);
      const line = pointer === undefined ? undefined : find?.(pointer);
      if (line !== undefined) properties.push(`line=${line}`);
    }
    properties.push(`title=${escapeProperty(`${change.id} (${change.direction})${change.operation ? ` ${operationText(change, 3)}` : ''}`)}`);
    lines.push(`::${command} ${properties.join(',')}::${escapeData(change.message)}`);
  }
  lines.push(`::notice title=concord diff::${escapeData(`${summaryText(report)}; ${versionText(report.versioning)}`)}`);
  return `${lines.join('\n')}\n`;
}
