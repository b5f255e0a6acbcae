import { afterAll, describe, expect, test } from 'vitest';
import { verifyProvider, type CheckId, type VerifyOptions, type VerifyReport } from '../../src/verify/index.js';
import { startWidgetsProvider, type Fault } from './widgets-provider.js';

const SPEC = 'fixtures/verify/widgets.yaml';
const found: string[] = [];

async function verifyAgainst(faults: Fault[], options: Partial<VerifyOptions> = {}): Promise<VerifyReport> {
  const provider = await startWidgetsProvider(new Set(faults));
  try {
    return await verifyProvider({ spec: SPEC, baseUrl: provider.url, auth: { bearer: 'secret' }, maxRequests: 10, stateful: true, ...options });
  } finally {
    await provider.close();
  }
}

function only(report: VerifyReport, check: CheckId, operation: string) {
  const failure = report.failures.find((f) => f.check === check && f.operation === operation);
  expect(failure, `${check} on ${operation}; got ${JSON.stringify(report.failures.map((f) => [f.check, f.operation, f.message]))}`).toBeDefined();
  if (!failure) throw new Error('unreachable');
  found.push(`${check.padEnd(18)} ${operation.padEnd(14)} found after ${failure.requestsToFind} request(s), shrunk with ${failure.shrinkRequests}: ${failure.message}`);
  // Every failure carries what a developer needs to reproduce it.
  expect(failure.request.curl).toMatch(/^curl -sS -X [A-Z]+ '/);
  expect(failure.pointer).toMatch(/^\//);
  return failure;
}

describe('verify against a hand-written provider', () => {
  afterAll(() => console.log(`seeded violations:\n  ${found.join('\n  ')}`));

  test('the honest provider passes every check, stateful included', async () => {
    const report = await verifyAgainst([]);
    expect(report.failures).toEqual([]);
    for (const id of ['status-declared', 'response-schema', 'content-type', 'no-server-error', 'negative-rejected', 'auth-required', 'idempotency', 'stateful'] as const) {
      expect(report.totals[id].passed, id).toBeGreaterThan(0);
    }
    // JSON, url-encoded form and multipart bodies were all sent and accepted.
    const upload = report.operations.find((o) => o.operation === 'upload');
    expect(upload?.checks['status-declared']?.passed).toBeGreaterThanOrEqual(2);
  });

  test('a response missing a required field: response-schema, on the read after create', async () => {
    const report = await verifyAgainst(['missing-field'], { operations: ['createWidget', 'getWidget'] });
    // Random ids mostly miss (404 is declared); the read of a created widget shows the missing field.
    const failure = only(report, 'response-schema', 'getWidget');
    expect(failure.pointer).toBe('/body/size');
    expect(failure.message).toMatch(/CRUD sequence/);
    expect(failure.requestsToFind).toBe(2);
  });

  test('an undeclared 500 that needs one parameter: no-server-error and status-declared, shrunk to that parameter', async () => {
    const report = await verifyAgainst(['server-error'], { operations: ['listWidgets'] });
    const failure = only(report, 'no-server-error', 'listWidgets');
    only(report, 'status-declared', 'listWidgets');
    expect(failure.response?.status).toBe(500);
    expect(failure.request.url).toMatch(/limit=/);
    expect(failure.request.url).not.toMatch(/color=/);
    expect(failure.request.headers['x-trace']).toBeUndefined();
    expect(failure.requestsToFind).toBeLessThanOrEqual(3);
  });

  test('an undeclared status: status-declared', async () => {
    const report = await verifyAgainst(['undeclared-status'], { operations: ['createWidget'] });
    const failure = only(report, 'status-declared', 'createWidget');
    expect(failure.response?.status).toBe(202);
    expect(failure.requestsToFind).toBe(1);
    // Shrunk: the optional color and notes are gone.
    expect(JSON.parse(failure.request.body ?? '{}')).not.toHaveProperty('notes');
  });

  test('a 2xx for an invalid body: negative-rejected', async () => {
    const report = await verifyAgainst(['accepts-invalid'], { operations: ['createWidget'] });
    const failure = only(report, 'negative-rejected', 'createWidget');
    expect(failure.response?.status).toBe(201);
    expect(failure.requestsToFind).toBe(1);
  });

  test('a keyed POST that applies twice: idempotency, on the replay', async () => {
    const report = await verifyAgainst(['applies-twice'], { operations: ['createWidget'] });
    const failure = only(report, 'idempotency', 'createWidget');
    expect(failure.requestsToFind).toBe(2);
    expect(failure.request.headers['idempotency-key']).toMatch(/^concord-verify-/);
  });

  test('a missing 401: auth-required', async () => {
    const report = await verifyAgainst(['no-auth'], { operations: ['getProfile'] });
    const failure = only(report, 'auth-required', 'getProfile');
    expect(failure.request.headers['authorization']).toBeUndefined();
    expect(failure.requestsToFind).toBe(1);
  });

  test('a GET after create returning other data: stateful', async () => {
    const report = await verifyAgainst(['other-data'], { operations: ['createWidget', 'getWidget'] });
    const failure = only(report, 'stateful', 'createWidget');
    expect(failure.message).toMatch(/other data/);
    expect(failure.requestsToFind).toBe(2);
  });

  test('a wrong content type: content-type', async () => {
    const report = await verifyAgainst(['wrong-content-type'], { operations: ['getReport'] });
    const failure = only(report, 'content-type', 'getReport');
    expect(failure.pointer).toBe('/header/content-type');
    expect(failure.requestsToFind).toBe(1);
  });

  test('a declared response header of the wrong type: response-schema', async () => {
    const report = await verifyAgainst(['bad-header'], { operations: ['getReport'] });
    const failure = only(report, 'response-schema', 'getReport');
    expect(failure.pointer).toBe('/header/x-report-version');
    expect(failure.requestsToFind).toBe(1);
  });

});

test('a provider that never answers: no-server-error names the timeout, and the run still ends', async () => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url === '/') res.end('ok');
    // Every other request hangs.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    const report = await verifyProvider({ spec: SPEC, baseUrl: `http://127.0.0.1:${port}`, operations: ['getReport'], maxRequests: 1, negative: false, timeoutMs: 300 });
    const failure = report.failures.find((f) => f.check === 'no-server-error');
    expect(failure?.message).toMatch(/no answer: no answer within 300 ms/);
    expect(failure?.response).toBeUndefined();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
