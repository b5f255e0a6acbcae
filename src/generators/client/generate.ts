import type { IrDocument, IrOperation, IrSecurityScheme } from '../../ir/types.js';
import { pascalCase } from '../../ir/naming.js';
import { code, printJson, printKey } from '../print/print-expr.js';
import { jsDoc, safeComment } from '../print/doc.js';
import { schemaModel, type SchemaModel } from '../print/schema-model.js';
import { typeHomes, type ModulePlan } from '../split/plan.js';
import type { OperationExprs } from '../../zod-expr/operation-schemas.js';
import { inputRequired, printInputType, printResultType, type TypePrinter } from './print-types.js';
import { clientFeatures, clientMemberBindings, clientMemberType, corePlugins, extraExports, extraImports, mediaSpecExtras, operationSpecExtras, printPaginationSpec, type ClientFeatures } from './extras.js';

interface OpNames {
  input: string;
  result: string;
}

/**
 * Type names for an operation's input and result that cannot collide with anything schemas.ts exports (index.ts
 * re-exports both modules, so a clash would be a duplicate export).
 */
function clientTypeNames(ir: IrDocument, taken: Set<string>): Map<string, OpNames> {
  const names = new Map<string, OpNames>();
  for (const op of ir.operations) {
    const base = pascalCase(op.name);
    let stem = base;
    for (let n = 2; taken.has(`${stem}Input`) || taken.has(`${stem}Result`); n++) stem = n === 2 ? `${base}Operation` : `${base}Operation${n}`;
    taken.add(`${stem}Input`);
    taken.add(`${stem}Result`);
    names.set(op.name, { input: `${stem}Input`, result: `${stem}Result` });
  }
  return names;
}

/** First line of operations.ts; concord's tests remove it and check every spec against `OperationSpec`. */
export const OPERATIONS_NO_CHECK =
  "// @ts-nocheck -- every export is declared as rt.OperationSpec (checked by concord's tests), so tsc reads declarations instead of relating each operation's validators to the runtime's types.";

/**
 * `operations.ts`: what the runtime needs to know of each operation (method, path, parameter styles, media,
 * idempotency, security, validators), one declared const per operation. Kept out of client.ts and unchecked in the
 * user's program: relating every operation's typed validators to the runtime's `OperationSchemas` was the largest
 * part of type-checking the client (OpenAI contract: ~1.1 s of ~6.4 s of CPU).
 */
export function generateOperations(ir: IrDocument): string {
  return printOperationsFile(ir.operations, './runtime/http.js', './schemas.js');
}

function printOperationsFile(operations: IrOperation[], runtime: string, schemas: string): string {
  // client.ts imports these as `$ops`: operation names never contain `$`, so the namespace cannot shadow one.
  const specs = operations.map((op) => `export const ${op.name}: rt.OperationSpec = ${printSpec(op)};\n`);
  return [OPERATIONS_NO_CHECK, `import type * as rt from '${runtime}';`, `import * as s from '${schemas}';`, '', ...specs].join('\n');
}

/**
 * `client.ts`: one standalone function per operation (tree-shakeable: import one, bundle one) plus
 * `createClient`, which binds them all to one configured core. Inputs and results are written with the
 * contract's named types (`Payment`), never inferred from the validators.
 */
export function generateClient(ir: IrDocument, targets: ReadonlySet<string> = new Set()): string {
  const ctx = clientContext(ir, targets);
  const printer: TypePrinter = { model: ctx.model, used: new Set() };
  const operations = ir.operations.map((op) => printOperation(printer, op, ctx.exprsOf.get(op) as OperationExprs, ctx.namesOf(op)));
  const used = [...printer.used].sort();
  return [
    `import * as rt from './runtime/http.js';`,
    `import type { CallOptions, Core } from './runtime/http.js';`,
    `import * as $ops from './operations.js';`,
    ...(used.length > 0 ? [`import type { ${used.join(', ')} } from './schemas.js';`] : []),
    ...printClientHead(ir, ctx.features),
    ...operations,
    ...printClientTail(ir, ctx),
  ].join('\n');
}

interface ClientContext {
  features: ClientFeatures;
  model: SchemaModel;
  namesOf: (op: IrOperation) => OpNames;
  exprsOf: Map<IrOperation, OperationExprs>;
}

function clientContext(ir: IrDocument, targets: ReadonlySet<string>): ClientContext {
  const model = schemaModel(ir);
  const taken = new Set<string>(['Client', 'ClientOptions', 'CallOptions', 'Core']);
  for (const node of model.nodes) taken.add(node.name).add(model.inputName(node.name));
  const typeNames = clientTypeNames(ir, taken);
  const namesOf = (op: IrOperation): OpNames => typeNames.get(op.name) ?? { input: `${pascalCase(op.name)}Input`, result: `${pascalCase(op.name)}Result` };
  return { features: clientFeatures(ir, targets), model, namesOf, exprsOf: new Map(model.operations.map((o) => [o.operation, o.exprs])) };
}

/**
 * The split form of client.ts and operations.ts (see ModulePlan): `client/<module>.ts` with each operation's
 * input and result types and its function, `operations/<module>.ts` with its specs; client.ts keeps
 * `createClient` and re-exports every module, so a user importing one resource's functions checks only it.
 */
export function generateClientModules(ir: IrDocument, plan: ModulePlan, targets: ReadonlySet<string> = new Set()): Array<{ path: string; content: string }> {
  const ctx = clientContext(ir, targets);
  const homes = typeHomes(ctx.model, plan);
  const files: Array<{ path: string; content: string }> = [];
  const modules: string[] = [];
  const clientImports: string[] = [];
  for (const module of plan.modules) {
    const ops = ir.operations.filter((op) => plan.moduleOf(op) === module);
    if (ops.length === 0) continue;
    modules.push(module);
    const printer: TypePrinter = { model: ctx.model, used: new Set() };
    const body = ops.map((op) => printOperation(printer, op, ctx.exprsOf.get(op) as OperationExprs, ctx.namesOf(op), true)).join('\n');
    const imports = [
      `import * as rt from '../runtime/http.js';`,
      `import type { CallOptions, Core } from '../runtime/http.js';`,
      `import * as $ops from '../operations/${module}.js';`,
      ...importsByHome([...printer.used], homes, '../types'),
      ...extraImports(ir, ctx.features).map((line) => line.replace(`from './runtime/`, `from '../runtime/`)),
    ];
    files.push({ path: `client/${module}.ts`, content: `${keepUsedImports(imports, body).join('\n')}\n\n${body}` });
    files.push({ path: `operations/${module}.ts`, content: printOperationsFile(ops, '../runtime/http.js', `../schemas/${module}.js`) });
    const names = ops.flatMap((op) => {
      const { input, result } = ctx.namesOf(op);
      return [...(op.pagination ? [`${op.name}Pagination`] : []), `type ${input}`, `type ${result}`];
    });
    clientImports.push(`import { ${names.join(', ')} } from './client/${module}.js';`);
  }
  const head = [
    `import * as rt from './runtime/http.js';`,
    `import type { CallOptions, Core } from './runtime/http.js';`,
    `import * as $ops from './operations.js';`,
    ...clientImports,
    ...printClientHead(ir, ctx.features),
    ...modules.map((module) => `export * from './client/${module}.js';`),
    '',
  ];
  files.push({ path: 'client.ts', content: [...head, ...printClientTail(ir, ctx)].join('\n') });
  files.push({ path: 'operations.ts', content: `${modules.map((module) => `export * from './operations/${module}.js';`).join('\n')}\n` });
  return files;
}

/** `import type { A, B } from '<dir>/<home>.js';` per module the names live in. */
function importsByHome(names: string[], homes: Map<string, string>, dir: string): string[] {
  const byHome = new Map<string, string[]>();
  for (const name of names.sort()) {
    const home = homes.get(name);
    if (home !== undefined) byHome.set(home, [...(byHome.get(home) ?? []), name]);
  }
  return [...byHome.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([home, list]) => `import type { ${list.join(', ')} } from '${dir}/${home}.js';`);
}

/** Import lines whose names the body uses (a module of a split client uses only some of the contract's features). */
function keepUsedImports(lines: string[], body: string): string[] {
  return lines.filter((line) => {
    const names = /\{([^}]*)\}|\* as (\S+)/.exec(line);
    const list = names?.[1]?.split(',').map((n) => n.replace(/^\s*type\s+/, '').trim()) ?? [names?.[2] ?? ''];
    return list.some((name) => name !== '' && new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(body));
  });
}

/** Imports, exports and declarations at the top of client.ts, after its imports. */
function printClientHead(ir: IrDocument, features: ClientFeatures): string[] {
  return [
    `import type { MetricsSnapshot } from './runtime/resilience-events.js';`,
    ...extraImports(ir, features),
    // createClient's `paged` helper (client modules import the rest of paginate.ts through extraImports).
    ...(features.pagination ? [`import type { PaginationSpec } from './runtime/paginate.js';`] : []),
    '',
    `export type { CallOptions, Core } from './runtime/http.js';`,
    ...extraExports(features),
    '',
    `/** Security schemes declared by the contract; credentials for them go in \`createClient({ auth })\`. */`,
    features.auth
      ? `export const securitySchemes: readonly sec.SecuritySchemeDescription[] = ${printJson(ir.securitySchemes.map(describeScheme))};`
      : `export const securitySchemes = [] as const;`,
    '',
    `/** Servers declared by the contract. */`,
    `export const servers = ${printJson(ir.servers.map((s) => s.url))} as const;`,
    '',
    ...printClientOptions(ir.securitySchemes, features),
    '',
  ];
}

/** The `Client` interface and `createClient`. */
function printClientTail(ir: IrDocument, { features, namesOf }: ClientContext): string[] {
  const out: string[] = [];
  out.push(`/** All operations bound to one client configuration. */`);
  out.push(`export interface Client<T extends boolean = false> {`);
  out.push(`  readonly core: Core;`);
  out.push(`  /** Retries, dead-letter depth, age of the oldest parked request, validation rejection rate. */`);
  out.push(`  metrics(): MetricsSnapshot;`);
  if (features.observability) {
    out.push(`  /** Prometheus text: per-operation counters and dead-letter gauges, for a /metrics endpoint. */`);
    out.push(`  metricsText(labels?: Readonly<Record<string, string>>): string;`);
  }
  for (const op of ir.operations) {
    const { input, result } = namesOf(op);
    const signature = `(${inputRequired(op) ? 'input' : 'input?'}: ${input}, options?: CallOptions): Promise<rt.Returned<${result}, T>>`;
    const member = clientMemberType(op, signature, input, result, !inputRequired(op));
    out.push(`  ${docOf(op)}${op.name}${member === undefined ? signature : `: ${member}`};`);
  }
  out.push('}');
  out.push('');
  out.push(`export function createClient<T extends boolean = false>(options: ClientOptions & { throwOnError?: T }): Client<T> {`);
  // The config's `validate.formats`, as the default a caller's own `formats` option overrides.
  const formats = ir.formats ? `{ formats: ${JSON.stringify(ir.formats)}, ...options }` : 'options';
  out.push(`  const core = rt.createCore(${formats}${corePlugins(features)});`);
  // Every operation bound at run time and typed once, by `Client`: an object literal of typed members made tsc
  // check each operation's call and relate the literal to `Client<T>` (~0.5 s of CPU for an OpenAI-size client).
  out.push(`  const client: Record<string, unknown> = { core, metrics: () => core.resilience.metrics() };`);
  if (features.observability) out.push(`  client['metricsText'] = (labels?: Readonly<Record<string, string>>) => core.resilience.metricsText(labels);`);
  out.push(`  for (const [name, spec] of Object.entries($ops as Record<string, rt.OperationSpec>)) {`);
  out.push(`    client[name] = (input?: rt.OperationInput, callOptions?: CallOptions) => core.call(spec, input, callOptions);`);
  out.push(`  }`);
  out.push(...clientMemberBindings(ir));
  out.push(`  // With throwOnError the core throws on every non-2xx, so only the success variants come back (see \`Client\`).`);
  out.push(`  return client as unknown as Client<T>;`);
  out.push('}');
  return [...out, ''];
}

/** `ClientOptions` with `auth` keyed by the contract's scheme names, so a misspelt scheme is a compile error. */
function printClientOptions(schemes: IrSecurityScheme[], features: ClientFeatures): string[] {
  const members = schemes
    .filter((scheme) => scheme.kind !== 'mutual-tls')
    .map((scheme) => `${jsDoc(`\`${safeComment(scheme.key)}\`: ${describeKind(scheme)}${scheme.description ? `\n\n${scheme.description}` : ''}`)}${printKey(scheme.key)}?: ${credentialType(scheme)}`);
  const auth = members.length === 0 ? '{ [scheme: string]: never }' : `{\n${members.map((m) => `${m};\n`).join('')}}`;
  return [
    `/** How to reach the API: base URL, credentials per security scheme, resilience and validation settings. */`,
    `export interface ClientOptions extends Omit<rt.ClientOptions, 'auth'${features.observability ? '' : " | 'metrics' | 'metricLabels' | 'tracing'"}> {`,
    `  /** Credentials keyed by the contract's security scheme names. */`,
    `  auth?: ${auth};`,
    `}`,
  ];
}

function credentialType(scheme: IrSecurityScheme): string {
  switch (scheme.kind) {
    case 'http-basic':
      return 'sec.BasicCredentials';
    case 'oauth2':
      return 'sec.OAuth2ClientCredentials | sec.SecretValue';
    case 'hmac':
      return 'sec.HmacCredentials';
    default:
      return 'sec.SecretValue';
  }
}

function describeKind(scheme: IrSecurityScheme): string {
  switch (scheme.kind) {
    case 'http-bearer':
      return 'a bearer token (string, or a function returning one per attempt)';
    case 'http-basic':
      return 'user name and password';
    case 'api-key':
      return `an API key, sent in the ${scheme.in} \`${safeComment(scheme.name)}\``;
    case 'oauth2':
      return 'OAuth 2.0 client credentials (tokens are fetched and refreshed), or a token obtained elsewhere';
    case 'hmac':
      return 'the HMAC signing secret';
    default:
      return 'a credential (string, or a function returning one per attempt)';
  }
}

type SchemeDescription = Record<string, unknown>;
function describeScheme(scheme: IrSecurityScheme): SchemeDescription {
  const { pointer: _pointer, description: _description, ...rest } = scheme;
  return rest;
}

function docOf(op: IrOperation): string {
  const lines = [`\`${op.method.toUpperCase()} ${op.path}\``];
  if (op.summary) lines.push('', op.summary);
  if (op.description && op.description !== op.summary) lines.push('', op.description);
  if (op.deprecated) lines.push('', '@deprecated');
  return jsDoc(lines.join('\n')).replace(/\n/g, '\n  ');
}

/** The operation's `rt.OperationSpec` literal. */
function printSpec(op: IrOperation): string {
  const spec = {
    id: op.operationId ?? op.name,
    method: op.method.toUpperCase(),
    path: op.path,
    params: op.parameters.map((p) => ({ name: p.name, in: p.in, style: p.style, explode: p.explode, ...(p.allowReserved ? { allowReserved: true } : {}), ...(p.contentType ? { contentType: p.contentType } : {}) })),
    body: (op.requestBody?.content ?? []).map((m) => ({ mediaType: m.mediaType, encoding: m.encoding, ...(m.streaming ? { streaming: true } : {}), ...mediaSpecExtras(m) })),
    bodyRequired: op.requestBody?.required === true,
    responses: Object.fromEntries(op.responses.map((r) => [r.status, r.content.map((m) => ({ mediaType: m.mediaType, encoding: m.encoding, ...(m.streaming ? { streaming: true } : {}), ...mediaSpecExtras(m) }))])),
    idempotency: { mode: op.idempotency.mode, header: op.idempotency.header, required: op.idempotency.required },
    security: op.security,
    ...(op.retry ? { retry: op.retry } : {}),
    ...operationSpecExtras(op),
    schemas: code(`s.${op.name}Schemas`),
  };
  return printJson(spec);
}

function printOperation(printer: TypePrinter, op: IrOperation, exprs: OperationExprs, names: OpNames, exportPagination = false): string {
  const input = printInputType(printer, op, exprs);
  const required = inputRequired(op);
  return [
    `/** What \`${op.name}\` takes. */`,
    input.isObject ? `export interface ${names.input} ${input.text}` : `export type ${names.input} = ${input.text};`,
    `/** What \`${op.name}\` resolves to: narrow on \`status\` (or \`ok\`) to get the body's type. */`,
    `export type ${names.result} = ${printResultType(printer, op, exprs)};`,
    '',
    docOf(op).trimEnd(),
    `export function ${op.name}(core: Core, input${required ? '' : '?'}: ${names.input}, options?: CallOptions): Promise<${names.result}> {`,
    `  return core.call<${names.result}>($ops.${op.name}, input, options);`,
    `}`,
    // Split output exports it: createClient, in client.ts, uses it.
    exportPagination ? printPaginationSpec(op).replace(/^const /, 'export const ') : printPaginationSpec(op),
  ].join('\n');
}
