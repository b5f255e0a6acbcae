import type { IrDocument, IrOperation } from '../../ir/types.js';
import { allOperations } from '../../ir/walk.js';
import type { ZExpr } from '../../zod-expr/expr.js';
import { exprRefs, schemaModel, type SchemaModel } from '../print/schema-model.js';

/**
 * How a large contract's output is split into modules: one per tag (its operations, and the schemas only that
 * tag's operations use) plus `shared` (schemas several tags use, or no operation uses). A user importing one
 * resource then type-checks and bundles that tag's module and `shared`, not the whole contract, and every file
 * stays small enough for prettier and for review.
 *
 * Dependencies only point at the module itself or at `shared`, and `shared` only at itself: a schema that `shared`
 * references is reached from everywhere `shared`'s schema is, so it is shared too. The validators' modules
 * therefore import without cycles, and each keeps the single file's emit order (dependencies first).
 */
export interface ModulePlan {
  /** Module names (file stems), `shared` first, then the tag modules in sorted order. */
  modules: string[];
  /** The module a named schema (any variant) lives in. */
  homeOf(name: string): string;
  /** The module an operation (and its validators, spec and function) lives in. */
  moduleOf(op: IrOperation): string;
}

export const SHARED_MODULE = 'shared';

/**
 * Contracts with at least this many named schemas and operations together are split; below it the output stays
 * one file per target (an output around 250 KB, which prettier formats in about a second).
 */
export const SPLIT_THRESHOLD = 250;

/** Stems no tag may take: the shared module, the types' `paths` module, and names Windows reserves for devices. */
const RESERVED_STEMS = new Set([SHARED_MODULE, 'paths', 'index', 'con', 'prn', 'aux', 'nul', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`com${n}`, `lpt${n}`])]);

/**
 * A tag's file stem: lower-case ASCII letters, digits and dashes, at most 60 characters. Tags that differ only in
 * case or punctuation share a module (harmless, and stable whatever order the contract lists them in).
 */
export function moduleStem(tag: string | undefined): string {
  const ascii = (tag ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const stem = ascii.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  if (stem === '') return 'default';
  return RESERVED_STEMS.has(stem) ? `${stem}-tag` : stem;
}

const plans = new WeakMap<IrDocument, { threshold: number; plan: ModulePlan | undefined }>();

/** The document's module plan (the same object for every generator), or undefined when the output stays whole. */
export function modulePlan(ir: IrDocument, threshold = SPLIT_THRESHOLD): ModulePlan | undefined {
  const cached = plans.get(ir);
  if (cached?.threshold === threshold) return cached.plan;
  const plan = planModules(ir, schemaModel(ir), allOperations(ir), threshold);
  plans.set(ir, { threshold, plan });
  return plan;
}

export function planModules(ir: IrDocument, model: SchemaModel, operations: readonly IrOperation[], threshold = SPLIT_THRESHOLD): ModulePlan | undefined {
  if (model.nodes.length + ir.operations.length < threshold) return undefined;
  const moduleOf = (op: IrOperation): string => moduleStem(op.tags[0]);
  const reach = new Map<string, Set<string>>();
  const visit = (name: string, module: string): void => {
    const seen = reach.get(name) ?? new Set<string>();
    if (seen.has(module)) return;
    seen.add(module);
    reach.set(name, seen);
    for (const dep of exprRefs(model.exprs.get(name))) if (model.byName.has(dep)) visit(dep, module);
  };
  for (const { operation, exprs } of model.operations) {
    const roots: ZExpr[] = [...Object.values(exprs.params), ...exprs.body.map((b) => b.e), ...exprs.responses.map((r) => r.e)];
    for (const root of roots) for (const name of exprRefs(root)) if (model.byName.has(name)) visit(name, moduleOf(operation));
  }
  // Schemas no operation uses live in `shared`, and so does everything they use (else `shared` would import a tag).
  for (const node of model.nodes) if (!reach.has(node.name)) visit(node.name, SHARED_MODULE);
  const homeOf = (name: string): string => {
    const modules = reach.get(name);
    return modules?.size === 1 ? ([...modules][0] ?? SHARED_MODULE) : SHARED_MODULE;
  };
  const tagModules = new Set(operations.map(moduleOf));
  for (const node of model.nodes) tagModules.add(homeOf(node.name));
  tagModules.delete(SHARED_MODULE);
  return { modules: [SHARED_MODULE, ...[...tagModules].sort()], homeOf, moduleOf };
}

/** A valid identifier for a module's namespace import (`t_vector_stores`), never a schema or operation name. */
export function moduleNamespace(prefix: string, module: string): string {
  return `${prefix}_${module.replace(/-/g, '_')}`;
}

/** The module of every type name: a schema's output and input types live where its validator does. */
export function typeHomes(model: SchemaModel, plan: ModulePlan): Map<string, string> {
  const homes = new Map<string, string>();
  for (const node of model.nodes) {
    const home = plan.homeOf(node.name);
    homes.set(node.name, home).set(model.inputName(node.name), home);
  }
  return homes;
}
