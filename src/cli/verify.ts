import type { Command } from 'commander';
import { ConcordError } from '../errors.js';
import type { CliContext } from './main.js';
import type { Reporter } from './reporter.js';
import type { CheckId, VerifyReport } from '../verify/index.js';

interface VerifyFlags {
  baseUrl?: string;
  auth: string[];
  header: string[];
  operations?: string;
  seed?: string;
  maxRequests?: string;
  stateful?: boolean;
  negative: boolean;
  concurrency?: string;
  timeout?: string;
  format: string;
  output?: string;
  failOn?: string;
  quiet?: boolean;
  verbose?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerVerify(program: Command, context: CliContext): void {
  program
    .command('verify')
    .argument('<spec>', 'the contract: OpenAPI document (path or URL)')
    .description('Send requests generated from the contract to a running provider and check every answer against it')
    .option('--base-url <url>', 'where the provider listens, with any base path (http://127.0.0.1:8080/v1)')
    .option('--auth <scheme=credential>', "credential per security scheme name or kind: 'bearer=TOKEN', 'basic=user:pass', 'apiKey=KEY' (repeatable)", collect, [])
    .option('--header <"Name: value">', 'header sent on every request (repeatable)', collect, [])
    .option('--operations <list>', 'comma-separated operationIds or tags (default: all)')
    .option('--seed <n>', 'seed for generated data: the same seed sends the same requests', '1')
    .option('--max-requests <n>', 'valid generated requests per operation (negative ones come on top)', '20')
    .option('--stateful', 'also run CRUD sequences: create, read, list, update, delete, read 404')
    .option('--no-negative', 'do not send contract-breaking requests')
    .option('--concurrency <n>', 'requests in flight at once', '16')
    .option('--timeout <ms>', 'per request', '10000')
    .option('-f, --format <format>', 'text | json | junit | github', 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <checks>', 'exit 1 only for failures of these checks (comma-separated ids, or all)', 'all')
    .option('-q, --quiet', 'no progress, nothing but the report and errors')
    .option('-v, --verbose', 'stack traces for internal errors')
    .addHelpText(
      'after',
      `
Checks (stable ids): status-declared, response-schema, content-type, no-server-error, negative-rejected,
auth-required, idempotency, stateful (with --stateful). Each failure names its check, a runnable curl line,
the response and the JSON pointer of the violation; failing generated requests are shrunk first.

Exit codes: 0 nothing selected by --fail-on failed, 1 something did, 2 invalid input (spec, option,
unreachable --base-url).

Examples:
  $ concord verify openapi.yaml --base-url http://127.0.0.1:8080
  $ concord verify openapi.yaml --base-url https://staging.example.com/v1 --auth bearer=$TOKEN --stateful
  $ concord verify openapi.yaml --base-url http://localhost:4010 --format junit -o verify.xml
  $ concord verify openapi.yaml --base-url http://localhost:4010 --operations pets --fail-on no-server-error,response-schema`,
    )
    .action(async (spec: string, flags: VerifyFlags) => {
      const reporter = context.reporter(flags);
      await runVerify(spec, flags, reporter);
    });
}

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new ConcordError('USAGE', `--${name} must be a whole number of at least ${min}, got "${value}".`);
  return parsed;
}

function pairs(list: string[], separator: string, option: string, example: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const index = item.indexOf(separator);
    const name = index < 0 ? '' : item.slice(0, index).trim();
    if (name === '') throw new ConcordError('USAGE', `--${option} "${item}": expected ${example}.`);
    out[name] = item.slice(index + 1).trim();
  }
  return out;
}

async function checkList(value: string | undefined): Promise<Set<CheckId>> {
  const { CHECK_IDS } = await import('../verify/index.js');
  if (value === undefined || value.trim() === 'all') return new Set(CHECK_IDS);
  if (value.trim() === 'none') return new Set();
  const wanted = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  const unknown = wanted.filter((w) => !(CHECK_IDS as readonly string[]).includes(w));
  if (unknown.length > 0) throw new ConcordError('USAGE', `--fail-on: unknown check ${unknown.join(', ')}; the checks are ${CHECK_IDS.join(', ')} (or all, none).`);
  return new Set(wanted as CheckId[]);
}

function render(report: VerifyReport, format: string, spec: string, reporter: Reporter, formats: typeof import('../verify/index.js'), toTerminal: boolean): string {
  switch (format) {
    case 'json':
      return formats.formatJson(report);
    case 'junit':
      return formats.formatJunit(report);
    case 'github':
      return formats.formatGithub(report, /^https?:/i.test(spec) ? undefined : spec);
    default:
      return formats.formatText(report, toTerminal ? reporter : undefined);
  }
}

/** A bar on a TTY; plain lines (about every tenth of the way) otherwise. */
function progress(reporter: Reporter, quiet: boolean): (done: number, total: number, requests: number) => void {
  const err = process.stderr;
  let lastTenth = -1;
  return (done, total, requests) => {
    if (quiet) return;
    if (err.isTTY) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      err.write(`\r\u001b[2K${reporter.dim(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} operations, ${requests} requests`)}`);
      if (done === total) err.write('\r\u001b[2K');
      return;
    }
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      err.write(`verify: ${done}/${total} operations, ${requests} requests\n`);
    }
  };
}

async function runVerify(spec: string, flags: VerifyFlags, reporter: Reporter): Promise<void> {
  if (flags.baseUrl === undefined) throw new ConcordError('USAGE', '--base-url is required: where the provider to verify listens.', { hint: 'Example: concord verify openapi.yaml --base-url http://127.0.0.1:8080' });
  if (!['text', 'json', 'junit', 'github'].includes(flags.format)) throw new ConcordError('USAGE', `--format must be text, json, junit or github, got "${flags.format}".`);
  const failOn = await checkList(flags.failOn);
  const formats = await import('../verify/index.js');
  const seed = integer(flags.seed, 'seed', 0);
  const maxRequests = integer(flags.maxRequests, 'max-requests', 1);
  const concurrency = integer(flags.concurrency, 'concurrency', 1);
  const timeoutMs = integer(flags.timeout, 'timeout', 1);
  const operations = flags.operations?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const report = await formats.verifyProvider({
    spec,
    baseUrl: flags.baseUrl,
    auth: pairs(flags.auth, '=', 'auth', "'bearer=TOKEN' or '<scheme name>=<credential>'"),
    headers: pairs(flags.header, ':', 'header', "'Name: value'"),
    ...(operations ? { operations } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(maxRequests !== undefined ? { maxRequests } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    stateful: flags.stateful === true,
    negative: flags.negative,
    onProgress: progress(reporter, flags.quiet === true),
  });
  const toTerminal = flags.output === undefined && process.stdout.isTTY === true;
  const text = render(report, flags.format, spec, reporter, formats, toTerminal);
  if (flags.output !== undefined) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(flags.output, text);
  } else process.stdout.write(text);
  const failing = report.failures.filter((f) => failOn.has(f.check));
  if (failing.length > 0) {
    throw new ConcordError('VERIFY_FAILED', `${failing.length} check failure${failing.length === 1 ? '' : 's'} (${[...new Set(failing.map((f) => f.check))].join(', ')}) against ${report.baseUrl}.`);
  }
}
