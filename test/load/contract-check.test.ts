import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/load/load.js';
import { ConcordError } from '../../src/errors.js';
import { closest, editDistance } from '../../src/load/suggest.js';
import type { ContractOverrides } from '../../src/load/overrides.js';
import { ROOT } from '../helpers/workspace.js';

const fixture = (name: string): string => path.join(ROOT, 'fixtures', 'bad', name);

async function failure(file: string, overrides?: ContractOverrides): Promise<ConcordError> {
  const error: unknown = await loadSpec(file, { validate: false, ...(overrides ? { overrides } : {}) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConcordError)) throw new Error(`expected a ConcordError from ${file}, got ${String(error)}`);
  return error;
}

/** 1-based line of the n-th line of `file` that contains `needle` (the expectation comes from the file itself). */
function lineOf(file: string, needle: string, nth = 1): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  let seen = 0;
  const index = lines.findIndex((line) => line.includes(needle) && ++seen === nth);
  if (index === -1) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

describe('contract check: every fault, named by file:line and pointer', () => {
  it('names each kind of fault at the offending node, with did-you-mean and the repairing override', async () => {
    const file = fixture('contract-faults.yaml');
    const error = await failure(file);
    expect(error.code).toBe('SPEC_CONTRACT');
    expect(error.exitCode).toBe(2);
    const text = error.details.join('\n');
    expect(error.details).toHaveLength(6);
    expect(text).toContain(`${file}:${lineOf(file, 'NewPaymnt')} #/paths/~1payments/post/requestBody/content/application~1json/schema/$ref`);
    expect(text).toContain('Did you mean `NewPayment`?');
    expect(text).toContain('Did you mean `Payment`?');
    expect(text).toContain(`${file}:${lineOf(file, 'operationId: createPayment', 2)} #/paths/~1payments~1{id}/get/operationId`);
    expect(text).toContain('overrides: {"operationIds":{"GET /payments/{id}":"getPaymentsById"}}');
    expect(text).toContain(`${file}:${lineOf(file, '/payments/{id}:')} #/paths/~1payments~1{id}\n`);
    expect(text).toContain(`${file}:${lineOf(file, 'integr')} #/components/schemas/NewPayment/properties/amount/type`);
    expect(text).toContain('Did you mean `integer`?');
    // `Missing` is close to no schema name: no guess rather than a wrong one.
    expect(text).toMatch(/"Missing" does not exist\)\.$/m);
  });

  it('lists every broken $ref, not the first and "and 4 more"', async () => {
    const file = fixture('many-broken-refs.yaml');
    const error = await failure(file);
    expect(error.details).toHaveLength(6);
    for (const name of ['Limt', 'Ordr', 'NotFund', 'NewOrdr', 'Itme', "'#/components/schemas/Customer'"]) {
      expect(error.details.join('\n')).toContain(`${file}:${lineOf(file, name)} `);
    }
    expect(error.message).not.toMatch(/more/);
    // A `$ref` inside an example is data, not a fault.
    expect(error.details.join('\n')).not.toContain('not/a/ref');
  });

  it('names broken refs in other files with their own file and line, and a missing file', async () => {
    const root = fixture('external-refs/root.yaml');
    const schemas = fixture('external-refs/schemas.yaml');
    const error = await failure(root);
    const text = error.details.join('\n');
    expect(error.details).toHaveLength(3);
    expect(text).toContain(`${root}:${lineOf(root, 'missing-file.yaml')} #/paths/~1owners/get/responses/200/content/application~1json/schema/$ref`);
    expect(text).toContain(`${schemas}:${lineOf(schemas, '#/Pett')} #/Pets/items/$ref`);
    expect(text).toContain('Did you mean `Pet`?');
    expect(text).toContain(`${schemas}:${lineOf(schemas, '#/Ownr')} #/Pet/properties/owner/$ref`);
  });

  it('path templates: a name with no parameter, and a parameter the template does not name', async () => {
    const file = fixture('path-template.yaml');
    const text = (await failure(file)).details.join('\n');
    expect(text).toContain('{id} in "/payments/{id}" has no `in: path` parameter named "id". Did you mean `paymentId`?');
    expect(text).toContain('overrides: {"pathParameters":{"/payments/{id}":{"id":"paymentId"}}}');
    expect(text).toContain(`${file}:${lineOf(file, 'name: tenant')} #/paths/~1refunds~1{refundId}/parameters/1`);
    expect(text).toContain('{cardId} in "/accounts/{accountId}/cards/{cardId}" has no `in: path` parameter named "cardId"');
  });

  it('the overrides the messages print repair the contract without editing it', async () => {
    const spec = await loadSpec(fixture('path-template.yaml'), {
      validate: false,
      overrides: {
        pathParameters: { '/payments/{id}': { id: 'paymentId' }, '/accounts/{accountId}/cards/{cardId}': { cardId: 'cardId' } },
        patch: { '/paths/~1refunds~1{refundId}/parameters/1': null },
      },
    });
    const paths = spec.document['paths'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths)).toEqual(['/payments/{paymentId}', '/refunds/{refundId}', '/accounts/{accountId}/cards/{cardId}']);
    expect(paths['/refunds/{refundId}']?.['parameters']).toHaveLength(1);
    expect(paths['/accounts/{accountId}/cards/{cardId}']?.['parameters']).toEqual([{ name: 'cardId', in: 'path', required: true, schema: { type: 'string' } }]);

    const repaired = await loadSpec(fixture('contract-faults.yaml'), {
      validate: false,
      overrides: {
        operationIds: { 'GET /payments/{id}': 'getPayment' },
        pathParameters: { '/payments/{id}': { id: 'id' } },
        patch: {
          '/paths/~1payments/post/requestBody/content/application~1json/schema/$ref': '#/components/schemas/NewPayment',
          '/paths/~1payments~1{id}/get/responses/200/content/application~1json/schema/$ref': '#/components/schemas/Payment',
          '/components/schemas/Payment/allOf/1': { type: 'object', properties: { id: { type: 'string' } } },
          '/components/schemas/NewPayment/properties/amount/type': 'integer',
        },
      },
    });
    expect(repaired.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an override that names nothing in the document is a config error', async () => {
    const error = await failure(fixture('path-template.yaml'), { operationIds: { 'GET /nowhere': 'x' } });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('GET /nowhere');
  });
});

describe('did-you-mean', () => {
  it('edit distance and the closeness limit', () => {
    expect(editDistance('Paymnet', 'Payment')).toBe(2);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('NewPaymnt', ['Payment', 'NewPayment', 'Refund'])).toBe('NewPayment');
    expect(closest('Missing', ['Payment', 'NewPayment'])).toBeUndefined();
  });
});
