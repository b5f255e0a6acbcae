import { ConcordError } from '../../errors.js';
import type { DiffReport, Level, ReportFormat } from '../types.js';
import { formatGithub, type AnnotationTarget } from './github.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatText } from './text.js';

export const FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'json', 'junit', 'github'];

export function formatReport(report: DiffReport, format: ReportFormat, options: { failOn?: Level | undefined; annotate?: AnnotationTarget } = {}): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'markdown':
      return formatMarkdown(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'junit':
      return formatJunit(report, options.failOn);
    case 'github':
      return formatGithub(report, options.annotate ?? {});
    default:
      throw new ConcordError('USAGE', `Unknown --format "${String(format)}"; use one of ${FORMATS.join(', ')}.`);
  }
}
