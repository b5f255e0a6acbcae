import { ConcordError } from '../errors.js';
import { diffDocuments } from './compare.js';
import { FORMATS, formatReport } from './format/index.js';
import { documentSnippets } from './format/html.js';
import { resolvePointer } from '../load/parse.js';
import type { ParseCache } from './loader.js';
import { loadSide } from './source.js';
import { PROFILES, type Profile } from './rules/registry.js';
import { LEVELS, levelRank, type DiffReport, type Level, type ReportFormat } from './types.js';
import { profiled } from '../util/profile.js';

export type { Change, DiffReport, Direction, Level, ReportFormat, RuleFamily, VersionCheck } from './types.js';
export { allRules, getRule, type RuleDefinition } from './rules/registry.js';
export { diffDocuments } from './compare.js';
export { formatReport, FORMATS } from './format/index.js';

export interface RunDiffOptions {
  /** File path, http(s) URL, or `rev:path` (read from git). */
  base: string;
  revision: string;
  format: ReportFormat;
  /** Exit code 1 when any change is at or above this level; without it the exit code is always 0. */
  failOn?: Level;
  /** Whose levels: concord's (the default; a superset of oasdiff's) or oasdiff's. */
  profile?: Profile;
  /** "Today" for sunset dates (YYYY-MM-DD); defaults to the current date. */
  today?: string;
  /** Minimum days from deprecation to sunset, per x-stability-level (defaults 180 stable, 31 beta; alpha and draft 0). */
  deprecationDays?: { stable: number; beta: number };
  cwd?: string;
}

export interface RunDiffResult {
  output: string;
  exitCode: 0 | 1;
  /** The most severe level found at or above `failOn` (what made `exitCode` 1). */
  failedLevel?: Level;
  report: DiffReport;
}

/**
 * `concord diff <base> <revision>`: load both sides (Swagger 2.0 is upgraded first), compare their IRs and render
 * the report. Invalid input throws a ConcordError (exit 2); the CLI prints `output` and exits with `exitCode`.
 */
export async function runDiff(options: RunDiffOptions): Promise<RunDiffResult> {
  if (!FORMATS.includes(options.format)) throw new ConcordError('USAGE', `Unknown --format "${String(options.format)}"; use one of ${FORMATS.join(', ')}.`);
  if (options.failOn !== undefined && !LEVELS.includes(options.failOn)) throw new ConcordError('USAGE', `Unknown --fail-on "${String(options.failOn)}"; use one of ${LEVELS.join(', ')}.`);
  const profile = options.profile ?? 'concord';
  if (!PROFILES.includes(profile)) throw new ConcordError('USAGE', `Unknown --profile "${String(profile)}"; use one of ${PROFILES.join(', ')}.`);
  const cwd = options.cwd ?? process.cwd();
  // allSettled: both sides finish (and remove their temp checkouts) before the first failure is reported.
  // Both sides load concurrently and share parsed files (a file both versions `$ref` is parsed once).
  const cache: ParseCache = new Map();
  const [baseResult, revisionResult] = await profiled('diff: load both sides', () => Promise.allSettled([loadSide(options.base, cwd, cache), loadSide(options.revision, cwd, cache)]));
  if (baseResult.status === 'rejected') throw baseResult.reason;
  if (revisionResult.status === 'rejected') throw revisionResult.reason;
  const base = baseResult.value;
  const revision = revisionResult.value;
  const policy = { profile, ...(options.today === undefined ? {} : { today: options.today }), ...(options.deprecationDays === undefined ? {} : { deprecationDays: options.deprecationDays }) };
  const report = profiled('diff: compare', () => diffDocuments(base.ir, revision.ir, { base: base.label, revision: revision.label }, policy, { base: base.document, revision: revision.document }));
  const annotate = revision.locate ? { locate: revision.locate } : {};
  const snippets = documentSnippets({ base: base.document, revision: revision.document }, resolvePointer);
  const output = profiled('diff: render', () => formatReport(report, options.format, { failOn: options.failOn, annotate, snippets }));
  const failOn = options.failOn;
  const worst = LEVELS.find((level) => report.summary[level] > 0);
  if (failOn === undefined || worst === undefined || levelRank(worst) < levelRank(failOn)) return { output, exitCode: 0, report };
  return { output, exitCode: 1, failedLevel: worst, report };
}
