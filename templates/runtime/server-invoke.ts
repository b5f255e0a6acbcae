/**
 * Calling one handler and checking its answer. Synchronous when the handler is: a request that needs no body and
 * gets a plain (non-promise) answer is served without a single promise, which is most of the router's speed.
 */
import { problem } from './problem.js';
import type { RequestTransaction } from './server-idempotency.js';
import { checkResponse, invalidResponseProblem, PROBLEM_HANDLER_FAILED, problemRaw } from './server-response.js';
import type {
  AnyHandler,
  HandlerContext,
  ParsedInput,
  Queryable,
  RawRequest,
  RawResponse,
  RouteSpec,
  ServerEvent,
} from './server-types.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

export interface Outcome {
  response: RawResponse;
  /** The handler threw or answered outside the contract. */
  failed: boolean;
}

export interface InvokeSettings {
  validate: boolean;
  /** Answers are outgoing: their formats are checked unless the policy is `off`. */
  formats: FormatPolicy;
  exposeErrors: boolean;
  emit: (event: ServerEvent) => void;
  runWithCorrelationId: (<T>(id: string, fn: () => T) => T) | undefined;
}

/** The context object: one small instance per request, the web Request built only if a handler reads it. */
class Context implements HandlerContext {
  readonly operationId: string;
  readonly correlationId: string;
  readonly idempotencyKey: string | undefined;
  readonly transaction: (<T>(fn: (client: Queryable) => Promise<T>) => Promise<T>) | undefined;
  #raw: RawRequest;
  #built: Request | undefined;
  // No parameter properties: the runtime stays erasable TypeScript (Node's type stripping, erasableSyntaxOnly).
  constructor(
    operationId: string,
    correlationId: string,
    raw: RawRequest,
    idempotencyKey: string | undefined,
    tx: RequestTransaction | undefined,
  ) {
    this.operationId = operationId;
    this.correlationId = correlationId;
    this.idempotencyKey = idempotencyKey;
    this.transaction = tx === undefined ? undefined : (fn) => tx.run(fn);
    this.#raw = raw;
  }
  get request(): Request {
    this.#built ??= this.#raw.toRequest();
    return this.#built;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function invoke(
  settings: InvokeSettings,
  spec: RouteSpec,
  handler: AnyHandler,
  input: ParsedInput,
  raw: RawRequest,
  instance: string,
  correlationId: string,
  idempotencyKey: string | undefined,
  tx: RequestTransaction | undefined,
): Outcome | Promise<Outcome> {
  const failure = (error: unknown): Outcome => {
    settings.emit({ type: 'handler-error', operationId: spec.id, correlationId, error });
    return {
      response: problemRaw(
        problem(500, {
          type: PROBLEM_HANDLER_FAILED,
          ...(settings.exposeErrors ? { detail: errorText(error) } : {}),
          instance,
        }),
      ),
      failed: true,
    };
  };
  const finish = (result: unknown): Outcome => {
    const check = withDirection('outgoing', settings.formats, () => checkResponse(spec, result, settings.validate));
    if (check.ok) return { response: check.response, failed: false };
    settings.emit({
      type: 'response-invalid',
      operationId: spec.id,
      correlationId,
      status: check.status ?? 0,
      issues: check.issues,
    });
    return { response: problemRaw(invalidResponseProblem(check, instance)), failed: true };
  };
  const context = new Context(spec.id, correlationId, raw, idempotencyKey, tx);
  let result: unknown;
  try {
    const run = settings.runWithCorrelationId;
    result = run === undefined ? handler(input, context) : run(correlationId, () => handler(input, context));
  } catch (error) {
    return failure(error);
  }
  return isThenable(result) ? Promise.resolve(result).then(finish, failure) : finish(result);
}
