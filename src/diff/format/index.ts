import { ConcordError } from '../../errors.js';
import type { DiffReport, Level, ReportFormat } from '../types.js';
import { formatGithub, type AnnotationTarget } from './github.js';
import { formatHtml, type SnippetSource } from './html.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatText } from './text.js';

export const FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'json', 'junit', 'github', 'html'];

export function formatReport(report: DiffReport, format: ReportFormat, options: { failOn?: Level | undefined; annotate?: AnnotationTarget; snippets?: SnippetSource } = {}): string {
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
    case 'html':
      return formatHtml(report, options.snippets);
    default:
      throw new ConcordError('USAGE', `Unknown --format "${String(format)}"; use one of ${FORMATS.join(', ')}.`);
  }
}
