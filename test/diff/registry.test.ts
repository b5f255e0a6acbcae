import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { allRules, isDecision } from '../../src/diff/rules/registry.js';
import { LEVELS } from '../../src/diff/types.js';

describe('rule registry', () => {
  test('ids are unique kebab-case', () => {
    const ids = allRules().map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  // Symmetry: each rule decided both message directions, or says in words why one does not apply.
  test.each(allRules().map((rule) => [rule.id, rule] as const))('%s decides request and response', (_id, rule) => {
    for (const direction of ['request', 'response'] as const) {
      const decision = rule[direction];
      if (isDecision(decision)) {
        expect(LEVELS).toContain(decision.level);
        expect(decision.why.length).toBeGreaterThan(10);
      } else {
        expect(decision.notApplicable.length).toBeGreaterThan(20);
      }
    }
    const applicable = [rule.request, rule.response, rule.document].filter((decision) => isDecision(decision));
    expect(applicable.length).toBeGreaterThan(0);
    expect(rule.description.length).toBeGreaterThan(10);
  });

  test('the published report schema lists exactly the registry ids', () => {
    const schema = JSON.parse(readFileSync('schemas/diff-report.schema.json', 'utf8')) as { $defs: { change: { properties: { id: { enum: string[] } } } } };
    expect([...schema.$defs.change.properties.id.enum].sort()).toEqual(allRules().map((rule) => rule.id).sort());
  });
});
