/**
 * What webhook receivers and senders share: the generated description of an event and the header names.
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

/**
 * Standard Webhooks header names; `webhook-event` is concord's addition (unsigned, used only to route a delivery to
 * its handler: the message id, not the event name, is what deduplication keys on).
 */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  event: 'webhook-event',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;
export type WebhookHeaderNames = { readonly [K in keyof typeof WEBHOOK_HEADERS]: string };
