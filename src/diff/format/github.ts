import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { unescapePointerToken } from '../../load/parse.js';
import type { DiffReport } from '../types.js';
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
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  return (pointer) => {
    let node: Node | null | undefined = doc.contents;
    let offset: number | undefined;
    for (const token of pointer.split('/').slice(1).map(unescapePointerToken)) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === token);
        if (!pair || !isScalar(pair.key)) break;
        offset = pair.key.range?.[0];
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const item = node.items[Number(token)] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0];
        node = item;
      } else break;
    }
    return offset === undefined ? undefined : counter.linePos(offset).line;
  };
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
