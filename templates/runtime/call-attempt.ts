/**
 * Per-attempt plumbing for the call loop: the attempt's signal and timer, its fetch init, and small helpers.
 */
import type { AttemptParts } from './plugins.js';

export interface LinkedSignal {
  signal: AbortSignal | undefined;
  timedOut(): boolean;
  clearTimer(): void;
  release(): void;
}

const never = (): boolean => false;
const nothing = (): void => undefined;
const UNLINKED: LinkedSignal = { signal: undefined, timedOut: never, clearTimer: nothing, release: nothing };

/** The caller's signal plus a per-attempt timer. The timer covers the wait for response headers. */
export function linkSignal(parent: AbortSignal | undefined, timeoutMs: number): LinkedSignal {
  if (!Number.isFinite(timeoutMs))
    return parent === undefined ? UNLINKED : { signal: parent, timedOut: never, clearTimer: nothing, release: nothing };
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted === true) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort(new DOMException('The attempt timed out', 'TimeoutError'));
    },
    Math.max(1, timeoutMs),
  );
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clearTimer: () => clearTimeout(timer),
    release: () => parent?.removeEventListener('abort', onAbort),
  };
}

export function attemptInit(
  original: Request | undefined,
  parts: AttemptParts,
  signal: AbortSignal | undefined,
): RequestInit {
  const init: RequestInit = { method: parts.method, headers: parts.headers, body: parts.body };
  if (original !== undefined) {
    init.redirect = original.redirect;
    init.credentials = original.credentials;
    init.cache = original.cache;
    init.integrity = original.integrity;
    init.keepalive = original.keepalive;
    init.referrerPolicy = original.referrerPolicy;
    if (original.mode !== 'navigate') init.mode = original.mode;
  }
  if (signal !== undefined) init.signal = signal;
  return init;
}

/** A function, so TypeScript does not carry a narrowing of `signal.aborted` across awaits. */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Already consumed or errored: nothing left to release.
  }
}

export function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error && cause.message !== error.message
    ? `${error.message}: ${cause.message}`
    : error.message;
}
