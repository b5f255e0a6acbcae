import { ERROR_CODES, formatLocation, type ConcordError } from '../errors.js';
import { formatDiagnostic, type Diagnostic } from '../load/diagnostics.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/** The only place that writes for humans. Colour only on a TTY and never with NO_COLOR. */
export class Reporter {
  readonly colour: boolean;
  private spinner: NodeJS.Timeout | undefined;
  private spinnerText = '';

  constructor(
    readonly verbosity: Verbosity = 'normal',
    private readonly out: NodeJS.WriteStream = process.stdout,
    private readonly err: NodeJS.WriteStream = process.stderr,
  ) {
    this.colour = out.isTTY === true && process.env['NO_COLOR'] === undefined && process.env['TERM'] !== 'dumb';
  }

  private paint(code: number, text: string): string {
    return this.colour ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
  bold = (t: string): string => this.paint(1, t);
  dim = (t: string): string => this.paint(2, t);
  red = (t: string): string => this.paint(31, t);
  green = (t: string): string => this.paint(32, t);
  yellow = (t: string): string => this.paint(33, t);

  info(line: string): void {
    if (this.verbosity === 'quiet') return;
    this.clearSpinner();
    this.out.write(`${line}\n`);
  }

  /** Something the user must know although the command succeeded (a deleted file): stderr, even with --quiet. */
  warn(line: string, items: readonly string[] = []): void {
    this.clearSpinner();
    this.err.write(`${this.yellow('warning')}: ${line}\n${items.map((item) => `  ${item}\n`).join('')}`);
  }

  detail(line: string): void {
    if (this.verbosity === 'verbose') this.info(this.dim(line));
  }

  /** Progress for steps that take a moment: a spinner on a TTY, nothing otherwise (logs stay clean). */
  step(text: string): void {
    if (this.verbosity === 'quiet' || !this.out.isTTY) {
      this.detail(`… ${text}`);
      return;
    }
    this.spinnerText = text;
    if (this.spinner) return;
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let i = 0;
    // Only show after 150 ms so quick steps do not flicker.
    this.spinner = setInterval(() => {
      this.out.write(`\r\u001b[2K${this.dim(`${frames[i++ % frames.length] ?? ''} ${this.spinnerText}`)}`);
    }, 150);
    this.spinner.unref();
  }

  clearSpinner(): void {
    if (!this.spinner) return;
    clearInterval(this.spinner);
    this.spinner = undefined;
    this.out.write('\r\u001b[2K');
  }

  /** Warnings grouped by code with a count, a few examples each; all of them with --verbose. */
  warnings(diagnostics: readonly Diagnostic[]): void {
    const warnings = diagnostics.filter((d) => d.level === 'warning');
    if (warnings.length === 0 || this.verbosity === 'quiet') return;
    this.clearSpinner();
    const byCode = new Map<string, Diagnostic[]>();
    for (const w of warnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
    this.err.write(`${this.yellow(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}`)} (generation went ahead):\n`);
    for (const [code, list] of [...byCode.entries()].sort((a, b) => b[1].length - a[1].length)) {
      this.err.write(`  ${this.yellow(String(list.length).padStart(5))} ${code}\n`);
      const shown = this.verbosity === 'verbose' ? list : list.slice(0, 2);
      for (const d of shown) this.err.write(`        ${this.dim(formatDiagnostic({ ...d, file: undefined as never }))}\n`);
    }
    if (this.verbosity !== 'verbose') this.err.write(this.dim('  (run with --verbose to see every warning)\n'));
  }

  error(error: ConcordError): void {
    this.clearSpinner();
    const where = formatLocation(error.location);
    this.err.write(`${this.red(`error ${error.code}`)}: ${error.message}\n`);
    if (where && error.details.length === 0) this.err.write(`  at ${where}\n`);
    for (const detail of error.details) this.err.write(`${detail.split('\n').map((line) => `  ${line}`).join('\n')}\n`);
    this.err.write(`  ${this.dim('fix:')} ${error.hint}\n`);
  }

  internal(error: unknown): void {
    this.clearSpinner();
    this.err.write(`${this.red('internal error')} (INTERNAL, exit ${ERROR_CODES.INTERNAL.exit}): ${error instanceof Error ? error.message : String(error)}\n`);
    if (this.verbosity === 'verbose' && error instanceof Error && error.stack) this.err.write(`${error.stack}\n`);
    this.err.write(this.dim(`  ${ERROR_CODES.INTERNAL.fix}\n`));
  }
}
