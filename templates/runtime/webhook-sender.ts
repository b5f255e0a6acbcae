/**
 * The provider's webhook / callback sender: validates the payload against the contract, then delivers it through
 * the client's resilient send (retries with backoff, dead-lettering, correlation) with one event id on every
 * attempt (the Standard Webhooks message id) and a fresh timestamp and signature per attempt, so a retry late in the
 * backoff still falls inside the receiver's five-minute window.
 */
import { uuidv4 } from './encoding.js';
import { issuesToProblemIssues, type ProblemIssue } from './problem.js';
import {
  createResilientSend,
  type DeadLetterPolicy,
  type FetchLike,
  type ResilienceConfig,
  type ResilientSend,
} from './resilience.js';
import { encodeBody } from './server-body.js';
import { checkWebhookSecrets, signWebhook, type WebhookSecrets } from './standard-webhooks.js';
import { WEBHOOK_HEADERS, type WebhookHeaderNames, type WebhookSpec } from './webhook-spec.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

export interface WebhookSenderOptions extends Omit<ResilienceConfig, 'idempotencyHeader' | 'auth' | 'securitySchemes'> {
  /** `whsec_<base64>` secret; during a rotation pass the new and the old one and both signatures are sent. */
  secret: WebhookSecrets;
  headers?: Partial<WebhookHeaderNames>;
  /** Check payloads against the contract before sending (default true). */
  validate?: boolean;
  /** Where `format` is checked (see the client's option): payloads sent are outgoing. Default `outgoing`. */
  formats?: FormatPolicy;
}

export interface WebhookSendOptions {
  /** The message id. Reuse one to make a re-send of the same event a duplicate the receiver ignores. Default: `msg_<uuid>`. */
  eventId?: string;
  signal?: AbortSignal;
  correlationId?: string;
  timeoutMs?: number;
  deadLetter?: DeadLetterPolicy;
  headers?: Record<string, string>;
}

export interface WebhookDelivery {
  eventId: string;
  /** True for a 2xx answer: the receiver's handler succeeded (or had already, for a duplicate). */
  ok: boolean;
  status: number;
  response: Response;
}

export class WebhookPayloadError extends Error {
  readonly event: string;
  readonly issues: ProblemIssue[];
  constructor(event: string, issues: ProblemIssue[]) {
    super(
      `${event}: payload does not match the contract: ${issues
        .slice(0, 3)
        .map((i) => `${i.pointer || '/'}: ${i.message}`)
        .join('; ')}`,
    );
    this.name = 'WebhookPayloadError';
    this.event = event;
    this.issues = issues;
  }
}

export interface WebhookSender {
  send(spec: WebhookSpec, url: string, payload: unknown, options?: WebhookSendOptions): Promise<WebhookDelivery>;
  readonly resilience: ResilientSend;
}

/** Signs a request as a delivery of the message id it carries, timestamped now. Also re-signs a dead letter's replay. */
export async function resignWebhookRequest(
  request: Request,
  options: Pick<WebhookSenderOptions, 'secret' | 'headers' | 'now'>,
): Promise<Request> {
  const names: WebhookHeaderNames = { ...WEBHOOK_HEADERS, ...options.headers };
  const bytes = new Uint8Array(await request.arrayBuffer());
  const timestampSec = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const signature = await signWebhook({
    id: request.headers.get(names.id) ?? '',
    timestampSec,
    body: bytes,
    secrets: options.secret,
  });
  const headers = new Headers(request.headers);
  headers.set(names.timestamp, String(timestampSec));
  headers.set(names.signature, signature);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(request.url, {
    method: request.method,
    headers,
    signal: request.signal,
    ...(hasBody ? { body: bytes } : {}),
  });
}

export function createWebhookSenderCore(options: WebhookSenderOptions): WebhookSender {
  const names: WebhookHeaderNames = { ...WEBHOOK_HEADERS, ...options.headers };
  checkWebhookSecrets(options.secret);
  const inner: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // Runs once per attempt, after the resilient layer set the attempt's headers.
  const signing: FetchLike = async (input, init) =>
    inner(await resignWebhookRequest(new Request(input, init), options));
  const { secret: _secret, headers: _headers, validate: _validate, formats: _formats, ...config } = options;
  const resilience = createResilientSend({
    ...config,
    fetch: signing,
    redact: [...(options.redact ?? []), names.signature],
  });

  async function send(
    spec: WebhookSpec,
    url: string,
    payload: unknown,
    sendOptions: WebhookSendOptions = {},
  ): Promise<WebhookDelivery> {
    const media = spec.body[0];
    if (options.validate !== false && media !== undefined) {
      const schema = spec.schemas.body?.[media.mediaType];
      const parsed =
        schema && withDirection('outgoing', options.formats ?? 'outgoing', () => schema.safeParse(payload));
      if (parsed !== undefined && !parsed.success)
        throw new WebhookPayloadError(spec.event, issuesToProblemIssues(parsed.error.issues, '/body'));
    }
    const eventId = sendOptions.eventId ?? `msg_${uuidv4()}`;
    const encoded = encodeBody(media, payload, undefined);
    const headers = new Headers(sendOptions.headers);
    headers.set(names.event, spec.event);
    headers.set(names.id, eventId);
    if (encoded.contentType !== undefined) headers.set('content-type', encoded.contentType);
    const request = new Request(url, {
      method: spec.method,
      headers,
      ...(encoded.body === null ? {} : { body: encoded.body }),
    });
    const response = await resilience.send(
      request,
      {
        operationId: spec.id,
        method: spec.method,
        path: spec.expression ?? spec.event,
        idempotency: { mode: 'keyed', header: names.id, required: true },
        security: [],
      },
      {
        idempotencyKey: eventId,
        ...(sendOptions.signal === undefined ? {} : { signal: sendOptions.signal }),
        ...(sendOptions.correlationId === undefined ? {} : { correlationId: sendOptions.correlationId }),
        ...(sendOptions.timeoutMs === undefined ? {} : { timeoutMs: sendOptions.timeoutMs }),
        ...(sendOptions.deadLetter === undefined ? {} : { deadLetter: sendOptions.deadLetter }),
      },
    );
    return { eventId, ok: response.ok, status: response.status, response };
  }

  return { send, resilience };
}
