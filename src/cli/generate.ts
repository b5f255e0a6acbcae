import path from 'node:path';
import { Option, type Command } from 'commander';
import { ConcordError } from '../errors.js';
import { ALL_TARGETS, type Target } from '../generators/registry.js';
import type { GenerateOptions, WrittenResult } from '../generate.js';
import type { WriteReport } from '../emit/write.js';
import type { ResolvedSpecConfig } from '../config/load.js';
import type { Reporter } from './reporter.js';
import type { CliContext } from './main.js';

interface GenerateFlags {
  out?: string;
  config?: string;
  only?: string;
  quiet?: boolean;
  verbose?: boolean;
  check?: boolean;
  watch?: boolean;
  format: boolean;
  validate: boolean;
}

export function registerGenerate(program: Command, context: CliContext): void {
  program
    .command('generate')
    .argument('[spec]', 'OpenAPI document: path or http(s) URL (omit to use concord.config.*)')
    .description('Generate types, zod validators and a typed client from an OpenAPI document')
    .option('-o, --out <dir>', 'output directory (required with a spec argument)')
    .option('-c, --config <file>', 'config file (default: concord.config.{ts,mjs,json,yaml} in the current directory)')
    .addOption(new Option('--only <targets>', `comma-separated targets: ${ALL_TARGETS.join(', ')} (default: types,zod,client)`))
    .option('--check', 'generate in memory and compare with the output on disk; exit 1 if stale; writes nothing')
    .option('-w, --watch', 'regenerate when the spec or a file it $refs changes')
    .option('--no-format', 'skip prettier (faster; output is still deterministic)')
    .option('--no-validate', 'skip structural validation of the spec')
    .option('-q, --quiet', 'print errors only')
    .option('-v, --verbose', 'print every warning, timings and stack traces')
    .addHelpText(
      'after',
      `
Examples:
  $ concord generate openapi.yaml --out src/api
  $ concord generate https://example.com/openapi.json --out src/api --only types,zod
  $ concord generate --config concord.config.ts
  $ concord generate openapi.yaml --out src/api --check     # in CI: fail when generated code is stale`,
    )
    .action(async (spec: string | undefined, flags: GenerateFlags) => {
      const reporter = context.reporter(flags);
      const jobs = await resolveJobs(spec, flags);
      if (flags.check) {
        const { runCheck } = await import('./check.js');
        let stale = false;
        const command = fixCommand(spec, flags);
        for (const job of jobs) stale = (await runCheck(job, reporter, command)) || stale;
        if (stale) throw new ConcordError('STALE_OUTPUT', 'Generated output is stale (see the list above).', { hint: `Run \`${command}\` and commit the result.` });
        return;
      }
      if (flags.watch) {
        const { runWatch } = await import('./watch.js');
        await runWatch(jobs, reporter, runJob);
        return;
      }
      for (const job of jobs) await runJob(job, reporter);
    });
}

/** The command that regenerates what `--check` compared: the user's own command without --check. */
export function fixCommand(spec: string | undefined, flags: GenerateFlags): string {
  const quote = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);
  const parts = ['concord', 'generate'];
  if (spec !== undefined) parts.push(quote(spec), '--out', quote(flags.out ?? '.'));
  else if (flags.config) parts.push('--config', quote(flags.config));
  if (flags.only) parts.push('--only', quote(flags.only));
  if (!flags.format) parts.push('--no-format');
  return parts.join(' ');
}

export async function resolveJobs(spec: string | undefined, flags: GenerateFlags): Promise<GenerateOptions[]> {
  const targets = parseTargets(flags.only);
  const common = { format: flags.format, validate: flags.validate };
  if (spec !== undefined) {
    if (!flags.out) throw new ConcordError('USAGE', 'Missing --out <dir>: where should the generated code go?', { hint: 'Example: concord generate openapi.yaml --out src/api' });
    return [{ spec, out: path.resolve(flags.out), ...common, ...(targets ? { targets } : {}) }];
  }
  const { findConfig, loadConfig } = await import('../config/load.js');
  const file = flags.config ? path.resolve(flags.config) : findConfig(process.cwd());
  if (!file) {
    throw new ConcordError('CONFIG_NOT_FOUND', 'No spec given and no concord.config.{ts,mjs,json,yaml} in this directory.');
  }
  const configs = await loadConfig(file);
  return configs.map((config) => toOptions(config, targets, flags));
}

function toOptions(config: ResolvedSpecConfig, targets: Target[] | undefined, flags: GenerateFlags): GenerateOptions {
  return {
    spec: config.spec,
    out: config.out,
    format: flags.format && config.format !== false,
    validate: flags.validate && (typeof config.validate === 'object' ? config.validate.spec !== false : config.validate !== false),
    ...(typeof config.validate === 'object' && config.validate.formats ? { formats: config.validate.formats } : {}),
    ...(targets ? { targets } : config.targets ? { targets: config.targets } : {}),
    ...(config.idempotency?.header ? { idempotencyHeader: config.idempotency.header } : {}),
    ...(config.idempotency?.keyed ? { keyedOperations: config.idempotency.keyed } : {}),
    ...(config.pagination ? { pagination: config.pagination } : {}),
    ...(config.streaming?.resumable ? { resumableOperations: config.streaming.resumable } : {}),
    ...(config.overrides ? { overrides: config.overrides } : {}),
    ...(config.split === 'always' ? { splitThreshold: 0 } : config.split === 'never' ? { splitThreshold: Number.POSITIVE_INFINITY } : {}),
    ...(config.alerts ? alertOptions(config.alerts) : {}),
  };
}

/** Config `alerts` → the alerts target's options (percent becomes a ratio) and the IR's critical operations. */
function alertOptions(alerts: NonNullable<ResolvedSpecConfig['alerts']>): Pick<GenerateOptions, 'alerts' | 'criticalOperations'> {
  const { critical, maxRejectionPercent, ...rest } = alerts;
  return {
    alerts: { ...rest, ...(maxRejectionPercent === undefined ? {} : { maxRejectionRatio: maxRejectionPercent / 100 }) },
    ...(critical === undefined ? {} : { criticalOperations: critical }),
  };
}

function parseTargets(only: string | undefined): Target[] | undefined {
  if (only === undefined) return undefined;
  const list = only.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const unknown = list.filter((t) => !(ALL_TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0 || list.length === 0) {
    throw new ConcordError('USAGE', `Unknown target(s) in --only: ${unknown.join(', ') || '(empty)'}.`, { hint: `Choose from: ${ALL_TARGETS.join(', ')}.` });
  }
  return list as Target[];
}

export async function runJob(job: GenerateOptions, reporter: Reporter): Promise<WrittenResult> {
  const { generate } = await import('../generate.js');
  const started = performance.now();
  const result = await generate({ ...job, onStep: (step) => reporter.step(stepLabel(step)) });
  reporter.clearSpinner();
  const { ir, spec, files } = result;
  const callbacks = ir.operations.reduce((n, op) => n + op.callbacks.length, 0);
  reporter.info(
    `${reporter.bold(ir.title)} ${reporter.dim(`v${ir.version}`)} ${reporter.dim(`(${spec.sourceVersion === '2.0' ? 'Swagger 2.0, upgraded' : `OpenAPI ${spec.sourceVersion}`})`)}: ` +
      `${ir.operations.length} operations, ${ir.schemas.length} schemas${ir.webhooks.length ? `, ${ir.webhooks.length} webhooks` : ''}${callbacks ? `, ${callbacks} callbacks` : ''}`,
  );
  reporter.warnings(spec.diagnostics);
  const relative = path.relative(process.cwd(), job.out) || '.';
  reportReplaced(reporter, relative, result.written);
  reporter.info(`${reporter.green('✓')} wrote ${files.length} files to ${relative}/ (${result.targets.join(', ')}) in ${formatMs(performance.now() - started)}`);
  reporter.detail(`  ${Object.entries(result.timings).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
  for (const file of files) reporter.detail(`  ${relative}/${file.path} (${(file.content.length / 1024).toFixed(1)} kB)`);
  return result;
}

/** Never delete or replace silently: name what an earlier run wrote that this one removed, and lost hand edits. */
function reportReplaced(reporter: Reporter, relative: string, written: WriteReport): void {
  const edited = new Set(written.edited);
  if (written.removed.length > 0) {
    reporter.warn(
      `removed ${written.removed.length} file${written.removed.length === 1 ? '' : 's'} an earlier run generated and this one does not (a target left out of --only?):`,
      written.removed.map((file) => `${relative}/${file}${edited.has(file) ? ' (had been edited by hand)' : ''}`),
    );
  }
  const replaced = written.edited.filter((file) => !written.removed.includes(file));
  if (replaced.length > 0) reporter.warn('replaced files that had been edited by hand since concord wrote them:', replaced.map((file) => `${relative}/${file}`));
}

function stepLabel(step: string): string {
  const labels: Record<string, string> = { load: 'loading and validating the spec', model: 'building the model', format: 'formatting', write: 'writing' };
  return labels[step] ?? `generating ${step}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
