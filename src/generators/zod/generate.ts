import type { IrDocument, IrOperation } from '../../ir/types.js';
import type { ZExpr } from '../../zod-expr/expr.js';
import type { OperationExprs } from '../../zod-expr/operation-schemas.js';
import { namedDoc, safeComment } from '../print/doc.js';
import { printExpr } from '../print/print-expr.js';
import { exprRefs, schemaModel, withStructuralRefs, type SchemaModel, type SchemaNode } from '../print/schema-model.js';
import { moduleNamespace, typeHomes, type ModulePlan } from '../split/plan.js';

/**
 * `schemas.ts`: per named schema (and its request/response variants) a zod const annotated with the type types.ts
 * declares for it (`export const Pet: z.ZodType<Pet, PetInput> = ...`, the type re-exported under the same name),
 * then per-operation validators. The annotation means tsc infers no deep zod type anywhere a schema is used, and
 * hovers show contract names.
 */
export function generateZod(ir: IrDocument): string {
  const model = schemaModel(ir);
  const out: string[] = [];
  let usesHelpers = false;
  const print = (expr: ZExpr): string => {
    const text = printExpr(withStructuralRefs(expr, model.structural));
    if (text.includes('zh.')) usesHelpers = true;
    return text;
  };
  for (const node of model.nodes) out.push(printNode(model, node, print(model.exprs.get(node.name) as ZExpr)));

  for (const { operation, exprs } of model.operations) out.push(printOperationSchemas(model, operation, exprs, print));

  // Every exported const carries its type, written from the same expression as the validator, so a user's tsc
  // reads the declarations and never infers zod's deep generic types: that inference cost ~5x what
  // openapi-typescript's types cost to check (OpenAI contract: 10 s of CPU, 61 s with the annotations checked
  // against it). The annotations are checked against the validators by concord's own tests, over every fixture
  // and document of the corpus, with this directive removed.
  const imports = [NO_CHECK, `import { z } from 'zod/v4';`, `import type * as t from './types.js';`];
  if (usesHelpers) imports.push(`import * as zh from './runtime/zod-helpers.js';`);
  return `${imports.join('\n')}\n\n${out.join('\n')}`;
}

/** `export const <op>Schemas: { ... } = { ... };` */
function printOperationSchemas(model: SchemaModel, operation: IrOperation, exprsOf: OperationExprs, print: (expr: ZExpr) => string, qualify?: (name: string) => string): string {
  const fields: string[] = [];
  for (const [location, expr] of Object.entries(exprsOf.params)) fields.push(`${location}: ${print(expr)}`);
  if (exprsOf.body.length > 0) fields.push(`body: { ${exprsOf.body.map((b) => `${JSON.stringify(b.mediaType)}: ${print(b.e)}`).join(', ')} }`);
  const statuses = new Map<string, string[]>();
  for (const response of exprsOf.responses) {
    const list = statuses.get(response.status) ?? [];
    list.push(`${JSON.stringify(response.mediaType)}: ${print(response.e)}`);
    statuses.set(response.status, list);
  }
  fields.push(`responses: { ${[...statuses.entries()].map(([status, list]) => `${JSON.stringify(status)}: { ${list.join(', ')} }`).join(', ')} }`);
  return `/** Validators of \`${operation.method.toUpperCase()} ${safeComment(operation.path)}\`. */\nexport const ${operation.name}Schemas: ${operationSchemasType(model, exprsOf, qualify)} = { ${fields.join(', ')} };\n`;
}

/**
 * The split form of schemas.ts (see ModulePlan): `schemas/<module>.ts` per module with its schemas' validators
 * and its operations' validators, importing what they use from `shared`; schemas.ts re-exports them all.
 */
export function generateZodModules(ir: IrDocument, plan: ModulePlan): Array<{ path: string; content: string }> {
  const model = schemaModel(ir);
  const homes = typeHomes(model, plan);
  const files: Array<{ path: string; content: string }> = [];
  const written: string[] = [];
  for (const module of plan.modules) {
    const nodes = model.nodes.filter((node) => plan.homeOf(node.name) === module);
    const operations = model.operations.filter(({ operation }) => plan.moduleOf(operation) === module);
    if (nodes.length === 0 && operations.length === 0) continue;
    const values = new Set<string>();
    const typeModules = new Set<string>();
    const print = (expr: ZExpr): string => {
      const renamed = withStructuralRefs(expr, model.structural);
      for (const ref of exprRefs(renamed)) values.add(ref);
      return printExpr(renamed);
    };
    const qualify = (name: string): string => {
      const home = homes.get(name) ?? module;
      if (home === module) return name;
      typeModules.add(home);
      return `${moduleNamespace('t', home)}.${name}`;
    };
    const body = [
      ...nodes.map((node) => printNode(model, node, print(model.exprs.get(node.name) as ZExpr), true)),
      ...operations.map(({ operation, exprs }) => printOperationSchemas(model, operation, exprs, print, qualify)),
    ];
    const imports = [NO_CHECK, `import { z } from 'zod/v4';`];
    if (nodes.length > 0) imports.push(`import type * as t from '../types/${module}.js';`);
    for (const home of [...typeModules].sort()) imports.push(`import type * as ${moduleNamespace('t', home)} from '../types/${home}.js';`);
    const byModule = new Map<string, string[]>();
    for (const ref of [...values].sort()) {
      const home = plan.homeOf(ref.endsWith('$') ? ref.slice(0, -1) : ref);
      if (home !== module) byModule.set(home, [...(byModule.get(home) ?? []), ref]);
    }
    for (const [home, names] of [...byModule.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) imports.push(`import { ${names.join(', ')} } from './${home}.js';`);
    if (body.some((text) => text.includes('zh.'))) imports.push(`import * as zh from '../runtime/zod-helpers.js';`);
    files.push({ path: `schemas/${module}.ts`, content: `${imports.join('\n')}\n\n${body.join('\n')}` });
    written.push(module);
  }
  files.push({ path: 'schemas.ts', content: `${written.map((module) => `export * from './schemas/${module}.js';`).join('\n')}\n` });
  return files;
}

/** First line of schemas.ts; tests that check the annotations against the validators remove it. */
export const NO_CHECK =
  "// @ts-nocheck -- every export is declared with its type (checked against the validators by concord's tests), so tsc reads declarations instead of inferring zod's types.";

/** `{ readonly header: z.ZodType<...>; readonly body: { ... }; readonly responses: { ... } }` */
function operationSchemasType(model: SchemaModel, exprs: OperationExprs, qualify?: (name: string) => string): string {
  const zodType = (expr: ZExpr): string => (expr.k === 'ref' ? `typeof ${expr.name}` : `z.ZodType<${model.typeOf(expr, 'output', qualify)}, ${model.typeOf(expr, 'input', qualify)}>`);
  const fields: string[] = [];
  for (const [location, expr] of Object.entries(exprs.params)) fields.push(`readonly ${location}: ${zodType(expr)}`);
  if (exprs.body.length > 0) fields.push(`readonly body: { ${exprs.body.map((b) => `readonly ${JSON.stringify(b.mediaType)}: ${zodType(b.e)}`).join('; ')} }`);
  const statuses = new Map<string, string[]>();
  for (const response of exprs.responses) statuses.set(response.status, [...(statuses.get(response.status) ?? []), `readonly ${JSON.stringify(response.mediaType)}: ${zodType(response.e)}`]);
  fields.push(`readonly responses: { ${[...statuses.entries()].map(([status, list]) => `readonly ${JSON.stringify(status)}: { ${list.join('; ')} }`).join('; ')} }`);
  return `{ ${fields.join('; ')} }`;
}

/** The const of one named schema, with its types re-exported from types.ts under the same name. */
function printNode(model: SchemaModel, node: SchemaNode, body: string, exportStructural = false): string {
  const doc = namedDoc(node);
  const input = model.inputName(node.name);
  const lines = [doc, `export type ${node.name} = t.${node.name};`];
  if (input !== node.name) lines.push(`export type ${input} = t.${input};`);
  const annotation = `z.ZodType<t.${node.name}, t.${input}>`;
  if (node.named.recursive) {
    lines.push(doc, `export const ${node.name}: ${annotation} = z.lazy(() => ${body});`);
  } else if (model.structural.has(node.name)) {
    // Other schemas spread or extend this one, which needs its zod object type: kept, inferred, under `<Name>$`.
    // Split output exports it: another module may extend it.
    lines.push(`${exportStructural ? 'export ' : ''}const ${node.name}$ = ${body};`, doc, `export const ${node.name}: ${annotation} = ${node.name}$;`);
  } else {
    lines.push(doc, `export const ${node.name}: ${annotation} = ${body};`);
  }
  return `${lines.join('\n')}\n`;
}
