/**
 * What a server tells a client about its own failure, shared by the provider router and the mock: a 500 problem
 * that names the request (correlation id, instance) and never carries internal error text — database messages,
 * stack-derived names, file paths — unless the operator opted in with `exposeErrors: true`. The details go to the
 * server's own events and logs, where the correlation id finds them.
 */
import { problem, PROBLEM_TYPES, type ProblemDetails } from './problem.js';

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function internalErrorProblem(
  error: unknown,
  expose: boolean,
  instance: string,
  correlationId: string,
  title = 'Internal Server Error',
): ProblemDetails {
  return problem(500, {
    type: PROBLEM_TYPES.handlerFailed,
    title,
    ...(expose ? { detail: errorText(error) } : {}),
    instance,
    correlationId,
  });
}

/** A handler's answer outside the contract: the reason only when exposed, like any internal failure. */
export function contractBreachProblem(
  reason: string,
  issues: ReadonlyArray<{ pointer: string; message: string }>,
  expose: boolean,
  type: string,
  instance: string,
  correlationId: string,
): ProblemDetails {
  return problem(500, {
    type,
    title: 'The handler answered outside the contract',
    ...(expose
      ? {
          detail: reason,
          ...(issues.length === 0 ? {} : { pointer: issues[0]?.pointer ?? '', errors: issues.slice(0, 100) }),
        }
      : {}),
    instance,
    correlationId,
  });
}
