import type { Command } from 'commander';
import { ConcordError, isConcordError, type ErrorCode } from '../errors.js';
import type { CliContext } from './main.js';

interface DiffFlags {
  format: string;
  failOn?: string;
  profile?: string;
  deprecationDaysStable?: string;
  deprecationDaysBeta?: string;
  output?: string;
  quiet?: boolean;
  verbose?: boolean;
}

const FAILURE_CODES: Record<string, ErrorCode> = { breaking: 'DIFF_BREAKING', warning: 'DIFF_WARNING', info: 'DIFF_INFO' };

export function registerDiff(program: Command, context: CliContext): void {
  program
    .command('diff')
    .argument('<base>', 'the old contract: a file, an http(s) URL, or a git revision and path (origin/main:openapi.yaml)')
    .argument('<revision>', 'the new contract, in the same forms')
    .description('Report breaking, warning and info changes between two versions of a contract')
    .option('-f, --format <format>', 'text | markdown | json | junit | github | html', 'text')
    .option('--fail-on <level>', 'exit 1 when a change is at or above this level: breaking | warning | info')
    .option('--profile <profile>', "whose levels: concord (yesterday's generated client must keep working; a superset) | oasdiff", 'concord')
    .option('--deprecation-days-stable <days>', 'minimum days between deprecation and x-sunset for stable operations', '180')
    .option('--deprecation-days-beta <days>', 'minimum days between deprecation and x-sunset for x-stability-level beta', '31')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-q, --quiet', 'print nothing but errors (the exit code still tells)')
    .option('-v, --verbose', 'stack traces for internal errors')
    .addHelpText(
      'after',
      `
Examples:
  $ concord diff openapi.v1.yaml openapi.v2.yaml
  $ concord diff origin/main:openapi.yaml openapi.yaml --fail-on breaking --format github
  $ concord diff https://api.example.com/openapi.json openapi.yaml --format json -o report.json
  $ concord diff v1.yaml v2.yaml --profile oasdiff --format html -o diff.html

Each change has a stable rule id, a level, the operation, the JSON pointer on each side, and which side
(request or response) it hurts. The report ends with a count per level and a semver check of info.version.
Exit codes: 0 no change at or above --fail-on, 1 changes found (error DIFF_BREAKING, DIFF_WARNING or DIFF_INFO
names the most severe), 2 invalid input, 3 internal error. Rules and levels: docs/diff-rules.md.`,
    )
    .action(async (base: string, revision: string, flags: DiffFlags) => {
      const reporter = context.reporter(flags);
      let result: Awaited<ReturnType<typeof import('../diff/index.js').runDiff>>;
      const deprecationDays = { stable: days(flags.deprecationDaysStable, '--deprecation-days-stable', 180), beta: days(flags.deprecationDaysBeta, '--deprecation-days-beta', 31) };
      try {
        const { runDiff } = await import('../diff/index.js');
        result = await runDiff({
          base,
          revision,
          format: flags.format as never,
          ...(flags.profile === undefined ? {} : { profile: flags.profile as never }),
          deprecationDays,
          ...(flags.failOn === undefined ? {} : { failOn: flags.failOn as never }),
        });
        if (flags.output) {
          const { writeFile } = await import('node:fs/promises');
          await writeFile(flags.output, result.output);
        } else if (!flags.quiet) {
          process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
        }
      } catch (error) {
        throw asConcordError(error, flags.verbose === true);
      }
      if (result.exitCode !== 0 && result.failedLevel) {
        reporter.clearSpinner();
        const { summary } = result.report;
        throw new ConcordError(FAILURE_CODES[result.failedLevel] ?? 'DIFF_BREAKING', `${summary.breaking} breaking, ${summary.warning} warning, ${summary.info} info change(s); --fail-on ${flags.failOn ?? ''} fails on the ${result.failedLevel} ones.`);
      }
    });
}

function days(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new ConcordError('USAGE', `${option} must be a whole number of days (0 or more), not "${value}".`);
  return parsed;
}

/** Anything that is not a ConcordError is an internal error: exit 3, never confused with "changes found" (1). */
export function asConcordError(error: unknown, verbose: boolean): ConcordError {
  if (isConcordError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && error.stack ? error.stack : message;
  return new ConcordError('INTERNAL', `internal error in concord diff: ${message}`, {
    hint: verbose ? `report this with the stack trace below at the concord issue tracker:\n${stack}` : 'Re-run with --verbose for the stack trace and report it at the concord issue tracker.',
    cause: error,
  });
}
