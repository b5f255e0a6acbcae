import { describe, expect, it } from 'vitest';
import { validateInBackground } from '../../src/load/validate-background.js';
import { validateStructure } from '../../src/load/validate.js';

const invalid = {
  openapi: '3.0.3',
  info: { title: 't' },
  paths: { '/a': { get: { responses: { '200': { descriptio: 'typo' } } }, parameters: [{ name: 'x', in: 'nowhere' }] } },
  components: { schemas: { A: { type: 'object', properties: { self: { $ref: '#/components/schemas/A' } } } } },
};

describe('validateInBackground', () => {
  it('reports what the inline validation reports, in the same order', async () => {
    const inline = await validateStructure(invalid, 'spec.yaml');
    expect(inline.length).toBeGreaterThan(0);
    expect(await validateInBackground(invalid, 'spec.yaml').done).toEqual(inline);
  });

  it('reports nothing for a valid document', async () => {
    const valid = { ...invalid, info: { title: 't', version: '1' }, paths: {} };
    expect(await validateStructure(valid, 'spec.yaml')).toEqual([]);
    expect(await validateInBackground(valid, 'spec.yaml').done).toEqual([]);
  });

  it('settles with no warnings when cancelled', async () => {
    const running = validateInBackground(invalid, 'spec.yaml');
    running.cancel();
    expect(await running.done).toEqual([]);
  });
});
