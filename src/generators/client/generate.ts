import type { IrDocument, IrOperation, IrSecurityScheme } from '../../ir/types.js';
import { pascalCase } from '../../ir/naming.js';
import { printJson } from '../zod/print-expr.js';
import { safeComment } from '../zod/generate.js';
import { clientMemberImpl, clientMemberType, coreFeatures, extraExports, extraImports, mediaDataType, mediaSpecExtras, operationSpecExtras, printPaginationSpec } from './extras.js';

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;

/**
 * `client.ts`: one standalone function per operation (tree-shakeable: import one, bundle one) plus
 * `createClient`, which binds them all to one configured core.
 */
/**
 * Type names for an operation's input and result that cannot collide with anything schemas.ts exports (index.ts
 * re-exports both modules, so a clash would be a duplicate export).
 */
function clientTypeNames(ir: IrDocument): Map<string, { input: string; result: string }> {
  const taken = new Set<string>(['Client', 'ClientOptions', 'CallOptions', 'Core']);
  for (const s of ir.schemas) for (const n of [s.name, s.requestName, s.responseName]) if (n) taken.add(n);
  const names = new Map<string, { input: string; result: string }>();
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

export function generateClient(ir: IrDocument): string {
  const typeNames = clientTypeNames(ir);
  const namesOf = (op: IrOperation): { input: string; result: string } => typeNames.get(op.name) ?? { input: `${pascalCase(op.name)}Input`, result: `${pascalCase(op.name)}Result` };
  const out: string[] = [
    `import type { z } from 'zod';`,
    `import * as s from './schemas.js';`,
    `import { createCore, type CallOptions, type ClientOptions, type Core, type OperationSpec } from './runtime/http.js';`,
    `import type { SecuritySchemeDescription } from './runtime/auth.js';`,
    `import type { MetricsSnapshot } from './runtime/resilience-events.js';`,
    ...extraImports(ir),
    '',
    `export type { CallOptions, ClientOptions, Core } from './runtime/http.js';`,
    ...extraExports(ir),
    '',
    `/** Security schemes declared by the contract; credentials for them go in \`createClient({ auth })\`. */`,
    `export const securitySchemes: readonly SecuritySchemeDescription[] = ${printJson(ir.securitySchemes.map(describeScheme))};`,
    '',
    `/** Servers declared by the contract. */`,
    `export const servers = ${printJson(ir.servers.map((s) => s.url))} as const;`,
    '',
    `type Ok<R> = Extract<R, { ok: true }>;`,
    `type Returned<R, T extends boolean> = T extends true ? Ok<R> : R;`,
    '',
  ];
  for (const operation of ir.operations) out.push(printOperation(operation, namesOf(operation)));

  const typeName = 'Client<T extends boolean = false>';
  out.push(`/** All operations bound to one client configuration. */`);
  out.push(`export interface ${typeName} {`);
  out.push(`  readonly core: Core;`);
  out.push(`  /** Retries, dead-letter depth, age of the oldest parked request, validation rejection rate. */`);
  out.push(`  metrics(): MetricsSnapshot;`);
  for (const op of ir.operations) {
    const { input, result } = namesOf(op);
    const signature = `(${inputOptional(op) ? 'input?' : 'input'}: ${input}, options?: CallOptions): Promise<Returned<${result}, T>>`;
    const member = clientMemberType(op, signature, input, result, inputOptional(op));
    out.push(member === undefined ? `  ${docOf(op)}${op.name}${signature};` : `  ${docOf(op)}${op.name}: ${member};`);
  }
  out.push('}');
  out.push('');
  out.push(`export function createClient<T extends boolean = false>(options: ClientOptions & { throwOnError?: T }): Client<T> {`);
  out.push(`  const core = createCore(options, securitySchemes${coreFeatures(ir)});`);
  out.push(`  return {`);
  out.push(`    core,`);
  out.push(`    metrics: () => core.resilience.metrics(),`);
  for (const op of ir.operations) {
    const impl = clientMemberImpl(op, namesOf(op).input);
    out.push(`    ${op.name}: ${impl ?? `(input, options) => ${op.name}(core, input as ${namesOf(op).input}, options) as never`},`);
  }
  out.push(`  };`);
  out.push('}');
  return out.join('\n') + '\n';
}

type SchemeDescription = Record<string, unknown>;
function describeScheme(scheme: IrSecurityScheme): SchemeDescription {
  const { pointer: _pointer, description: _description, ...rest } = scheme;
  return rest;
}

function docOf(op: IrOperation): string {
  const lines = [`\`${op.method.toUpperCase()} ${safeComment(op.path)}\``];
  if (op.summary) lines.push(safeComment(op.summary));
  if (op.deprecated) lines.push('@deprecated');
  return `/** ${lines.join(' — ')} */\n  `;
}

function inputOptional(op: IrOperation): boolean {
  const anyRequired = op.parameters.some((p) => p.required) || op.requestBody?.required === true;
  return !anyRequired;
}

function printOperation(op: IrOperation, names: { input: string; result: string }): string {
  const S = `s.${op.name}Schemas`;
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
    ...(op.retry ? { retry: retryOf(op) } : {}),
    ...operationSpecExtras(op),
  };
  const specText = printJson(spec).replace(/}$/, `, schemas: ${S} }`);

  const inputFields: string[] = [];
  for (const location of LOCATIONS) {
    const params = op.parameters.filter((p) => p.in === location);
    if (params.length === 0) continue;
    const required = params.some((p) => p.required);
    inputFields.push(`${location}${required ? '' : '?'}: z.input<typeof ${S}.${location}>`);
  }
  const bodies = op.requestBody?.content ?? [];
  const bodyRequired = op.requestBody?.required === true;
  let input = `{ ${inputFields.join('; ')}${inputFields.length > 0 ? ';' : ''} }`;
  if (bodies.length > 0) {
    const prefix = inputFields.length > 0 ? `${input} & ` : '';
    const variants = bodies.map((m, index) => {
      const ct = `contentType${index === 0 ? '?' : ''}: ${JSON.stringify(m.mediaType)}`;
      return `{ ${ct}; body${bodyRequired ? '' : '?'}: z.input<(typeof ${S}.body)[${JSON.stringify(m.mediaType)}]> }`;
    });
    input = `${prefix}(${variants.join(' | ')})`;
  }

  const results: string[] = [];
  const hasDefault = op.responses.some((r) => r.status === 'default');
  for (const response of op.responses) {
    const exact = /^\d{3}$/.test(response.status);
    const status = exact ? response.status : 'number';
    const ok = exact ? (Number(response.status) >= 200 && Number(response.status) < 300 ? 'true' : 'false') : response.status.startsWith('2') ? 'true' : 'false';
    const byStatus = `(typeof ${S}.responses)[${JSON.stringify(response.status)}]`;
    const streams = response.content.some((m) => m.stream !== undefined);
    const dataType = response.content.length === 0 ? 'undefined' : streams ? response.content.map((m) => mediaDataType(byStatus, m)).join(' | ') : `z.output<${byStatus}[keyof ${byStatus}]>`;
    const field = ok === 'true' ? 'data' : 'error';
    results.push(`{ ok: ${ok}; status: ${status}; ${field}: ${dataType}; response: Response }`);
  }
  if (!hasDefault) results.push(`{ ok: false; status: number; error: unknown; response: Response }`);
  if (!results.some((r) => r.startsWith('{ ok: true'))) results.push(`{ ok: true; status: number; data: unknown; response: Response }`);

  return [
    `const ${op.name}Spec: OperationSpec = ${specText};`,
    `export type ${names.input} = ${input};`,
    `export type ${names.result} =\n  | ${results.join('\n  | ')};`,
    `${docOf(op).trimEnd()}`,
    `export function ${op.name}(core: Core, input${inputOptional(op) ? '?' : ''}: ${names.input}, options?: CallOptions): Promise<${names.result}> {`,
    `  return core.call(${op.name}Spec, input ?? {}, options) as Promise<${names.result}>;`,
    `}`,
    printPaginationSpec(op),
  ].join('\n');
}

function retryOf(op: IrOperation): Record<string, unknown> {
  const r = op.retry ?? {};
  const out: Record<string, unknown> = {};
  if (r.maxAttempts !== undefined) out['maxAttempts'] = r.maxAttempts;
  if (r.initialIntervalMs !== undefined) out['baseMs'] = r.initialIntervalMs;
  if (r.maxIntervalMs !== undefined) out['capMs'] = r.maxIntervalMs;
  if (r.maxElapsedTimeMs !== undefined) out['maxElapsedMs'] = r.maxElapsedTimeMs;
  if (r.statusCodes !== undefined) out['statuses'] = r.statusCodes;
  if (r.retryConnectionErrors !== undefined) out['retryConnectionErrors'] = r.retryConnectionErrors;
  return out;
}
