import { Command, CommanderError } from 'commander';
import { ERROR_CODES, isConcordError } from '../errors.js';
import { CONCORD_VERSION } from '../emit/header.js';
import { Reporter, type Verbosity } from './reporter.js';
import { registerGenerate } from './generate.js';
import { registerExtraCommands } from './commands.js';

export interface CliContext {
  reporter(options: { quiet?: boolean; verbose?: boolean }): Reporter;
}

/** Entry point of bin/concord.js. The only place that calls process.exit. */
export async function main(argv: string[]): Promise<void> {
  let reporter = new Reporter();
  const context: CliContext = {
    reporter(options) {
      const verbosity: Verbosity = options.quiet ? 'quiet' : options.verbose ? 'verbose' : 'normal';
      reporter = new Reporter(verbosity);
      return reporter;
    },
  };
  const program = new Command('concord')
    .description('Contract-first code generation: types, zod validators, resilient clients, mocks, providers and breaking-change checks from one OpenAPI document.')
    .version(CONCORD_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes:
  0  success
  1  a check failed (stale --check output, diff changes at --fail-on, verify failures selected
     by --fail-on, dlq replay failures)
  2  invalid input: a spec, config or option concord cannot use, a port in use, an unreadable
     output directory, a missing dead-letter store
  3  internal error (please report it)

Examples:
  $ concord generate openapi.yaml --out src/api
  $ concord generate                      # reads concord.config.{ts,mjs,json,yaml}
  $ concord mock openapi.yaml --port 4010
  $ concord diff origin/main:openapi.yaml openapi.yaml --fail-on breaking`,
    );
  registerGenerate(program, context);
  await registerExtraCommands(program, context);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeFor(error, reporter);
  }
}

/** The exit code for what a command threw, after reporting it (exported for tests). */
export function exitCodeFor(error: unknown, reporter: Reporter): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return 2;
  }
  if (isConcordError(error)) {
    reporter.error(error);
    return error.exitCode;
  }
  reporter.internal(error);
  return ERROR_CODES.INTERNAL.exit;
}
