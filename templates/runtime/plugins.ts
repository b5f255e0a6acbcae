/**
 * What optional features plug into the client core. The core imports only these contracts; the generated client
 * passes the implementations its contract needs, so a client without security schemes, files or streams carries
 * no code for them (and Prometheus metrics and OpenTelemetry spans only come with the `node` or `alerts` target).
 */
import type { DeadLetterStore } from './dead-letter.js';
import type { SecretRegistry } from './redact.js';
import type { ResilienceEvent } from './resilience-events.js';

export type SecurityRequirement = ReadonlyArray<{
  scheme: string;
  scopes: readonly string[];
}>;

/** The parts of one attempt that auth may change (a query key changes the URL, HMAC signs the body). */
export interface AttemptParts {
  method: string;
  url: string;
  headers: Headers;
  body: ArrayBuffer | null;
}

export interface AuthCallContext {
  correlationId: string;
  operationId: string;
  signal?: AbortSignal;
}

/** Fetched tokens one attempt used, so a 401 can invalidate exactly those. */
export interface AppliedAuth {
  oauthTokens: Array<{ scheme: string; token: string }>;
}

export interface AuthLayer {
  apply(parts: AttemptParts, security: readonly SecurityRequirement[], context: AuthCallContext): Promise<AppliedAuth>;
  /** After a 401: forgets the fetched tokens the attempt used. True when a re-send with a new token may succeed. */
  invalidate(applied: AppliedAuth): boolean;
  /** True when a requirement signs the body, which must then be buffered before it is sent. */
  signsBody(security: readonly SecurityRequirement[]): boolean;
  /** Header and query names that carry credentials, for redaction. */
  headerNames: string[];
  queryNames: string[];
}

export interface AuthEnv {
  fetch: (request: Request) => Promise<Response>;
  now: () => number;
  skewMs: number;
  secrets: SecretRegistry;
  onTokenExpiring: (scheme: string, expiresInMs: number, context: AuthCallContext) => void;
}

/** Builds the auth layer from the credentials a client was given (keyed by the contract's scheme names). */
export type AuthPlugin = (credentials: Readonly<Record<string, unknown>>, env: AuthEnv) => AuthLayer;

/** A request body sent as it is read: Blob and FormData can be sent again on a retry; a ReadableStream cannot. */
export type StreamedBody = Blob | FormData | ReadableStream<Uint8Array>;

export type ProgressReport = (loaded: number, total: number | null) => void;

/** Files and streams in request bodies, unread binary responses. */
export interface FilePlugin {
  /** The streamed form of a body, or undefined when it is ordinary data (encoded and buffered). */
  upload(
    encoding: string,
    mediaType: string,
    body: unknown,
    fieldText: (value: unknown) => string,
  ): { body: StreamedBody; contentType: string | undefined } | undefined;
  /** The body of one attempt, counted when progress is reported. */
  attemptBody(
    body: StreamedBody,
    headers: Headers,
    report: ProgressReport | undefined,
  ): { body: BodyInit; duplex: boolean };
  /** A binary response handed out unread. */
  download(response: Response, report: ProgressReport | undefined): unknown;
}

/** One call as an observability plug-in sees it. */
export interface CallScope {
  /** Every attempt's `traceparent` names this span id as its parent. */
  parentSpanId?: string;
  observe(event: ResilienceEvent): void;
  end(response: Response | undefined, error?: unknown): void;
}

export interface CallStart {
  operationId: string;
  method: string;
  url: string;
  headers: Headers;
}

export interface TracingPlugin {
  /** Undefined when nothing records (no SDK, sampled out): the call then runs exactly as without tracing. */
  start(call: CallStart): Promise<CallScope | undefined>;
}

export interface MetricsPlugin {
  callStarted(operationId: string, keyed: boolean): void;
  observe(event: ResilienceEvent): void;
  validation(operationId: string, side: 'request' | 'response', ok: boolean): void;
  /** A logical call ended with this response (after retries), or threw (`null`). */
  callEnded(operationId: string, keyed: boolean, response: Response | null): void | Promise<void>;
  text(labels?: Readonly<Record<string, string>>): string;
}

export interface ClientPlugins {
  auth?: AuthPlugin;
  files?: FilePlugin;
  /** Receives the client's `tracing` option. */
  tracing?: (option: unknown) => TracingPlugin | undefined;
  metrics?: (store: DeadLetterStore | undefined, now: () => number) => MetricsPlugin;
}
