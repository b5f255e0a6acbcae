import type { IrDocument } from '../ir/types.js';
import { createContext, type DiffOptions, type Finding } from './context.js';
import { decisionFor, inProfile, type Profile } from './rules/registry.js';
import { compareComponentSchemas } from './rules/components.js';
import { comparePaths } from './rules/paths.js';
import { finishPairs } from './rules/schema-graph.js';
import { compareServers, compareWebhooks } from './rules/webhooks.js';
import { compareSecuritySchemes } from './rules/security.js';
import { checkVersioning } from './rules/versioning.js';
import { levelRank, type Change, type DiffReport, type OperationRef } from './types.js';

const METHOD_ORDER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'];

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOps(a: OperationRef | undefined, b: OperationRef | undefined): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return compareText(a.path, b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method);
}

function toChange(finding: Finding, profile: Profile): Change {
  const decision = decisionFor(finding.rule, finding.direction, profile);
  const ops = [...finding.operations.values()].sort(compareOps);
  const operations = ops.map(({ method, path }) => ({ method, path }));
  const change: Change = { id: finding.rule.id, level: decision.level, direction: finding.direction, family: finding.rule.family, message: finding.message, operations, impact: { functions: [], types: [] } };
  const [first] = operations;
  if (first) change.operation = first;
  if (finding.basePointer !== undefined) change.basePointer = finding.basePointer;
  if (finding.revisionPointer !== undefined) change.revisionPointer = finding.revisionPointer;
  change.impact = { functions: [...new Set(ops.map((op) => op.function))].sort(compareText), types: [...finding.types].sort(compareText) };
  return change;
}

function order(a: Change, b: Change): number {
  return (
    levelRank(b.level) - levelRank(a.level) ||
    compareOps(a.operation, b.operation) ||
    compareText(a.direction, b.direction) ||
    compareText(a.id, b.id) ||
    compareText(a.message, b.message) ||
    compareText(a.basePointer ?? '', b.basePointer ?? '') ||
    compareText(a.revisionPointer ?? '', b.revisionPointer ?? '')
  );
}

/** Compare two IR documents. Pure: the same two documents always give the same report. */
export function diffDocuments(base: IrDocument, revision: IrDocument, sources: { base: string; revision: string }, options: DiffOptions = {}, raw: { base?: unknown; revision?: unknown } = {}): DiffReport {
  const profile: Profile = options.profile ?? 'concord';
  const ctx = createContext(base, revision, options, raw);
  comparePaths(ctx);
  compareSecuritySchemes(ctx);
  compareWebhooks(ctx);
  compareServers(ctx);
  compareComponentSchemas(ctx);
  finishPairs(ctx);
  const versioning = checkVersioning(ctx);
  const changes = ctx.findings().filter((finding) => inProfile(finding.rule, profile, finding.direction)).map((finding) => toChange(finding, profile)).sort(order);
  const count = (level: Change['level']): number => changes.filter((change) => change.level === level).length;
  return {
    reportVersion: 1,
    base: { source: sources.base, title: base.title, version: base.version, operations: base.operations.length },
    revision: { source: sources.revision, title: revision.title, version: revision.version, operations: revision.operations.length },
    summary: { breaking: count('breaking'), warning: count('warning'), info: count('info'), total: changes.length },
    versioning,
    changes,
  };
}
