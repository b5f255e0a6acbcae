/**
 * Calling one handler and checking its answer. Synchronous when the handler is: a request that needs no body and
 * gets a plain (non-promise) answer is served without a single promise, which is most of the router's speed.
 */
import { contractBreachProblem, internalErrorProblem } from './server-failure.js';
import type { Call, Outcome } from './server-pipeline.js';
import { checkResponse, PROBLEM_RESPONSE_INVALID, problemRaw } from './server-response.js';
import type { AnyHandler, HandlerContext, Queryable, RawRequest, ServerEvent } from './server-types.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

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
  readonly principal: unknown;
  readonly principals: Readonly<Record<string, unknown>>;
  #raw: RawRequest;
  #built: Request | undefined;
  // No parameter properties: the runtime stays erasable TypeScript (Node's type stripping, erasableSyntaxOnly).
  constructor(call: Call) {
    this.operationId = call.spec.id;
    this.correlationId = call.correlationId;
    this.idempotencyKey = call.idempotencyKey;
    const tx = call.tx;
    this.transaction = tx === undefined ? undefined : (fn) => tx.run(fn);
    this.principal = call.principal;
    this.principals = call.principals;
    this.#raw = call.raw;
  }
  get request(): Request {
    this.#built ??= this.#raw.toRequest();
    return this.#built;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'then') === 'function';
}

/** The provider's answer step: the user's handler, its answer checked against the contract. */
export function invoke(settings: InvokeSettings, handler: AnyHandler, call: Call): Outcome | Promise<Outcome> {
  const { spec, instance, correlationId } = call;
  const failure = (error: unknown): Outcome => {
    settings.emit({ type: 'handler-error', operationId: spec.id, correlationId, error });
    return {
      response: problemRaw(internalErrorProblem(error, settings.exposeErrors, instance, correlationId)),
      failed: true,
    };
  };
  const finish = (result: unknown): Outcome => {
    let check: ReturnType<typeof checkResponse>;
    try {
      // Validating or encoding a pathological answer (a cycle, a BigInt, nesting deep enough to overflow the stack)
      // throws; that is the handler's failure, answered like any other, never an exception out of the pipeline.
      check = withDirection('outgoing', settings.formats, () => checkResponse(spec, result, settings.validate));
    } catch (error) {
      return failure(error);
    }
    if (check.ok) return { response: check.response, failed: false };
    settings.emit({
      type: 'response-invalid',
      operationId: spec.id,
      correlationId,
      status: check.status ?? 0,
      issues: check.issues,
    });
    const details = contractBreachProblem(
      check.reason,
      check.issues,
      settings.exposeErrors,
      PROBLEM_RESPONSE_INVALID,
      instance,
      correlationId,
    );
    return { response: problemRaw(details), failed: true };
  };
  const context = new Context(call);
  let result: unknown;
  try {
    const run = settings.runWithCorrelationId;
    result = run === undefined ? handler(call.input, context) : run(correlationId, () => handler(call.input, context));
  } catch (error) {
    return failure(error);
  }
  return isThenable(result) ? Promise.resolve(result).then(finish, failure) : finish(result);
}
