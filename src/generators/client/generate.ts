import type { IrDocument, IrOperation, IrSecurityScheme } from '../../ir/types.js';
import { pascalCase } from '../../ir/naming.js';
import { code, printJson, printKey } from '../print/print-expr.js';
import { jsDoc, safeComment } from '../print/doc.js';
import { schemaModel } from '../print/schema-model.js';
import type { OperationExprs } from '../../zod-expr/operation-schemas.js';
import { inputRequired, printInputType, printResultType, type TypePrinter } from './print-types.js';
import { clientFeatures, clientMemberImpl, clientMemberType, corePlugins, extraExports, extraImports, mediaSpecExtras, operationSpecExtras, printPaginationSpec, type ClientFeatures } from './extras.js';

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

/**
 * `client.ts`: one standalone function per operation (tree-shakeable: import one, bundle one) plus
 * `createClient`, which binds them all to one configured core. Inputs and results are written with the
 * contract's named types (`Payment`), never inferred from the validators.
 */
export function generateClient(ir: IrDocument, targets: ReadonlySet<string> = new Set()): string {
  const features = clientFeatures(ir, targets);
  const model = schemaModel(ir);
  const taken = new Set<string>(['Client', 'ClientOptions', 'CallOptions', 'Core']);
  for (const node of model.nodes) taken.add(node.name).add(model.inputName(node.name));
  const typeNames = clientTypeNames(ir, taken);
  const namesOf = (op: IrOperation): OpNames => typeNames.get(op.name) ?? { input: `${pascalCase(op.name)}Input`, result: `${pascalCase(op.name)}Result` };
  const exprsOf = new Map(model.operations.map((o) => [o.operation, o.exprs]));
  const printer: TypePrinter = { model, used: new Set() };

  const operations = ir.operations.map((op) => printOperation(printer, op, exprsOf.get(op) as OperationExprs, namesOf(op)));
  const used = [...printer.used].sort();
  const out: string[] = [
    `import * as rt from './runtime/http.js';`,
    `import type { CallOptions, Core } from './runtime/http.js';`,
    `import * as s from './schemas.js';`,
    ...(used.length > 0 ? [`import type { ${used.join(', ')} } from './schemas.js';`] : []),
    `import type { MetricsSnapshot } from './runtime/resilience-events.js';`,
    ...extraImports(ir, features),
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
    ...operations,
  ];

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
  out.push(`  return {`);
  out.push(`    core,`);
  out.push(`    metrics: () => core.resilience.metrics(),`);
  if (features.observability) out.push(`    metricsText: (labels) => core.resilience.metricsText(labels),`);
  for (const op of ir.operations) {
    const { input, result } = namesOf(op);
    // With throwOnError the core throws on every non-2xx, so only the success variants come back.
    const call = `(input?: ${input}, options?: CallOptions) => core.call<rt.Returned<${result}, T>>(${op.name}Spec, input, options)`;
    out.push(`    ${op.name}: ${clientMemberImpl(op, input, call) ?? call},`);
  }
  out.push(`  };`);
  out.push('}');
  return out.join('\n') + '\n';
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

function printOperation(printer: TypePrinter, op: IrOperation, exprs: OperationExprs, names: OpNames): string {
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
  const specText = printJson(spec);
  const input = printInputType(printer, op, exprs);
  const required = inputRequired(op);
  return [
    `const ${op.name}Spec: rt.OperationSpec = ${specText};`,
    '',
    `/** What \`${op.name}\` takes. */`,
    input.isObject ? `export interface ${names.input} ${input.text}` : `export type ${names.input} = ${input.text};`,
    `/** What \`${op.name}\` resolves to: narrow on \`status\` (or \`ok\`) to get the body's type. */`,
    `export type ${names.result} = ${printResultType(printer, op, exprs)};`,
    '',
    docOf(op).trimEnd(),
    `export function ${op.name}(core: Core, input${required ? '' : '?'}: ${names.input}, options?: CallOptions): Promise<${names.result}> {`,
    `  return core.call<${names.result}>(${op.name}Spec, input, options);`,
    `}`,
    printPaginationSpec(op),
  ].join('\n');
}

