/**
 * What webhook receivers and senders share: the generated description of an event, header names, the signed path.
 */
import type { OperationSchemas, ServerMediaSpec } from './server-types.js';

export interface WebhookSpec {
  /** The key of its handler. */
  readonly name: string;
  /** The event name on the wire (event header, signature): the webhook's key or the callback's name. */
  readonly event: string;
  readonly id: string;
  readonly method: string;
  /** Callbacks: the contract's URL expression, e.g. `{$request.body#/callbackUrl}`. */
  readonly expression?: string;
  readonly body: readonly ServerMediaSpec[];
  readonly bodyRequired: boolean;
  readonly schemas: OperationSchemas;
}

export const WEBHOOK_HEADERS = {
  id: 'Webhook-Id',
  event: 'Webhook-Event',
  timestamp: 'Webhook-Timestamp',
  signature: 'Webhook-Signature',
} as const;
export type WebhookHeaderNames = { readonly [K in keyof typeof WEBHOOK_HEADERS]: string };

/** The path that is signed instead of the receiver's URL (proxies rewrite that); it binds event name and id to the signature. */
export function webhookSigningPath(event: string, eventId: string): string {
  return `/${encodeURIComponent(event)}?id=${encodeURIComponent(eventId)}`;
}
