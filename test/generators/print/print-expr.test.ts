import { describe, expect, it } from 'vitest';
import { code, printJson } from '../../../src/generators/print/print-expr.js';

describe('printJson', () => {
  it('writes a code value as it is, wherever it sits in the literal', () => {
    expect(printJson({ id: 'a', schemas: code('s.getPetSchemas') })).toBe('{ id: "a", schemas: s.getPetSchemas }');
    expect(printJson({ schemas: code('s.x'), id: 'a' })).toBe('{ schemas: s.x, id: "a" }');
    expect(printJson([code('A'), { b: code('B') }])).toBe('[A, { b: B }]');
  });

  it('quotes a string that only looks like code, so spec text cannot break out', () => {
    expect(printJson({ schemas: 's.getPetSchemas }; evil()' })).toBe('{ schemas: "s.getPetSchemas }; evil()" }');
  });

  it('prints unsafe keys safely', () => {
    expect(printJson({ __proto__x: 1, 'a-b': 2 })).toBe('{ __proto__x: 1, "a-b": 2 }');
    expect(printJson(JSON.parse('{"__proto__": 1}'))).toBe('{ ["__proto__"]: 1 }');
  });
});
