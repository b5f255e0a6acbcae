// A user program against the client generated from fixtures/payments.yaml, written the way the README shows it.
// The test copies it next to the generated `api/` folder, type-checks it under the strictest tsconfig (each
// `@ts-expect-error` is a misuse that must not compile) and runs `main` against `concord mock --stateful`.
import {
  createClient,
  AuthError,
  RequestValidationError,
  type CreatePaymentResult,
  type GetPaymentResult,
  type NotFound,
  type Payment,
  type PaymentRequest,
  type ValidationProblem,
} from './api/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function exactly<A, B>(_proof: Equal<A, B>): void {}

export async function main(baseUrl: string, token: string): Promise<string[]> {
  const log: string[] = [];
  const attempts: Array<string | null> = [];
  let failFirst = true;
  const api = createClient({
    baseUrl,
    auth: { bearer: token },
    retry: { maxAttempts: 3, baseMs: 1, capMs: 5 },
    // The first attempt of the first call gets a 503, so the client retries: the key must not change.
    fetch: async (url, init) => {
      attempts.push(new Headers(init?.headers).get('Idempotency-Key'));
      if (failFirst) {
        failFirst = false;
        return new Response('busy', { status: 503 });
      }
      return fetch(url, init);
    },
  });

  // The idempotency key is the client's job: none given, one is generated and reused on the retry.
  const order = { id: 'order-1', amount: 1250 };
  const body: PaymentRequest = { amount: order.amount, currency: 'EUR', reference: order.id };
  const created = await api.createPayment({ body });
  log.push(`attempts ${attempts.length}, one key ${new Set(attempts).size === 1 && attempts[0] !== null}`);
  if (created.status === 201) {
    exactly<typeof created.data, Payment>(true);
    log.push(`created ${created.data.status} ${created.data.amount}`);
    // @ts-expect-error a typo in a property name is a compile error: output types are closed
    void created.data.refrence;
  } else if (!created.ok && created.status === 422) {
    exactly<typeof created.error, ValidationProblem>(true);
    log.push(`invalid ${created.error.errors.length}`);
  } else {
    exactly<typeof created.error, unknown>(true);
    log.push(`unexpected ${created.status}`);
  }

  // The caller's key: the same key twice gives the first answer back.
  const first = await api.createPayment({ body }, { idempotencyKey: order.id });
  const again = await api.createPayment({ body }, { idempotencyKey: order.id });
  if (first.ok && again.ok) log.push(`replayed ${first.data.id === again.data.id}`);

  // A key given both ways must agree.
  try {
    await api.createPayment({ body, headers: { 'Idempotency-Key': 'a' } }, { idempotencyKey: 'b' });
    log.push('conflict accepted');
  } catch (error) {
    log.push(error instanceof RequestValidationError ? `conflict: ${error.message}` : `conflict threw ${String(error)}`);
  }

  // Narrowing by status: each declared status has exactly its own body type.
  const missing = await api.getPayment({ path: { id: 'no-such-payment' } });
  if (!missing.ok && missing.status === 404) {
    exactly<typeof missing.error, NotFound>(true);
    log.push(`404 ${missing.error.code}`);
  }
  if (missing.ok) {
    exactly<typeof missing.data, Payment>(true);
    exactly<typeof missing.status, 200>(true);
  }
  if (first.ok) {
    const read = await api.getPayment({ path: { id: first.data.id } });
    if (read.status === 200) log.push(`read ${read.data.reference}`);
  }
  // Statuses the contract does not declare stay reachable, in a variant of their own.
  const readStatus = (r: GetPaymentResult): void => {
    if (r.status === 418) exactly<typeof r.error, unknown>(true);
    if (r.status === 404) exactly<typeof r.error, NotFound>(true);
  };
  const createStatus = (r: CreatePaymentResult): void => {
    if (r.status === 422) exactly<typeof r.error, ValidationProblem>(true);
    if (r.status === 500) exactly<typeof r.error, unknown>(true);
  };
  readStatus(missing);
  createStatus(created);
  const unchecked = await api.createPayment({ body: { ...body, amount: 0 } }, { validate: { request: false } });
  if (!unchecked.ok && unchecked.status !== 422) log.push(`undeclared ${typeof unchecked.status}`);
  else if (!unchecked.ok) log.push(`declared ${unchecked.status}`);

  // throwOnError: only the success variants come back.
  const strict = createClient({ baseUrl, auth: { bearer: token }, throwOnError: true });
  const payment = await strict.createPayment({ body });
  exactly<typeof payment.data, Payment>(true);

  // Credentials are keyed by the contract's scheme name; the run-time error names the declared ones.
  try {
    // @ts-expect-error the contract calls its scheme `bearer`, not `bearerAuth`
    const wrong = createClient({ baseUrl, auth: { bearerAuth: token } });
    await wrong.getPayment({ path: { id: 'x' } });
    log.push('unknown scheme accepted');
  } catch (error) {
    log.push(error instanceof AuthError ? `auth: ${error.message}` : `auth threw ${String(error)}`);
  }
  return log;
}

/** Misuses that must not compile (never called). */
export async function misuses(baseUrl: string): Promise<void> {
  const api = createClient({ baseUrl });
  // @ts-expect-error the body is required
  await api.createPayment({});
  // @ts-expect-error no input at all
  await api.createPayment();
  // @ts-expect-error a readOnly property is not part of the request body
  await api.createPayment({ body: { amount: 1, currency: 'EUR', reference: 'r', id: 'mine' } });
  // @ts-expect-error the path parameter is required
  await api.getPayment({ path: {} });
  const r = await api.getPayment({ path: { id: '1' } });
  // @ts-expect-error data is only there once the result is narrowed to a success
  void r.data.id;
  if (!r.ok && r.status === 404) {
    // @ts-expect-error the 404 body has no `errors`
    void r.error.errors;
  }
  // @ts-expect-error an unknown option
  await api.getPayment({ path: { id: '1' } }, { idempotencyKee: 'x' });
}
