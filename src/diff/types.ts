/**
 * The report `concord diff` produces. Its JSON form is published as schemas/diff-report.schema.json; keep the two in
 * step (a test checks the json output against the schema and the rule ids against the registry).
 */

export type Level = 'breaking' | 'warning' | 'info';

/** Which message a change concerns: what the client sends, what the server answers, or the document as a whole. */
export type Direction = 'request' | 'response' | 'document';

export type RuleFamily = 'paths' | 'parameters' | 'request-body' | 'responses' | 'schema' | 'security' | 'deprecation' | 'webhooks' | 'servers' | 'versioning';

export type ReportFormat = 'text' | 'markdown' | 'json' | 'junit' | 'github' | 'html';

export const LEVELS: readonly Level[] = ['breaking', 'warning', 'info'];

/** Higher is more severe. */
export function levelRank(level: Level): number {
  return level === 'breaking' ? 3 : level === 'warning' ? 2 : 1;
}

export interface OperationRef {
  /** Lower-case HTTP method. */
  method: string;
  /** Path template as written on the revision side (the base side when the operation was removed). */
  path: string;
}

export interface Change {
  /** Stable rule id from src/diff/rules/registry.ts. */
  id: string;
  level: Level;
  direction: Direction;
  family: RuleFamily;
  /** One line: where, what changed, and whom it hurts. */
  message: string;
  /** The first affected operation (all of them are in `operations`); absent for document-level changes. */
  operation?: OperationRef;
  operations: OperationRef[];
  /** RFC 6901 pointers into each side's bundled document; absent on the side where the thing does not exist. */
  basePointer?: string;
  revisionPointer?: string;
  impact: {
    /** Generated client functions (`IrOperation.name`) whose calls may need attention; base names when they exist. */
    functions: string[];
    /** Generated types (`IrNamedSchema.name`, or its request/response variant) that contain the change. */
    types: string[];
  };
}

export type Bump = 'major' | 'minor' | 'patch' | 'none' | 'downgrade' | 'unknown';
export type RequiredBump = 'major' | 'minor' | 'patch' | 'none';

export interface VersionCheck {
  base: string;
  revision: string;
  /** What the revision's `info.version` did relative to the base's. */
  bump: Bump;
  /** What semver asks for given the changes (a 0.x API may ship breaking changes in a minor bump). */
  required: RequiredBump;
  /** False when the bump is smaller than required; null when a version is not semver and it cannot be told. */
  ok: boolean | null;
}

export interface SideSummary {
  /** The input as given: a path, a URL or `rev:path`. */
  source: string;
  title: string;
  version: string;
  operations: number;
}

export interface DiffReport {
  reportVersion: 1;
  base: SideSummary;
  revision: SideSummary;
  summary: { breaking: number; warning: number; info: number; total: number };
  versioning: VersionCheck;
  changes: Change[];
}
