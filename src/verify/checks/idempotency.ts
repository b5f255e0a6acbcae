import { isDeepStrictEqual } from 'node:util';
import type { VerifyContext } from '../context.js';
import type { OperationRun } from '../operation-run.js';
import type { SendResult, WireResponse } from '../transport.js';
import type { EncodedRequest } from '../wire.js';
import { encodeRequest } from '../wire.js';
import type { PositiveCase } from './positive.js';

/**
 * `idempotency`, for keyed operations, the semantics concord's own middleware implements: the same key and
 * payload again is a replay (same status and body); the same key with another payload is a 422; concurrent
 * copies of one key produce one effect (every answer is a 409 or the same answer).
 */

const CONCURRENT_COPIES = 3;

function bodyOf(response: WireResponse): unknown {
  const text = Buffer.from(response.body).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const sameAnswer = (a: WireResponse, b: WireResponse): boolean => a.status === b.status && isDeepStrictEqual(bodyOf(a), bodyOf(b));

function fingerprint(encoded: EncodedRequest): string {
  return `${encoded.wire.url}\u0000${encoded.wire.body ? Buffer.from(encoded.wire.body).toString('base64') : ''}`;
}

export async function runIdempotency(ctx: VerifyContext, run: OperationRun, cases: PositiveCase[]): Promise<void> {
  const operation = run.operation;
  if (operation.idempotency.mode !== 'keyed') return;
  const base = cases.find((c) => c.response !== undefined && c.response.status >= 200 && c.response.status < 300);
  if (!base) {
    run.skip('idempotency: no keyed request got a 2xx to replay');
    return;
  }
  let sent = 0;
  const send = async (encoded: EncodedRequest): Promise<SendResult> => {
    sent++;
    return run.send(encoded.wire);
  };
  const key = `concord-verify-${ctx.runId}-${operation.name}-replay`;
  const keyed = (encoded: EncodedRequest | undefined, k: string): EncodedRequest | undefined => (encoded ? { ...encoded, wire: { ...encoded.wire, headers: { ...encoded.wire.headers, [operation.idempotency.header.toLowerCase()]: k } } } : undefined);
  const first = keyed(await encodeRequest(ctx, operation, base.encoded.values), key) as EncodedRequest;
  const report = (message: string, pointer: string, request: EncodedRequest, response: WireResponse | undefined): void => {
    run.tally('idempotency', false);
    run.fail({ check: 'idempotency', message, pointer, contractPointer: operation.pointer, request: request.wire, response, requestsToFind: sent });
  };

  const r1 = await send(first);
  const r2 = await send(first);
  if (!r1.ok || !r2.ok) return report(`no answer: ${!r1.ok ? r1.error : !r2.ok ? r2.error : ''}`, '/status', first, undefined);
  if (!sameAnswer(r1.response, r2.response)) {
    const pointer = r1.response.status !== r2.response.status ? '/status' : '/body';
    return report(`the same ${operation.idempotency.header} and payload again got ${r2.response.status} with a different ${pointer === '/status' ? 'status' : 'body'} (first ${r1.response.status}); a replay must return the stored answer`, pointer, first, r2.response);
  }
  run.tally('idempotency', true);

  const other = cases.find((c) => fingerprint(c.encoded) !== fingerprint(base.encoded));
  if (other) {
    const changed = keyed(await encodeRequest(ctx, operation, other.encoded.values), key);
    if (changed) {
      const r3 = await send(changed);
      if (!r3.ok || r3.response.status !== 422) return report(`the same ${operation.idempotency.header} with a different payload got ${r3.ok ? r3.response.status : 'no answer'}; expected 422`, '/status', changed, r3.ok ? r3.response : undefined);
      run.tally('idempotency', true);
    }
  } else run.skip('idempotency: only one distinct payload, so key reuse with another payload was not tried');

  const concurrent = keyed(await encodeRequest(ctx, operation, base.encoded.values), `${key}-concurrent`) as EncodedRequest;
  const answers = await Promise.all(Array.from({ length: CONCURRENT_COPIES }, () => send(concurrent)));
  const effects = answers.flatMap((a) => (a.ok && a.response.status !== 409 ? [a.response] : []));
  const odd = effects.find((r) => !sameAnswer(r, effects[0] as WireResponse));
  if (answers.some((a) => !a.ok)) return report('no answer to one of the concurrent copies', '/status', concurrent, undefined);
  if (odd) return report(`${CONCURRENT_COPIES} concurrent copies with one ${operation.idempotency.header} produced different answers (${effects.map((r) => r.status).join(', ')}): more than one effect`, '/body', concurrent, odd);
  run.tally('idempotency', true);
}
