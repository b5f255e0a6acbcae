import type { Command } from 'commander';
import { ConcordError } from '../errors.js';
import type { CliContext } from './main.js';

interface DiffFlags {
  format: string;
  failOn?: string;
  output?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export function registerDiff(program: Command, context: CliContext): void {
  program
    .command('diff')
    .argument('<base>', 'the old contract: a file, an http(s) URL, or a git revision and path (origin/main:openapi.yaml)')
    .argument('<revision>', 'the new contract, in the same forms')
    .description('Report breaking, warning and info changes between two versions of a contract')
    .option('-f, --format <format>', 'text | markdown | json | junit | github', 'text')
    .option('--fail-on <level>', 'exit 1 when a change is at or above this level: breaking | warning | info')
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

Each change has a stable rule id, a level, the operation, the JSON pointer on each side, and which side
(request or response) it hurts. The report ends with a count per level and a semver check of info.version.`,
    )
    .action(async (base: string, revision: string, flags: DiffFlags) => {
      const reporter = context.reporter(flags);
      const { runDiff } = await import('../diff/index.js');
      const result = await runDiff({
        base,
        revision,
        format: flags.format as never,
        ...(flags.failOn === undefined ? {} : { failOn: flags.failOn as never }),
      });
      if (flags.output) {
        const { writeFile } = await import('node:fs/promises');
        await writeFile(flags.output, result.output);
      } else if (!flags.quiet) {
        process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
      }
      if (result.exitCode !== 0) {
        reporter.clearSpinner();
        throw new ConcordError('DIFF_BREAKING', `Changes at or above --fail-on ${flags.failOn ?? ''} were found.`);
      }
    });
}
