import type { IrOperation } from '../../ir/types.js';
import { attribute, rawAt, type DiffContext, type Finding } from '../context.js';
import { pairMediaTypes } from './request-body.js';
import { compareSchemas } from './schema.js';
import { collectWithPairs } from './schema-graph.js';

/**
 * Webhooks, callbacks and servers. A webhook is a request the provider sends to the consumer, so its payload is
 * compared in the response direction: the consumer is the one parsing it, exactly as it parses a response.
 */

const key = (op: IrOperation): string => `${op.path} ${op.method}`;
const label = (op: IrOperation): string => `webhook \`${op.path}\` (${op.method.toUpperCase()})`;

export function compareWebhooks(ctx: DiffContext): void {
  const revision = new Map(ctx.revision.ir.webhooks.map((op) => [key(op), op]));
  const base = new Set(ctx.base.ir.webhooks.map(key));
  for (const b of ctx.base.ir.webhooks) {
    const r = revision.get(key(b));
    if (!r) {
      attribute([ctx.emit('webhook-removed', 'response', label(b), 'webhook removed', { base: b.pointer })], b, undefined);
      continue;
    }
    collectWithPairs(ctx, () => compareWebhookPayloads(ctx, b, r), (findings) => attribute(findings, b, r));
  }
  for (const r of ctx.revision.ir.webhooks) if (!base.has(key(r))) attribute([ctx.emit('webhook-added', 'response', label(r), 'webhook added', { revision: r.pointer })], undefined, r);
}

function compareWebhookPayloads(ctx: DiffContext, b: IrOperation, r: IrOperation): Finding[] {
  const out: Finding[] = [];
  const { pairs } = pairMediaTypes(b.requestBody?.content ?? [], r.requestBody?.content ?? []);
  for (const [bm, rm] of pairs) out.push(...compareSchemas(ctx, bm.schema, rm.schema, { direction: 'response', root: `${label(r)} payload (${rm.mediaType})`, rootIsType: false, path: '' }));
  return out;
}

/** Callbacks an operation declares, by name: what a client registers for. */
export function compareCallbacks(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const names = (op: IrOperation, side: DiffContext['base']): string[] => Object.keys(asRecord(rawAt(side, op.pointer)?.['callbacks']));
  const before = names(base, ctx.base);
  const after = names(revision, ctx.revision);
  const out: Finding[] = [];
  for (const name of before) if (!after.includes(name)) out.push(ctx.emit('callback-removed', 'request', `callback \`${name}\``, 'callback removed', { base: `${base.pointer}/callbacks/${escape(name)}`, revision: revision.pointer }));
  for (const name of after) if (!before.includes(name)) out.push(ctx.emit('callback-added', 'request', `callback \`${name}\``, 'callback added', { base: base.pointer, revision: `${revision.pointer}/callbacks/${escape(name)}` }));
  return out;
}

/** Document-level servers, by URL (trailing slashes ignored). */
export function compareServers(ctx: DiffContext): void {
  const url = (value: string): string => value.replace(/\/+$/, '');
  // No servers means one server at `/` (OpenAPI 3): a 2.0 document upgraded with `/` is the same thing.
  const list = (side: DiffContext['base']): string[] => (side.ir.servers.length === 0 ? [''] : side.ir.servers.map((server) => url(server.url)));
  const before = list(ctx.base);
  const after = list(ctx.revision);
  before.forEach((server, index) => {
    if (!after.includes(server)) ctx.emit('server-removed', 'request', `server \`${server}\``, 'server removed', { base: `/servers/${index}` });
  });
  after.forEach((server, index) => {
    if (!before.includes(server)) ctx.emit('server-added', 'request', `server \`${server}\``, 'server added', { revision: `/servers/${index}` });
  });
}

const escape = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
