import { describe, expect, it } from 'vitest';
import { decideIdempotency } from '../../src/ir/build/idempotency.js';
import type { HttpMethod, IrParameter } from '../../src/ir/types.js';

const keyHeader = (required: boolean): IrParameter => ({
  name: 'Idempotency-Key', in: 'header', required, deprecated: false, style: 'simple', explode: false, allowReserved: false, schema: { kind: 'string', pointer: '' }, pointer: '',
});

describe('decideIdempotency: one decision, shared by client, mock and server', () => {
  const options = { header: 'Idempotency-Key', keyed: new Set(['chargeCard', 'POST /refunds']) };
  const table: Array<{ given: [HttpMethod, string, string, IrParameter[], unknown]; want: { mode: string; required: boolean; source: string } }> = [
    { given: ['get', 'listPets', '/pets', [], undefined], want: { mode: 'safe', required: false, source: 'method' } },
    { given: ['head', 'headPets', '/pets', [], undefined], want: { mode: 'safe', required: false, source: 'method' } },
    { given: ['put', 'putPet', '/pets/{id}', [], undefined], want: { mode: 'idempotent', required: false, source: 'method' } },
    { given: ['delete', 'deletePet', '/pets/{id}', [], undefined], want: { mode: 'idempotent', required: false, source: 'method' } },
    { given: ['post', 'createPet', '/pets', [], undefined], want: { mode: 'none', required: false, source: 'method' } },
    { given: ['patch', 'patchPet', '/pets/{id}', [], undefined], want: { mode: 'none', required: false, source: 'method' } },
    { given: ['post', 'createPet', '/pets', [keyHeader(true)], undefined], want: { mode: 'keyed', required: true, source: 'header-parameter' } },
    { given: ['post', 'createPet', '/pets', [keyHeader(false)], undefined], want: { mode: 'keyed', required: false, source: 'header-parameter' } },
    { given: ['post', 'createPet', '/pets', [], true], want: { mode: 'keyed', required: false, source: 'x-idempotency' } },
    { given: ['post', 'createPet', '/pets', [], { required: true }], want: { mode: 'keyed', required: true, source: 'x-idempotency' } },
    { given: ['post', 'createPet', '/pets', [], { enabled: false }], want: { mode: 'none', required: false, source: 'method' } },
    { given: ['post', 'chargeCard', '/charges', [], undefined], want: { mode: 'keyed', required: false, source: 'config' } },
    { given: ['post', 'createRefund', '/refunds', [], undefined], want: { mode: 'keyed', required: false, source: 'config' } },
  ];
  it.each(table)('$given.0 $given.2 ($given.4) -> $want.mode', ({ given, want }) => {
    const [method, name, path, parameters, extension] = given;
    expect(decideIdempotency(method, name, path, parameters, extension, options)).toMatchObject(want);
  });
});
