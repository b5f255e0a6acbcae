import type { IrDocument, IrNamedSchema, IrOperation } from '../../ir/types.js';
import { ENTRY_POINT_NAMES } from '../../ir/naming.js';
import { allOperations } from '../../ir/walk.js';
import { ZodExprBuilder, type Variant } from '../../zod-expr/build-expr.js';
import type { ZArg, ZExpr } from '../../zod-expr/expr.js';
import { buildOperationExprs, type OperationExprs } from '../../zod-expr/operation-schemas.js';
import { printType, type TypeMode } from './print-type.js';

export interface SchemaNode {
  named: IrNamedSchema;
  variant: Variant;
  /** The const and output type name (`Pet`, `PetRequest`, `PetResponse`). */
  name: string;
}

/**
 * Everything schemas.ts and client.ts print, decided once per document: the zod expression of every named schema
 * and operation, the name of each schema's input type (where zod's input differs from its output: defaults), and
 * which consts other expressions use structurally (`.shape`, `.extend`, discriminated union options), which keep
 * their inferred zod type under a `<Name>$` const.
 */
export interface SchemaModel {
  builder: ZodExprBuilder;
  /** Dependencies first. */
  nodes: SchemaNode[];
  byName: Map<string, SchemaNode>;
  exprs: Map<string, ZExpr>;
  operations: Array<{ operation: IrOperation; exprs: OperationExprs }>;
  structural: Set<string>;
  /** The TypeScript type of an expression, with references to named types (`qualify` prefixes them). */
  typeOf(expr: ZExpr, mode: TypeMode, qualify?: (name: string) => string): string;
  /** The input type name of a named schema (its output name when zod's input and output types agree). */
  inputName(name: string): string;
}

const cache = new WeakMap<IrDocument, SchemaModel>();

export function schemaModel(ir: IrDocument): SchemaModel {
  const cached = cache.get(ir);
  if (cached) return cached;
  const model = buildModel(ir);
  cache.set(ir, model);
  return model;
}

function buildModel(ir: IrDocument): SchemaModel {
  const operationList = allOperations(ir);
  const builder = new ZodExprBuilder(ir.schemas, operationList);
  const collected = collectNodes(ir.schemas);
  const byName = new Map(collected.map((n) => [n.name, n]));
  const exprs = new Map<string, ZExpr>();
  for (const node of collected) exprs.set(node.name, builder.buildNamed(node.named, node.variant));
  const nodes = emitOrder(collected, exprs, byName);
  const operations = operationList.map((operation) => ({ operation, exprs: buildOperationExprs(builder, operation) }));

  const structural = new Set<string>();
  const all = [...exprs.values(), ...operations.flatMap(({ exprs: o }) => [...Object.values(o.params), ...o.body.map((b) => b.e), ...o.responses.map((r) => r.e)])];
  for (const expr of all) findStructural(expr, (name) => {
    if (byName.get(name)?.named.recursive !== true) structural.add(name);
  });

  const inputNames = claimInputNames(nodes, exprs);
  const inputName = (name: string): string => inputNames.get(name) ?? name;
  const typeOf = (expr: ZExpr, mode: TypeMode, qualify: (name: string) => string = (n) => n): string =>
    printType(expr, mode, (name, m) => qualify(m === 'output' ? name : inputName(name)));
  return { builder, nodes, byName, exprs, operations, structural, typeOf, inputName };
}

/**
 * Input type names, for the schemas whose zod input type differs from the output (a default makes a property
 * optional on input), directly or through a reference. Found by iterating to a fixed point, since references may
 * be cyclic.
 */
function claimInputNames(nodes: SchemaNode[], exprs: Map<string, ZExpr>): Map<string, string> {
  const taken = new Set<string>([...ENTRY_POINT_NAMES, ...nodes.map((n) => n.name)]);
  const names = new Map<string, string>();
  const refType = (name: string, mode: TypeMode): string => (mode === 'output' ? name : (names.get(name) ?? name));
  for (let changed = true; changed; ) {
    changed = false;
    for (const node of nodes) {
      if (names.has(node.name)) continue;
      const expr = exprs.get(node.name) as ZExpr;
      if (printType(expr, 'input', refType) === printType(expr, 'output', refType)) continue;
      let name = `${node.name}Input`;
      for (let n = 2; taken.has(name); n++) name = `${node.name}Input${n}`;
      taken.add(name);
      names.set(node.name, name);
      changed = true;
    }
  }
  return names;
}

const STRUCTURAL_METHODS = new Set(['extend', 'unwrap', 'pick', 'omit', 'partial', 'required', 'keyof', 'catchall', 'strict', 'safeExtend']);

/** Refs whose zod type (not just their data type) the expression relies on. */
function findStructural(expr: ZExpr, found: (name: string) => void): void {
  const visitArg = (a: ZArg): void => {
    if (a.k === 'expr') findStructural(a.e, found);
    else if (a.k === 'list') a.items.forEach((e) => findStructural(e, found));
    else if (a.k === 'patterns') a.items.forEach((item) => findStructural(item.e, found));
    else if (a.k === 'shape') {
      for (const s of a.spreads) {
        if (s.k === 'ref') found(s.name);
        else if (s.k === 'chain' && s.base.k === 'ref') found(s.base.name);
        findStructural(s, found);
      }
      a.entries.forEach((entry) => findStructural(entry.e, found));
    }
  };
  switch (expr.k) {
    case 'ref':
      return;
    case 'chain':
      if (expr.base.k === 'ref' && STRUCTURAL_METHODS.has(expr.method)) found(expr.base.name);
      findStructural(expr.base, found);
      expr.args.forEach(visitArg);
      return;
    case 'helper':
      findStructural(expr.base, found);
      expr.args.forEach(visitArg);
      return;
    default:
      if (expr.k === 'z' && expr.fn === 'discriminatedUnion') {
        const options = expr.args[1];
        if (options?.k === 'list') for (const o of options.items) if (o.k === 'ref') found(o.name);
      }
      expr.args.forEach(visitArg);
  }
}

/** The expression with structural uses of `names` pointing at their `<Name>$` const. */
export function withStructuralRefs(expr: ZExpr, names: ReadonlySet<string>): ZExpr {
  const rename = (e: ZExpr): ZExpr => (e.k === 'ref' && names.has(e.name) ? { ...e, name: `${e.name}$` } : e);
  const mapArg = (a: ZArg): ZArg => {
    if (a.k === 'expr') return { k: 'expr', e: withStructuralRefs(a.e, names) };
    if (a.k === 'list') return { k: 'list', items: a.items.map((e) => withStructuralRefs(e, names)) };
    if (a.k === 'patterns') return { k: 'patterns', items: a.items.map((item) => ({ ...item, e: withStructuralRefs(item.e, names) })) };
    if (a.k === 'shape') {
      const spreads = a.spreads.map((s) => (s.k === 'chain' ? { ...s, base: rename(s.base) } : rename(s)));
      return { k: 'shape', spreads, entries: a.entries.map((entry) => ({ ...entry, e: withStructuralRefs(entry.e, names) })) };
    }
    return a;
  };
  switch (expr.k) {
    case 'ref':
    case 'iso':
      return expr;
    case 'chain': {
      const base = STRUCTURAL_METHODS.has(expr.method) && expr.base.k === 'ref' ? rename(expr.base) : withStructuralRefs(expr.base, names);
      return { ...expr, base, args: expr.args.map(mapArg) };
    }
    case 'helper':
      return { ...expr, base: withStructuralRefs(expr.base, names), args: expr.args.map(mapArg) };
    case 'z': {
      if (expr.fn === 'discriminatedUnion') {
        const [first, options, ...rest] = expr.args;
        if (first && options?.k === 'list') return { ...expr, args: [first, { k: 'list', items: options.items.map((o) => withStructuralRefs(rename(o), names)) }, ...rest.map(mapArg)] };
      }
      return { ...expr, args: expr.args.map(mapArg) };
    }
  }
}

function collectNodes(schemas: IrNamedSchema[]): SchemaNode[] {
  const nodes: SchemaNode[] = [];
  for (const named of schemas) {
    nodes.push({ named, variant: 'full', name: named.name });
    if (named.requestName) nodes.push({ named, variant: 'request', name: named.requestName });
    if (named.responseName) nodes.push({ named, variant: 'response', name: named.responseName });
  }
  return nodes;
}

/** Dependencies first (post-order DFS), so every non-lazy reference points at a const already defined. */
function emitOrder(nodes: SchemaNode[], exprs: Map<string, ZExpr>, byName: Map<string, SchemaNode>): SchemaNode[] {
  const order: SchemaNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: SchemaNode): void => {
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

export function exprRefs(expr: ZExpr | undefined, into = new Set<string>()): Set<string> {
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
