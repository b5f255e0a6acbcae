/**
 * The shapes of the generated provider modules, as the runtime tests use them. The generated types themselves
 * are checked by `tsc` in types.test.ts; here the tests only need to call into the modules.
 */
import type { IdempotencyStore } from '../../../templates/runtime/idempotency.js';
import type { Router, RouterOptions } from '../../../templates/runtime/server-router.js';
import type { HandlerContext, RouteSpec } from '../../../templates/runtime/server-types.js';
import type { FetchHandler, RunningServer } from '../../../templates/runtime/server-node.js';
import type { WebhookReceiverOptions } from '../../../templates/runtime/webhooks.js';
import type { WebhookDelivery, WebhookSenderOptions, WebhookSendOptions } from '../../../templates/runtime/webhook-sender.js';
import type { WebhookContext } from '../../../templates/runtime/webhooks.js';

export interface PetInput {
  path: { petId: number; format?: string };
  query: { limit?: number; tags?: string[]; include?: string[] };
  header: { 'X-Tenant'?: string; 'Idempotency-Key': string };
  cookie: { session: string };
  body: Record<string, unknown>;
  contentType: string;
}

export type TestHandler = (input: PetInput, context: HandlerContext) => unknown;

export interface ServerModule {
  createRouter(handlers: Record<string, TestHandler>, options?: RouterOptions): Router;
  routes: readonly RouteSpec[];
  createWebhookReceiver(handlers: Record<string, (event: { body: Record<string, unknown>; contentType?: string }, context: WebhookContext) => unknown>, options: WebhookReceiverOptions): (request: Request) => Promise<Response>;
  createWebhookSender(options: WebhookSenderOptions): Record<string, (url: string, payload: unknown, options?: WebhookSendOptions) => Promise<WebhookDelivery>>;
}

export interface NodeModule {
  serveNode(handler: Router | FetchHandler, options?: { port?: number; host?: string }): Promise<RunningServer>;
  toNodeHandler(handler: Router | FetchHandler): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
}

export interface IdempotencyModule {
  createMemoryIdempotencyStore(): IdempotencyStore;
}

export interface ClientResult {
  ok: boolean;
  status: number;
  data?: unknown;
  error?: unknown;
  response: Response;
}

export interface ClientModule {
  createClient(options: { baseUrl: string; retry?: Record<string, number>; fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>; deadLetter?: unknown; onEvent?: (event: { type: string }) => void; timeoutMs?: number; validate?: boolean | { request?: boolean; response?: boolean } }): Record<string, (input?: unknown, options?: Record<string, unknown>) => Promise<ClientResult>>;
}
