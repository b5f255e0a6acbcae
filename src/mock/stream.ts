import type { IrMediaType, IrOperation, IrResponse } from '../ir/types.js';
import { ConcordError } from '../errors.js';
import { fakeValid, hashSeed } from './fake/index.js';
import type { Responder } from './respond.js';

/**
 * Streaming answers: seeded events, one per item of the contract's per-event schema, framed as SSE (`id:` is the
 * event's 1-based index, so `Last-Event-ID: n` resumes at n+1), NDJSON or JSON-seq. `Prefer: stream-count=5`,
 * `stream-delay=20ms` (pacing) and `stream-cut=3` (drop the connection after 3 events) shape one answer; chaos
 * `cut=0.1` cuts a stream at a seeded point.
 */

export const DEFAULT_EVENT_COUNT = 5;
const MAX_EVENT_COUNT = 100_000;
/** The reconnection delay resumable streams announce (`retry:`), kept short: the mock is for tests. */
const RESUME_RETRY_MS = 50;

/** Thrown by a stream's iterator to make the server drop the connection mid-way. */
export class StreamCut extends Error {
  constructor(readonly after: number) {
    super(`stream cut after ${after} event(s)`);
  }
}

export interface StreamPlan {
  count: number;
  delayMs: number;
  /** Cut the connection after this many events of this answer. */
  cutAfter: number | undefined;
  /** Index of the first event (1-based): after `Last-Event-ID`. */
  first: number;
}

function count(text: string | undefined, name: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > max) throw new ConcordError('USAGE', `Prefer: ${name}=${text}: expected a whole number up to ${max}.`);
  return Number(text);
}

export function planStream(prefer: ReadonlyMap<string, string>, lastEventId: string | undefined): StreamPlan {
  const events = count(prefer.get('stream-count'), 'stream-count', MAX_EVENT_COUNT) ?? DEFAULT_EVENT_COUNT;
  const delay = prefer.get('stream-delay');
  const match = delay === undefined ? undefined : /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(delay);
  if (delay !== undefined && !match) throw new ConcordError('USAGE', `Prefer: stream-delay=${delay}: expected a duration such as 20ms or 1s.`);
  const delayMs = match ? Number(match[1]) * (match[2] === 's' ? 1000 : 1) : 0;
  const resumeAfter = lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : 0;
  const cut = count(prefer.get('stream-cut'), 'stream-cut', MAX_EVENT_COUNT);
  return { count: events, delayMs, cutAfter: cut, first: resumeAfter + 1 };
}

function frame(media: IrMediaType, value: unknown, index: number, resumable: boolean): string {
  const data = typeof value === 'string' && media.stream?.item.kind === 'string' ? value : JSON.stringify(value);
  if (media.stream?.format === 'sse') {
    const retry = resumable && index === 1 ? `retry: ${RESUME_RETRY_MS}\n` : '';
    return `${retry}id: ${index}\n${data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join('\n')}\n\n`;
  }
  if (media.stream?.format === 'json-seq') return `\u001e${data}\n`;
  return `${data}\n`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The chunks of one streaming answer; the same seed, operation and index give the same event every time. */
export async function* streamEvents(responder: Responder, operation: IrOperation, response: IrResponse, media: IrMediaType, plan: StreamPlan, seed: number): AsyncGenerator<string> {
  const item = media.stream?.item ?? media.schema;
  const validator = responder.validatorFor(operation, response, media);
  let sent = 0;
  for (let index = plan.first; index <= plan.count; index++) {
    if (plan.cutAfter !== undefined && sent >= plan.cutAfter) throw new StreamCut(sent);
    if (plan.delayMs > 0 && sent > 0) await sleep(plan.delayMs);
    const { value } = fakeValid(responder.generator, item, validator, hashSeed(seed, operation.name, 'event', index));
    yield frame(media, value, index, operation.stream?.resumable === true);
    sent++;
  }
}
