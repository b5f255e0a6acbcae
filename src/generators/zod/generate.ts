import type { IrDocument, IrNamedSchema, IrOperation } from '../../ir/types.js';
import { ZodExprBuilder, type Variant } from './build-expr.js';
import type { ZArg, ZExpr } from './expr.js';
import { buildOperationExprs } from './operation-schemas.js';
import { printExpr } from './print-expr.js';
import { printType } from './print-type.js';

interface Node {
  named: IrNamedSchema;
  variant: Variant;
  name: string;
}

/** `schemas.ts`: a zod schema per named schema (and its request/response variants), then per-operation validators. */
export function generateZod(ir: IrDocument): string {
  const operations = allOperations(ir);
  const builder = new ZodExprBuilder(ir.schemas, operations);
  const nodes = collectNodes(ir.schemas);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const exprs = new Map<string, ZExpr>();
  for (const node of nodes) exprs.set(node.name, builder.buildNamed(node.named, node.variant));

  const out: string[] = [];
  let usesHelpers = false;
  const note = (text: string): void => {
    if (text.includes('zh.')) usesHelpers = true;
  };
  for (const node of emitOrder(nodes, exprs, byName)) {
    const expr = exprs.get(node.name) as ZExpr;
    const body = printExpr(expr);
    note(body);
    out.push(docComment(node));
    if (node.named.recursive) {
      const refType = (name: string, mode: 'output' | 'input'): string =>
        mode === 'output' ? name : byName.get(name)?.named.recursive ? `${name}$Input` : `z.input<typeof ${name}>`;
      out.push(`export type ${node.name} = ${printType(expr, 'output', refType)};`);
      out.push(`export type ${node.name}$Input = ${printType(expr, 'input', refType)};`);
      out.push(`export const ${node.name}: z.ZodType<${node.name}, ${node.name}$Input> = z.lazy(() => ${body});`);
    } else {
      out.push(`export const ${node.name} = ${body};`);
      out.push(`export type ${node.name} = z.output<typeof ${node.name}>;`);
    }
    out.push('');
  }

  for (const operation of operations) {
    const exprsOf = buildOperationExprs(builder, operation);
    const fields: string[] = [];
    for (const [location, expr] of Object.entries(exprsOf.params)) fields.push(`${location}: ${printExpr(expr)}`);
    if (exprsOf.body.length > 0) fields.push(`body: { ${exprsOf.body.map((b) => `${JSON.stringify(b.mediaType)}: ${printExpr(b.e)}`).join(', ')} }`);
    const statuses = new Map<string, string[]>();
    for (const response of exprsOf.responses) {
      const list = statuses.get(response.status) ?? [];
      list.push(`${JSON.stringify(response.mediaType)}: ${printExpr(response.e)}`);
      statuses.set(response.status, list);
    }
    fields.push(`responses: { ${[...statuses.entries()].map(([status, list]) => `${JSON.stringify(status)}: { ${list.join(', ')} }`).join(', ')} }`);
    const text = `/** Validators of \`${operation.method.toUpperCase()} ${safeComment(operation.path)}\`. */\nexport const ${operation.name}Schemas = { ${fields.join(', ')} } as const;\n`;
    note(text);
    out.push(text);
  }

  const imports = [`import { z } from 'zod/v4';`];
  if (usesHelpers) imports.push(`import * as zh from './runtime/zod-helpers.js';`);
  return `${imports.join('\n')}\n\n${out.join('\n')}`;
}

/** Operations, webhooks and callbacks: everything that gets a `<name>Schemas` const. */
export function allOperations(ir: IrDocument): IrOperation[] {
  return [...ir.operations, ...ir.webhooks, ...ir.operations.flatMap((op) => op.callbacks.flatMap((cb) => cb.operations))];
}

function collectNodes(schemas: IrNamedSchema[]): Node[] {
  const nodes: Node[] = [];
  for (const named of schemas) {
    nodes.push({ named, variant: 'full', name: named.name });
    if (named.requestName) nodes.push({ named, variant: 'request', name: named.requestName });
    if (named.responseName) nodes.push({ named, variant: 'response', name: named.responseName });
  }
  return nodes;
}

/** Dependencies first (post-order DFS), so every non-lazy reference points at a const already defined. */
function emitOrder(nodes: Node[], exprs: Map<string, ZExpr>, byName: Map<string, Node>): Node[] {
  const order: Node[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: Node): void => {
    if (state.has(node.name)) return;
    state.set(node.name, 'visiting');
    for (const dep of [...exprRefs(exprs.get(node.name))].sort()) {
      const target = byName.get(dep);
      if (target) visit(target);
    }
    state.set(node.name, 'done');
    order.push(node);
  };
  nodes.forEach(visit);
  return order;
}

function exprRefs(expr: ZExpr | undefined, into = new Set<string>()): Set<string> {
  if (!expr) return into;
  const visitArg = (a: ZArg): void => {
    if (a.k === 'expr') exprRefs(a.e, into);
    else if (a.k === 'list') a.items.forEach((e) => exprRefs(e, into));
    else if (a.k === 'shape') {
      a.spreads.forEach((e) => exprRefs(e, into));
      a.entries.forEach((entry) => exprRefs(entry.e, into));
    } else if (a.k === 'patterns') a.items.forEach((item) => exprRefs(item.e, into));
  };
  switch (expr.k) {
    case 'ref':
      into.add(expr.name);
      break;
    case 'chain':
    case 'helper':
      exprRefs(expr.base, into);
      expr.args.forEach(visitArg);
      break;
    default:
      expr.args.forEach(visitArg);
  }
  return into;
}

/** Text that is safe inside a block comment. */
export function safeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\r?\n/g, ' ');
}

function docComment(node: Node): string {
  const { named, variant } = node;
  const what = variant === 'full' ? '' : variant === 'request' ? ' (request shape: readOnly properties ignored and dropped)' : ' (response shape: writeOnly properties ignored and dropped)';
  const description = named.schema.description ? ` ${safeComment(named.schema.description.split('\n')[0] ?? '')}` : '';
  return `/** \`${safeComment(named.originalName)}\`${what}.${description} */`;
}

