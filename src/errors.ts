/**
 * One error class for everything concord reports to a user. The code is stable (scripts and docs refer to it);
 * the catalogue below says, per code, what causes it and what fixes it. Only the CLI turns these into exit codes.
 */
export const ERROR_CODES = {
  SPEC_NOT_FOUND: {
    exit: 2,
    cause: 'The spec path or URL does not exist or could not be fetched.',
    fix: 'Check the path (relative to the current directory) or the URL, and that the file is readable.',
  },
  SPEC_PARSE: {
    exit: 2,
    cause: 'The document is not valid JSON or YAML.',
    fix: 'Fix the syntax at the reported line; a YAML linter shows the exact spot.',
  },
  SPEC_NOT_OPENAPI: {
    exit: 2,
    cause: 'The document has neither a `swagger: "2.0"` nor an `openapi: 3.x` field.',
    fix: 'Point concord at the root OpenAPI document, not at a schema fragment or another kind of file.',
  },
  SPEC_UNSUPPORTED_VERSION: {
    exit: 2,
    cause: 'The document declares a version concord cannot read (for example Swagger 1.2 or OpenAPI 4).',
    fix: 'Convert it to OpenAPI 3.x (or Swagger 2.0) first.',
  },
  SPEC_REF: {
    exit: 2,
    cause: 'A `$ref` points at a file or JSON pointer that does not exist.',
    fix: 'Correct the `$ref` at the reported location, or add the missing file/definition.',
  },
  SPEC_CONTRACT: {
    exit: 2,
    cause: 'The contract has faults no generator or mock can work around: a broken `$ref`, a duplicate operationId, a path `{name}` with no path parameter (or the reverse), an unknown schema `type`.',
    fix: 'Fix each listed location (the closest existing name is suggested), or, for a contract you cannot edit, add the `overrides` entry printed under each fault to concord.config.*.',
  },
  SPEC_INVALID: {
    exit: 2,
    cause: 'The document breaks the OpenAPI structure in a way that makes generation impossible.',
    fix: 'Fix the reported location; warnings alone never stop generation.',
  },
  CONFIG_NOT_FOUND: {
    exit: 2,
    cause: 'No spec was given and no concord.config.{ts,mjs,json,yaml} was found, or --config names a missing file.',
    fix: 'Pass a spec (`concord generate openapi.yaml --out src/api`) or create a concord.config.ts with defineConfig.',
  },
  CONFIG_INVALID: {
    exit: 2,
    cause: 'The config file has an unknown key, a wrong type, or could not be evaluated.',
    fix: 'Fix the reported key; `defineConfig` in a .ts config gives editor completion for every option.',
  },
  USAGE: {
    exit: 2,
    cause: 'A command-line option is missing or has an invalid value.',
    fix: 'See `concord <command> --help`.',
  },
  OUTPUT_WRITE: {
    exit: 2,
    cause: 'The output directory could not be written (permissions, disk full, or a file where a directory is needed).',
    fix: 'Check the --out path and its permissions; the previous output is left untouched.',
  },
  OUTPUT_READ: {
    exit: 2,
    cause: 'The output directory (or a file in it) could not be read, so `--check` cannot compare it.',
    fix: 'Check the --out path and its permissions (`ls -ld <dir>`); it must be a readable directory.',
  },
  PORT_UNAVAILABLE: {
    exit: 2,
    cause: 'The mock could not listen on the requested port: another process uses it, or it needs privileges.',
    fix: 'Pick another port (`--port 4011`), or `--port 0` for any free one; `lsof -i :<port>` shows who holds it.',
  },
  STALE_OUTPUT: {
    exit: 1,
    cause: '`concord generate --check` found generated files that differ from what the spec produces.',
    fix: 'Run `concord generate` and commit the result.',
  },
  DIFF_BREAKING: {
    exit: 1,
    cause: '`concord diff` found breaking changes, and --fail-on is breaking, warning or info.',
    fix: 'Review the listed changes; ship breaking ones as a new major version.',
  },
  DIFF_WARNING: {
    exit: 1,
    cause: '`concord diff --fail-on warning` (or info) found warnings and nothing breaking.',
    fix: 'Review the listed warnings (changes that may break some clients), or gate on --fail-on breaking.',
  },
  DIFF_INFO: {
    exit: 1,
    cause: '`concord diff --fail-on info` found changes, all of them info level.',
    fix: 'Review the listed changes, or gate on --fail-on warning or breaking.',
  },
  DLQ_STORE: {
    exit: 2,
    cause: 'The dead-letter store (a folder, or a postgres:// table) does not exist, could not be opened, or contains a torn record.',
    fix: 'Check --store (and --table); concord dlq never creates a store. Torn tails are reported with their byte offset and can be inspected by hand.',
  },
  VERIFY_FAILED: {
    exit: 1,
    cause: '`concord verify` found answers that break the contract, in checks selected by --fail-on.',
    fix: 'Each failure names its check, a runnable curl line and the JSON pointer of the violation; fix the provider (or the contract).',
  },
  VERIFY_UNREACHABLE: {
    exit: 2,
    cause: '`concord verify` could not connect to --base-url (nothing listens there, DNS or TLS failed).',
    fix: 'Start the provider first and check --base-url (scheme, host, port and any base path the contract names).',
  },
  INTERNAL: {
    exit: 3,
    cause: 'An unexpected failure inside concord (not caused by the input as far as concord can tell).',
    fix: 'Re-run with --verbose and report the output with the command and, if you can, the contract.',
  },
} as const satisfies Record<string, { exit: ExitCode; cause: string; fix: string }>;

/** 0 success; 1 a check failed; 2 invalid input (spec, config, option, environment); 3 internal error. */
export type ExitCode = 1 | 2 | 3;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorLocation {
  /** File path or URL of the document the problem is in. */
  file?: string;
  /** RFC 6901 JSON pointer inside that document. */
  pointer?: string;
  line?: number;
  column?: number;
}

export class ConcordError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;
  readonly hint: string;
  /** One entry per finding when an error reports several (every broken $ref, not "and 4 more"). */
  readonly details: readonly string[];

  constructor(code: ErrorCode, message: string, options: { location?: ErrorLocation; hint?: string; cause?: unknown; details?: readonly string[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConcordError';
    this.code = code;
    this.location = options.location;
    this.hint = options.hint ?? ERROR_CODES[code].fix;
    this.details = options.details ?? [];
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }
}

export function formatLocation(location: ErrorLocation | undefined): string {
  if (!location) return '';
  const parts: string[] = [];
  if (location.file) {
    parts.push(location.line === undefined ? location.file : `${location.file}:${location.line}${location.column === undefined ? '' : `:${location.column}`}`);
  }
  if (location.pointer !== undefined) parts.push(`#${location.pointer}`);
  return parts.join(' ');
}

export function isConcordError(value: unknown): value is ConcordError {
  return value instanceof ConcordError;
}
