import type { IrDocument, IrOperation, ParameterLocation } from '../../ir/types.js';
import type { ZExpr } from '../../zod-expr/expr.js';
import { printKey } from '../print/print-expr.js';
import { jsDoc, namedDoc } from '../print/doc.js';
import { schemaModel, type SchemaModel, type SchemaNode } from '../print/schema-model.js';
import type { OperationExprs } from '../../zod-expr/operation-schemas.js';
import { typeHomes, type ModulePlan } from '../split/plan.js';

/**
 * `types.ts`, derived from the IR: the one declaration of every schema's TypeScript type (`Payment`, and
 * `PaymentRequest`/`PaymentInput` where readOnly, writeOnly or defaults make the shapes differ), which the
 * validators, the client and the server all use; then openapi-typescript's `paths` / `operations` /
 * `components` shape over those same types, for openapi-fetch and code written against it.
 *
 * Why not openapi-typescript's own output: a second, independent translation of every schema disagreed with the
 * validators in places (see the type-agreement test), failed to compile on real contracts (`WithRequired<…>` over a
 * nullable base: TS2344), and doubled what a user's tsc checks.
 */
export function generateTypes(ir: IrDocument): string {
  const model = schemaModel(ir);
  const out: string[] = [];
  for (const node of model.nodes) out.push(printNamedType(model, node));
  const exprsOf = new Map(model.operations.map((o) => [o.operation, o.exprs]));
  const operationKeys = operationsByKey(ir.operations);
  out.push(printComponents(ir));
  out.push(printPaths(model, ir, exprsOf, operationKeys));
  out.push(printOperations(model, exprsOf, operationKeys));
  out.push('export type webhooks = Record<string, never>;', 'export type $defs = Record<string, never>;', '');
  return out.join('\n');
}

function printNamedType(model: SchemaModel, node: SchemaNode, used?: Set<string>): string {
  const expr = model.exprs.get(node.name) as ZExpr;
  const typeOf = (mode: 'input' | 'output'): string => model.typeOf(expr, mode, (name) => (used?.add(name), name));
  const lines = [namedDoc(node), declareType(node.name, expr, typeOf('output'))];
  const input = model.inputName(node.name);
  if (input !== node.name) lines.push(`/** What ${node.name}'s validator accepts (defaults not yet filled in). */`, declareType(input, expr, typeOf('input')));
  return `${lines.join('\n')}\n`;
}

/**
 * The split form of types.ts (see ModulePlan): `types/<module>.ts` per module with its named types,
 * `types/paths.ts` with openapi-typescript's shape, and types.ts re-exporting them all.
 */
export function generateTypeModules(ir: IrDocument, plan: ModulePlan): Array<{ path: string; content: string }> {
  const model = schemaModel(ir);
  const homes = typeHomes(model, plan);
  const importsOf = (used: Set<string>, self: string | undefined): string[] => {
    const byModule = new Map<string, string[]>();
    for (const name of [...used].sort()) {
      const home = homes.get(name);
      if (home !== undefined && home !== self) byModule.set(home, [...(byModule.get(home) ?? []), name]);
    }
    return [...byModule.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([module, names]) => `import type { ${names.join(', ')} } from './${module}.js';`);
  };
  const files: Array<{ path: string; content: string }> = [];
  const modules = plan.modules.filter((module) => model.nodes.some((node) => plan.homeOf(node.name) === module));
  for (const module of modules) {
    const used = new Set<string>();
    const body = model.nodes.filter((node) => plan.homeOf(node.name) === module).map((node) => printNamedType(model, node, used));
    files.push({ path: `types/${module}.ts`, content: [...importsOf(used, module), '', ...body, 'export {};', ''].join('\n') });
  }
  const used = new Set<string>();
  const exprsOf = new Map(model.operations.map((o) => [o.operation, o.exprs]));
  const keys = operationsByKey(ir.operations);
  const tracked: SchemaModel = { ...model, typeOf: (expr, mode) => model.typeOf(expr, mode, (name) => (used.add(name), name)) };
  for (const s of ir.schemas) if (s.pointer.startsWith('/components/schemas/')) used.add(s.name);
  const shape = [printComponents(ir), printPaths(tracked, ir, exprsOf, keys), printOperations(tracked, exprsOf, keys), 'export type webhooks = Record<string, never>;', 'export type $defs = Record<string, never>;', ''];
  files.push({ path: 'types/paths.ts', content: [...importsOf(used, undefined), '', ...shape].join('\n') });
  const barrel = [...modules, 'paths'].map((module) => `export type * from './types/${module}.js';`);
  files.push({ path: 'types.ts', content: `${barrel.join('\n')}\n` });
  return files;
}


/** An interface for a plain object (cheaper for tsc than an alias of an intersection, and named in errors), else an alias. */
function declareType(name: string, expr: ZExpr, type: string): string {
  return isPlainObject(expr) && type.startsWith('{') ? `export interface ${name} ${type}` : `export type ${name} = ${type};`;
}

const KEEPS_TYPE = new Set(['min', 'max', 'gte', 'gt', 'lte', 'lt', 'regex', 'multipleOf', 'length', 'superRefine', 'refine', 'overwrite']);

function isPlainObject(expr: ZExpr): boolean {
  let e = expr;
  for (;;) {
    if (e.k === 'chain' && KEEPS_TYPE.has(e.method)) e = e.base;
    else if (e.k === 'helper' && e.helper !== 'binary' && e.helper !== 'ignored') e = e.base;
    else break;
  }
  if (e.k !== 'z' || !['object', 'strictObject', 'looseObject'].includes(e.fn)) return false;
  const shape = e.args[0];
  return shape?.k === 'shape' && shape.spreads.length === 0 && (shape.entries.length > 0 || e.fn !== 'looseObject');
}

function printComponents(ir: IrDocument): string {
  const schemas = ir.schemas.filter((s) => s.pointer.startsWith('/components/schemas/')).map((s) => `    ${printKey(s.originalName)}: ${s.name};`);
  return [
    `export interface components {`,
    `  schemas: {`,
    ...schemas,
    `  };`,
    `  responses: never;`,
    `  parameters: never;`,
    `  requestBodies: never;`,
    `  headers: never;`,
    `  pathItems: never;`,
    `}`,
    '',
  ].join('\n');
}

/** openapi-typescript keys `operations` by operationId (made unique); operations without one stay inline in `paths`. */
function operationsByKey(operations: IrOperation[]): Map<IrOperation, string> {
  const keys = new Map<IrOperation, string>();
  const seen = new Set<string>();
  for (const op of operations) {
    if (op.operationId === undefined) continue;
    let key = op.operationId;
    for (let n = 2; seen.has(key); n++) key = `${op.operationId}_${n}`;
    seen.add(key);
    keys.set(op, key);
  }
  return keys;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const NO_PARAMETERS = '{ query?: never; header?: never; path?: never; cookie?: never }';

function printPaths(model: SchemaModel, ir: IrDocument, exprsOf: Map<IrOperation, OperationExprs>, keys: Map<IrOperation, string>): string {
  const byPath = new Map<string, IrOperation[]>();
  for (const op of ir.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const lines = [`export interface paths {`];
  for (const [path, ops] of byPath) {
    lines.push(`  ${JSON.stringify(path)}: {`, `    parameters: ${NO_PARAMETERS};`);
    for (const method of METHODS) {
      const op = ops.find((o) => o.method === method);
      const key = op ? keys.get(op) : undefined;
      if (!op) lines.push(`    ${method}?: never;`);
      else lines.push(`    ${method}: ${key !== undefined ? `operations[${JSON.stringify(key)}]` : printOperation(model, op, exprsOf.get(op) as OperationExprs)};`);
    }
    lines.push(`  };`);
  }
  lines.push(`}`, '');
  return lines.join('\n');
}

function printOperations(model: SchemaModel, exprsOf: Map<IrOperation, OperationExprs>, keys: Map<IrOperation, string>): string {
  const lines = [`export interface operations {`];
  for (const [op, key] of keys) lines.push(`  ${jsDoc(op.summary).replace(/\n(?=.)/g, '\n  ')}${printKey(key)}: ${printOperation(model, op, exprsOf.get(op) as OperationExprs)};`);
  lines.push(`}`, '');
  return lines.join('\n');
}

const LOCATIONS: ParameterLocation[] = ['query', 'header', 'path', 'cookie'];

function printOperation(model: SchemaModel, op: IrOperation, exprs: OperationExprs): string {
  const parameters = LOCATIONS.map((location) => {
    const expr = exprs.params[location];
    if (!expr) return `${location}?: never`;
    const required = op.parameters.some((p) => p.in === location && p.required);
    return `${location}${required ? '' : '?'}: ${model.typeOf(expr, 'input')}`;
  });
  const content = (list: Array<{ mediaType: string; e: ZExpr }>, mode: 'input' | 'output'): string =>
    `{ ${list.map((m) => `${JSON.stringify(m.mediaType)}: ${model.typeOf(m.e, mode)}`).join('; ')} }`;
  const body = exprs.body.length === 0 ? 'requestBody?: never' : `requestBody${op.requestBody?.required === true ? '' : '?'}: { content: ${content(exprs.body, 'input')} }`;
  const responses = op.responses.map((response) => {
    const media = exprs.responses.filter((r) => r.status === response.status);
    const key = /^\d{3}$/.test(response.status) ? response.status : JSON.stringify(response.status);
    return `${key}: { headers: { [name: string]: unknown }; content${media.length === 0 ? '?: never' : `: ${content(media, 'output')}`} }`;
  });
  return `{ parameters: { ${parameters.join('; ')} }; ${body}; responses: { ${responses.join('; ')} } }`;
}
