import type { IrDocument, IrNamedSchema, IrOperation } from '../../ir/types.js';
import { pascalCase } from '../../ir/naming.js';
import { operationDoc, type ServerNames } from './names.js';
import { webhookSpecLiteral } from './print-operation.js';

export interface WebhookOperation {
  op: IrOperation;
  /** The event name on the wire: the webhook's key, or the callback's name (unique in the contract). */
  event: string;
  /** Callbacks: the URL expression (the callback's path key). */
  expression?: string;
}

/** 3.1 webhooks, then every operation's 3.0 callbacks, in document order. */
export function webhookOperations(ir: IrDocument): WebhookOperation[] {
  const taken = new Set<string>();
  const unique = (preferred: string, fallback: string): string => {
    const event = taken.has(preferred) ? fallback : preferred;
    taken.add(event);
    return event;
  };
  const hooks: WebhookOperation[] = ir.webhooks.map((op) => ({ op, event: unique(op.path, op.name) }));
  for (const parent of ir.operations) {
    for (const callback of parent.callbacks) {
      for (const op of callback.operations) {
        const preferred = callback.operations.length === 1 ? callback.name : `${callback.name}:${op.method.toUpperCase()} ${op.path}`;
        hooks.push({ op, event: unique(preferred, op.name), expression: op.path });
      }
    }
  }
  return hooks;
}

function eventType(op: IrOperation): string {
  const S = `s.${op.name}Schemas`;
  const bodies = op.requestBody?.content ?? [];
  const variants = bodies.map((m) => `{ contentType: ${JSON.stringify(m.mediaType)}; body: z.output<(typeof ${S}.body)[${JSON.stringify(m.mediaType)}]> }`);
  if (op.requestBody?.required !== true) variants.push('{ contentType?: undefined; body?: undefined }');
  return variants.join(' | ');
}

function payloadType(op: IrOperation): string {
  const bodies = op.requestBody?.content ?? [];
  const first = bodies[0];
  if (first === undefined) return 'undefined';
  const declared = `z.input<(typeof s.${op.name}Schemas.body)[${JSON.stringify(first.mediaType)}]>`;
  return op.requestBody?.required === true ? declared : `${declared} | undefined`;
}

/** Typed receivers (verify, validate, deduplicate, then run) and a typed sender (sign, retry, dead-letter). */
export function printWebhooks(hooks: readonly WebhookOperation[], schemas: ReadonlyMap<string, IrNamedSchema>, names: ServerNames): string {
  const out: string[] = [];
  const handlerEntries: string[] = [];
  const senderEntries: string[] = [];
  const senderImpl: string[] = [];
  for (const { op } of hooks) {
    const T = pascalCase(op.name);
    const event = names.claim(`${T}Event`);
    const payload = names.claim(`${T}Payload`);
    const receiver = names.claim(`${T}Receiver`);
    out.push(operationDoc(op));
    out.push(`export type ${event} = ${eventType(op)};`);
    out.push(`export type ${payload} = ${payloadType(op)};`);
    out.push(`export type ${receiver} = (event: ${event}, context: WebhookContext) => void | Promise<void>;`);
    out.push('');
    handlerEntries.push(`  ${operationDoc(op)}\n  ${op.name}: ${receiver};`);
    senderEntries.push(`  ${operationDoc(op)}\n  ${op.name}(url: string, payload: ${payload}, options?: WebhookSendOptions): Promise<WebhookDelivery>;`);
    senderImpl.push(`    ${op.name}: (url, payload, options) => core.send(webhookSpecs.${op.name}, url, payload, options),`);
  }
  const keys = hooks.map((h) => JSON.stringify(h.op.name)).join(' | ');
  out.push(`/** Webhook and callback events of the contract, as the receiver and sender read them. */`);
  out.push(`export const webhookSpecs: { readonly [K in ${keys}]: WebhookSpec } = {`);
  for (const { op, event, expression } of hooks) out.push(`  ${op.name}: ${webhookSpecLiteral(op, schemas, event, expression)},`);
  out.push(`};`);
  out.push('');
  out.push(`/** One receiver per event; events without one are answered 404. */`);
  out.push(`export type WebhookHandlers = {\n${handlerEntries.join('\n')}\n};`);
  out.push('');
  out.push(
    `/**`,
    ` * A web-standard endpoint receiving the events you give handlers for: verifies the Standard Webhooks signature`,
    ` * and its five-minute window, validates the payload, runs the handler once per message id (through the`,
    ` * idempotency store: a retry of a processed id gets 2xx without a second run) and answers 2xx after success.`,
    ` */`,
    `export function createWebhookReceiver(handlers: Partial<WebhookHandlers>, options: WebhookReceiverOptions): (request: Request) => Promise<Response> {`,
    `  return createWebhookReceiverCore(webhookSpecs, handlers, options);`,
    `}`,
    '',
    `export interface WebhookSender {`,
    `  readonly resilience: ResilientSend;`,
    ...senderEntries,
    `}`,
    '',
    `/** Delivers events: validated, signed per attempt, retried with one event id, dead-lettered when exhausted. */`,
    `export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {`,
    `  const core = createWebhookSenderCore(options);`,
    `  return {`,
    `    resilience: core.resilience,`,
    ...senderImpl,
    `  };`,
    `}`,
  );
  return out.join('\n') + '\n';
}
