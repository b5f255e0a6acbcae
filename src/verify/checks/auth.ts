import { credentialNames, requiresCredentials } from '../auth.js';
import type { VerifyContext } from '../context.js';
import type { OperationRun } from '../operation-run.js';
import type { RequestValues } from '../values.js';
import { encodeRequest } from '../wire.js';
import { freshKey } from './positive.js';

/** `auth-required`: an operation whose every security alternative names a credential answers 401/403 without one. */
export async function runAuth(ctx: VerifyContext, run: OperationRun, base: RequestValues): Promise<void> {
  const operation = run.operation;
  if (!requiresCredentials(ctx, operation)) return;
  const encoded = await encodeRequest(ctx, operation, base, { auth: false, ...freshKey(ctx, operation, 'anon') });
  if (!encoded) return;
  const names = credentialNames(ctx);
  for (const name of Object.keys(encoded.wire.headers)) if (names.headers.has(name)) delete encoded.wire.headers[name];
  const result = await run.send(encoded.wire);
  const status = result.ok ? result.response.status : 0;
  const passed = status === 401 || status === 403;
  run.tally('auth-required', passed);
  if (passed) return;
  run.fail({
    check: 'auth-required',
    message: `a request without credentials got ${result.ok ? status : `no answer (${result.error})`}; the contract requires ${operation.security.map((alt) => alt.map((e) => e.scheme).join(' + ')).join(' or ')}`,
    pointer: '/status',
    contractPointer: `${operation.pointer}/security`,
    request: encoded.wire,
    response: result.ok ? result.response : undefined,
    requestsToFind: 1,
  });
}
