import { test } from 'vitest';
import { startMockServer } from '../../src/mock/index.js';
import { verifyProvider } from '../../src/verify/run.js';

test('smoke', async () => {
  const mock = await startMockServer({ spec: 'fixtures/mock-pets.yaml', maxRecordedRequests: 0, stateful: true });
  try {
    const report = await verifyProvider({ spec: 'fixtures/mock-pets.yaml', baseUrl: mock.url, auth: { bearer: 't', apiKey: 'k' }, stateful: true, checks: ['stateful'] });
    console.log(JSON.stringify({ ...report, operations: report.operations.map((o) => `${o.operation} ${o.requests} ${JSON.stringify(o.checks)} ${o.skipped.join(';')}`) }, null, 1).slice(0, 8000));
  } finally {
    await mock.close();
  }
});
