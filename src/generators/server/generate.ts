import type { IrDocument, IrSecurityScheme } from '../../ir/types.js';
import { printJson, printKey } from '../print/print-expr.js';
import { pascalCase } from '../../ir/naming.js';
import { safeComment } from '../print/doc.js';
import { operationDoc, ServerNames } from './names.js';
import { inputType, resultType, routeSpecLiteral } from './print-operation.js';
import { printWebhooks, webhookOperations } from './print-webhooks.js';

/**
 * `server.ts`: per operation the handler's input type, the union of its declared responses and the handler type;
 * the `Handlers` map; the route table; `createRouter`. Webhooks and callbacks add typed receivers and a sender.
 */
export function generateServer(ir: IrDocument): string {
  const schemas = new Map(ir.schemas.map((s) => [s.name, s]));
  const names = new ServerNames(ir.schemas);
  const hooks = webhookOperations(ir);
  const out: string[] = [
    `import type { z } from 'zod/v4';`,
    `import * as s from './schemas.js';`,
    `import { createRouterCore, type Router, type RouterOptions } from './runtime/server-router.js';`,
    `import type { HandlerContext, HttpStatus, ResponseHeaders, RouteSpec, StatusInRange } from './runtime/server-types.js';`,
    `import type { BasicCredentials, ServerSecurityScheme, Verifier } from './runtime/server-security.js';`,
  ];
  if (ir.operations.some((op) => op.stream !== undefined)) out.push(`import { ServerSentEvent } from './runtime/server-stream.js';`);
  if (hooks.length > 0) {
    out.push(
      `import { createWebhookReceiverCore, createWebhookSenderCore, type WebhookContext, type WebhookDelivery, type WebhookReceiverOptions, type WebhookSendOptions, type WebhookSenderOptions, type WebhookSpec } from './runtime/webhooks.js';`,
      `import type { ResilientSend } from './runtime/resilience.js';`,
    );
  }
  out.push(
    '',
    `export type { HandlerContext, HttpStatus, Queryable, ResponseHeaders, RouteSpec, ServerEvent, StatusInRange } from './runtime/server-types.js';`,
    `export type { Router, RouterOptions } from './runtime/server-router.js';`,
    ...(ir.operations.some((op) => op.stream !== undefined) ? [`export { ServerSentEvent } from './runtime/server-stream.js';`] : []),
    `export type { BasicCredentials, Verifier, VerifyContext } from './runtime/server-security.js';`,
    '',
  );

  const handlerEntries: string[] = [];
  for (const op of ir.operations) {
    const T = pascalCase(op.name);
    const input = names.claim(`${T}HandlerInput`);
    const result = names.claim(`${T}HandlerResult`);
    const handler = names.claim(`${T}Handler`);
    out.push(
      operationDoc(op),
      `export type ${input} = ${inputType(op)};`,
      `/** The responses \`${safeComment(op.operationId ?? op.name)}\` declares; anything else does not type-check. */`,
      `export type ${result} = ${resultType(op)};`,
      `export type ${handler} = (request: ${input}, context: HandlerContext) => ${result} | Promise<${result}>;`,
      '',
    );
    handlerEntries.push(`  ${operationDoc(op)}\n  ${op.name}: ${handler};`);
  }

  out.push(`/** One handler per operation of the contract. */`);
  out.push(handlerEntries.length === 0 ? 'export type Handlers = Record<string, never>;' : `export type Handlers = {\n${handlerEntries.join('\n')}\n};`);
  out.push('');
  out.push(`/** The operations as the router reads them. */`);
  out.push(`export const routes: readonly RouteSpec[] = [`);
  for (const op of ir.operations) out.push(`  ${routeSpecLiteral(op, schemas)},`);
  out.push(`];`);
  out.push('');
  out.push(verifiersType(ir));
  out.push('');
  out.push(`/** The security schemes the operations name, as the router checks them. */`);
  out.push(`export const routeSecuritySchemes: readonly ServerSecurityScheme[] = ${printJson(usedSchemes(ir))};`);
  out.push('');
  out.push(
    `/**`,
    ` * A web-standard handler for the whole contract: \`(request: Request) => Promise<Response>\`. Mount it on Bun, Deno,`,
    ` * Hono or an edge runtime as it is, or on node:http with \`toNodeHandler\` from './runtime/server-node.js'.`,
    ` */`,
    `export function createRouter(handlers: Handlers, options: ContractRouterOptions = {}): Router {`,
    `  return createRouterCore(routes, handlers, ${ir.formats ? `{ formats: ${JSON.stringify(ir.formats)}, ...options }` : 'options'}, routeSecuritySchemes);`,
    `}`,
    '',
  );
  if (hooks.length > 0) out.push(printWebhooks(hooks, schemas, names));
  return out.join('\n') + '\n';
}

/** The schemes some operation requires, reduced to what the router reads. */
function usedSchemes(ir: IrDocument): Array<Record<string, string>> {
  const used = new Set(ir.operations.flatMap((op) => op.security.flatMap((alt) => alt.map((e) => e.scheme))));
  return ir.securitySchemes.filter((s) => used.has(s.key)).map(schemeForRouter);
}

function schemeForRouter(scheme: IrSecurityScheme): Record<string, string> {
  switch (scheme.kind) {
    case 'api-key':
      return { kind: scheme.kind, key: scheme.key, in: scheme.in, name: scheme.name };
    case 'http-other':
      return { kind: scheme.kind, key: scheme.key, scheme: scheme.scheme };
    case 'hmac':
      return { kind: scheme.kind, key: scheme.key, header: scheme.header };
    default:
      return { kind: scheme.kind, key: scheme.key };
  }
}

/** Credential type a scheme's verifier receives. */
function credentialType(scheme: IrSecurityScheme): string {
  if (scheme.kind === 'http-basic') return 'BasicCredentials';
  return scheme.kind === 'mutual-tls' ? 'undefined' : 'string';
}

/** `SecurityVerifiers` typed by the contract's scheme names, and the router options that take it. */
function verifiersType(ir: IrDocument): string {
  const used = new Set(ir.operations.flatMap((op) => op.security.flatMap((alt) => alt.map((e) => e.scheme))));
  const schemes = ir.securitySchemes.filter((s) => used.has(s.key));
  const fields = schemes.map((s) => `  ${printKey(s.key)}?: Verifier<${credentialType(s)}>;`);
  // A scheme named like a kind key keeps its own type; the kind key is then that scheme's.
  const kinds = [
    ['bearer', 'string'],
    ['basic', 'BasicCredentials'],
    ['apiKey', 'string'],
  ].filter(([key]) => !schemes.some((s) => s.key === key));
  return [
    `/**`,
    ` * Verifiers for the contract's security schemes, by scheme name (or by kind: \`bearer\`, \`basic\`, \`apiKey\`): each`,
    ` * returns the principal for a valid credential, or undefined. Without one, only presence is checked.`,
    ` */`,
    `export type SecurityVerifiers = {`,
    ...fields,
    ...kinds.map(([key, type]) => `  ${key}?: Verifier<${type}>;`),
    `};`,
    '',
    `export type ContractRouterOptions = Omit<RouterOptions, 'security'> & { security?: SecurityVerifiers };`,
  ].join('\n');
}
