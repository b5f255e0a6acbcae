/**
 * Webhooks (OpenAPI 3.1 `webhooks`) and callbacks (3.0 `callbacks`): a receiver that verifies Standard Webhooks
 * signatures, refuses stale deliveries, validates the payload and runs its handler once per message id; and a
 * sender that signs every attempt, retries and dead-letters like the generated client (resilience.ts).
 *
 * Signature: standard-webhooks.ts (`webhook-id.webhook-timestamp.body`, HMAC-SHA256, `v1,<base64>`, `whsec_`
 * secrets, 5-minute window), so Svix and the `standardwebhooks` libraries interoperate both ways. A replayed
 * delivery carries an id already processed: it is answered 2xx from the store without running the handler.
 */
import { createMemoryIdempotencyStore, doNotStore, handleIdempotency, type IdempotencyStore } from './idempotency.js';
import {
  issuesToProblemIssues,
  problem,
  problemResponse,
  PROBLEM_TYPES,
  validationProblem,
  type ProblemIssue,
} from './problem.js';
import { LimitExceededError } from './parse-limits.js';
import { decodeBody, MalformedBodyError, matchMediaType } from './server-body.js';
import { readBodyLimited } from './server-web.js';
import { BodyTooLargeError } from './server-types.js';
import { newCorrelationId, DEFAULT_CORRELATION_HEADER } from './correlation.js';
import { checkWebhookSecrets, verifyWebhook, WEBHOOK_TOLERANCE_SEC, type WebhookSecrets } from './standard-webhooks.js';
import { WEBHOOK_HEADERS, type WebhookHeaderNames, type WebhookSpec } from './webhook-spec.js';

export { resolveCallbackUrl } from './webhook-callback-url.js';
export {
  createWebhookSenderCore,
  resignWebhookRequest,
  WebhookPayloadError,
  type WebhookDelivery,
  type WebhookSendOptions,
  type WebhookSender,
  type WebhookSenderOptions,
} from './webhook-sender.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';
export {
  decodeWebhookSecret,
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookSecretError,
  type WebhookSecrets,
  type WebhookVerifyFailure,
  type WebhookVerifyResult,
} from './standard-webhooks.js';
export { WEBHOOK_HEADERS, type WebhookHeaderNames, type WebhookSpec } from './webhook-spec.js';

export interface WebhookContext {
  readonly event: string;
  readonly eventId: string;
  readonly correlationId: string;
  readonly request: Request;
}

// Optional, so a generated event type with a body-less variant (`{ contentType?: undefined; body?: undefined }`)
// stays assignable to it under exactOptionalPropertyTypes.
export interface WebhookInput {
  body?: unknown;
  contentType?: string | undefined;
}

/** Handlers are typed by the generated code; here they only need to be callable (see AnyHandler in server-types). */
export type AnyWebhookHandler = {
  bivarianceHack(input: WebhookInput, context: WebhookContext): unknown;
}['bivarianceHack'];

export type WebhookReceiverEvent =
  | { type: 'delivery-refused'; event: string | null; eventId: string | null; status: number; reason: string }
  | { type: 'delivery-duplicate'; event: string; eventId: string }
  | { type: 'handler-error'; event: string; eventId: string; error: unknown };

export interface WebhookReceiverOptions {
  /** `whsec_<base64>` secret, or several while rotating (any one verifies). */
  secret: WebhookSecrets;
  /** Accepted clock difference either way (default 300 s, the specification's). */
  toleranceSec?: number;
  /** Deduplicates message ids; share one (PostgreSQL) across instances. Default: in memory. */
  store?: IdempotencyStore;
  /** How long an event id is remembered (default 24 h; keep it above the sender's retry horizon). */
  dedupTtlMs?: number;
  maxBodyBytes?: number;
  headers?: Partial<WebhookHeaderNames>;
  correlationHeader?: string;
  now?: () => number;
  onEvent?: (event: WebhookReceiverEvent) => void;
  /** Where `format` is checked (see the client's option): deliveries received are incoming. Default `outgoing`. */
  formats?: FormatPolicy;
}

/** The `type` field of a JSON payload, if it has one. */
function payloadType(bytes: Uint8Array): string | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    const type: unknown = typeof value === 'object' && value !== null ? Reflect.get(value, 'type') : undefined;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

export function createWebhookReceiverCore(
  specs: Readonly<Record<string, WebhookSpec>>,
  handlers: Readonly<Record<string, AnyWebhookHandler | undefined>>,
  options: WebhookReceiverOptions,
): (request: Request) => Promise<Response> {
  const names: WebhookHeaderNames = { ...WEBHOOK_HEADERS, ...options.headers };
  const store = options.store ?? createMemoryIdempotencyStore();
  const toleranceSec = options.toleranceSec ?? WEBHOOK_TOLERANCE_SEC;
  checkWebhookSecrets(options.secret);
  const dedupTtlMs = options.dedupTtlMs ?? 24 * 60 * 60 * 1000;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const correlationHeader = options.correlationHeader ?? DEFAULT_CORRELATION_HEADER;
  const byEvent = new Map<string, WebhookSpec>();
  for (const name of Object.keys(specs)) {
    const spec = specs[name];
    if (spec !== undefined && hasOwn(handlers, name) && handlers[name] !== undefined) byEvent.set(spec.event, spec);
  }
  const emit = (event: WebhookReceiverEvent): void => {
    try {
      options.onEvent?.(event);
    } catch {
      // Observers never break a delivery.
    }
  };

  return async (request) => {
    const instance = new URL(request.url).pathname;
    const correlationId = request.headers.get(correlationHeader) ?? newCorrelationId();
    const refuse = (
      status: number,
      type: string,
      detail: string,
      event: string | null,
      eventId: string | null,
      extra: Record<string, unknown> = {},
    ): Response => {
      emit({ type: 'delivery-refused', event, eventId, status, reason: detail });
      return problemResponse(problem(status, { type, detail, instance, ...extra }), {
        [correlationHeader]: correlationId,
      });
    };
    const eventId = request.headers.get(names.id);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await readBodyLimited(request.body, request.headers.get('content-length'), maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return refuse(413, PROBLEM_TYPES.tooLarge, error.message, request.headers.get(names.event), eventId);
      throw error;
    }
    // The event: concord's header; else the only one this receiver serves; else the Standard Webhooks payload's
    // `type` (what Svix-style senders, which send no event header, put there).
    const event =
      request.headers.get(names.event) ?? (byEvent.size === 1 ? [...byEvent.keys()][0] : payloadType(bytes)) ?? null;
    const spec = event === null ? undefined : byEvent.get(event);
    const handler = spec === undefined ? undefined : handlers[spec.name];
    if (event === null || spec === undefined || handler === undefined) {
      return refuse(404, PROBLEM_TYPES.notFound, `No receiver for event ${JSON.stringify(event ?? '')}`, event, null);
    }
    if (eventId === null || eventId === '' || eventId.length > 255)
      return refuse(400, PROBLEM_TYPES.validation, `Header ${names.id} (1-255 characters) is required`, event, null);
    const verified = await verifyWebhook({
      id: eventId,
      timestamp: request.headers.get(names.timestamp),
      signature: request.headers.get(names.signature),
      body: bytes,
      secrets: options.secret,
      toleranceSec,
      ...(options.now === undefined ? {} : { nowMs: options.now() }),
    });
    if (!verified.ok)
      return refuse(401, PROBLEM_TYPES.unauthorized, `Signature refused: ${verified.reason}`, event, eventId, {
        reason: verified.reason,
      });

    const invalid = (issues: ProblemIssue[]): Response => {
      emit({ type: 'delivery-refused', event, eventId, status: 422, reason: issues[0]?.message ?? 'invalid payload' });
      return problemResponse(
        { ...validationProblem(issues, instance), status: 422 },
        { [correlationHeader]: correlationId },
      );
    };
    let input: WebhookInput = { body: undefined, contentType: undefined };
    if (bytes.length > 0 && spec.body.length > 0) {
      const contentType = request.headers.get('content-type') ?? '';
      const media = matchMediaType(spec.body, contentType);
      if (media === undefined)
        return refuse(
          415,
          PROBLEM_TYPES.unsupportedMediaType,
          `Content-Type "${contentType}" is not declared for ${spec.event}`,
          event,
          eventId,
        );
      let value: unknown;
      try {
        value = await decodeBody(media, contentType, bytes);
      } catch (error) {
        if (error instanceof MalformedBodyError)
          return refuse(400, PROBLEM_TYPES.malformed, error.message, event, eventId, { pointer: '/body' });
        if (error instanceof LimitExceededError)
          return refuse(422, PROBLEM_TYPES.limitExceeded, error.message, event, eventId, { pointer: error.pointer });
        throw error;
      }
      const schema = spec.schemas.body?.[media.mediaType];
      const parsed =
        schema === undefined
          ? { success: true as const, data: value }
          : withDirection('incoming', options.formats ?? 'outgoing', () => schema.safeParse(value));
      if (!parsed.success) return invalid(issuesToProblemIssues(parsed.error.issues, '/body'));
      input = { body: parsed.data, contentType: media.mediaType };
    } else if (spec.bodyRequired) {
      return invalid([{ pointer: '/body', message: 'A request body is required' }]);
    }

    const context: WebhookContext = { event: spec.event, eventId, correlationId, request };
    // Keyed on the message id alone: the event header is not signed, so a captured delivery re-labelled as another
    // event is still the same message, and a duplicate.
    const dedup = new Request('http://webhook.invalid/webhook', {
      method: 'POST',
      headers: { 'x-webhook-message-key': `webhook:${eventId}` },
      body: bytes,
    });
    const failed = (): Response =>
      problemResponse(problem(500, { detail: 'The webhook handler failed; the delivery may be retried', instance }), {
        [correlationHeader]: correlationId,
      });
    let answer: Response;
    try {
      // Runs the handler once per message id: a duplicate gets the stored 204, one arriving mid-run 409 (the sender
      // retries it). Unlike a keyed API request, a webhook whose handler throws is released (`doNotStore`), so the
      // sender's retry runs it again: delivery is at least once until a 2xx, and the handler is expected to fail
      // without effect.
      answer = await handleIdempotency(
        dedup,
        { idempotency: { mode: 'keyed', header: 'x-webhook-message-key', required: true } },
        store,
        { ttlMs: dedupTtlMs, maxKeyLength: 1024 },
        async () => {
          try {
            await handler(input, context);
          } catch (error) {
            emit({ type: 'handler-error', event: spec.event, eventId, error });
            return doNotStore(failed());
          }
          return new Response(null, { status: 204 });
        },
      );
    } catch (error) {
      emit({ type: 'handler-error', event: spec.event, eventId, error });
      return failed();
    }
    if (answer.headers.get('idempotency-replayed') === 'true')
      emit({ type: 'delivery-duplicate', event: spec.event, eventId });
    const headers = new Headers(answer.headers);
    headers.set(correlationHeader, correlationId);
    return new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers });
  };
}
