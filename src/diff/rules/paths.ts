import type { IrOperation } from '../../ir/types.js';
import { attribute, type DiffContext, type Finding } from '../context.js';
import { compareParameters } from './parameters.js';
import { compareRequestBodies } from './request-body.js';
import { compareResponses } from './responses.js';
import { collectWithPairs } from './schema-graph.js';
import { compareLifecycle, removalRule } from './deprecation.js';
import { compareCallbacks } from './webhooks.js';
import { compareOperationSecurity } from './security.js';

/** Paths family: which operations exist. Operations match on method + path template with parameter names blanked. */

export function normalisePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

function pathPointer(op: IrOperation): string {
  return op.pointer.slice(0, op.pointer.lastIndexOf('/'));
}

const label = (op: IrOperation): string => `\`${op.method.toUpperCase()} ${op.path}\``;

function groupBy(operations: IrOperation[], key: (op: IrOperation) => string): Map<string, IrOperation[]> {
  const groups = new Map<string, IrOperation[]>();
  for (const op of operations) {
    const k = key(op);
    const list = groups.get(k);
    if (list) list.push(op);
    else groups.set(k, [op]);
  }
  return groups;
}

export function comparePaths(ctx: DiffContext): void {
  const basePaths = groupBy(ctx.base.ir.operations, (op) => normalisePath(op.path));
  const revisionPaths = groupBy(ctx.revision.ir.operations, (op) => normalisePath(op.path));
  for (const [path, ops] of basePaths) {
    if (revisionPaths.has(path)) continue;
    const first = ops[0] as IrOperation;
    const deprecated = ops.every((op) => op.deprecated);
    const rule = ops.some((op) => removalRule(ctx, op, 'x', 'y') === 'operation-removed-before-sunset') ? 'operation-removed-before-sunset' : deprecated ? 'deprecated-path-removed' : 'path-removed';
    const finding = ctx.emit(rule, 'request', `\`${first.path}\``, `path removed with ${ops.map((op) => op.method.toUpperCase()).join(', ')}`, { base: pathPointer(first) });
    for (const op of ops) attribute([finding], op, undefined);
  }
  for (const [path, ops] of revisionPaths) {
    if (basePaths.has(path)) continue;
    const first = ops[0] as IrOperation;
    const finding = ctx.emit('path-added', 'request', `\`${first.path}\``, `path added with ${ops.map((op) => op.method.toUpperCase()).join(', ')}`, { revision: pathPointer(first) });
    for (const op of ops) attribute([finding], undefined, op);
  }
  for (const [path, baseOps] of basePaths) {
    const revisionOps = revisionPaths.get(path);
    if (!revisionOps) continue;
    const remaining = [...revisionOps];
    const take = (predicate: (op: IrOperation) => boolean): IrOperation | undefined => {
      const index = remaining.findIndex(predicate);
      return index < 0 ? undefined : remaining.splice(index, 1)[0];
    };
    // The exact template first, so two templates that blank to the same one still pair up sensibly.
    const pairs: Array<[IrOperation, IrOperation | undefined]> = baseOps.map((op) => [op, take((other) => other.method === op.method && other.path === op.path)]);
    for (const pair of pairs) pair[1] ??= take((other) => other.method === pair[0].method);
    for (const [base, revision] of pairs) {
      if (revision) compareOperation(ctx, base, revision);
      else {
        const finding = ctx.emit(removalRule(ctx, base, 'deprecated-operation-removed', 'operation-removed'), 'request', label(base), 'operation removed', { base: base.pointer });
        attribute([finding], base, undefined);
      }
    }
    for (const revision of remaining) attribute([ctx.emit('operation-added', 'request', label(revision), 'operation added', { revision: revision.pointer })], undefined, revision);
  }
}

function compareOperation(ctx: DiffContext, base: IrOperation, revision: IrOperation): void {
  collectWithPairs(ctx, () => compareOperationParts(ctx, base, revision), (findings) => attribute(findings, base, revision));
}

function compareOperationParts(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const findings: Finding[] = [];
  const pointers = { base: base.pointer, revision: revision.pointer };
  if (!base.deprecated && revision.deprecated) findings.push(ctx.emit('operation-deprecated', 'request', label(revision), 'operation deprecated', pointers));
  if (base.name !== revision.name) {
    findings.push(ctx.emit('operation-renamed', 'request', label(revision), `generated function \`${base.name}\` is now \`${revision.name}\` (operationId ${base.operationId ?? 'none'} -> ${revision.operationId ?? 'none'})`, pointers));
  }
  findings.push(...compareParameters(ctx, base, revision));
  findings.push(...compareRequestBodies(ctx, base, revision));
  findings.push(...compareResponses(ctx, base, revision));
  findings.push(...compareOperationSecurity(ctx, base, revision));
  findings.push(...compareLifecycle(ctx, base, revision));
  findings.push(...compareCallbacks(ctx, base, revision));
  for (const tag of base.tags) if (!revision.tags.includes(tag)) findings.push(ctx.emit('operation-tag-removed', 'request', label(revision), `tag ${JSON.stringify(tag)} removed`, pointers));
  for (const tag of revision.tags) if (!base.tags.includes(tag)) findings.push(ctx.emit('operation-tag-added', 'request', label(revision), `tag ${JSON.stringify(tag)} added`, pointers));
  return findings;
}
