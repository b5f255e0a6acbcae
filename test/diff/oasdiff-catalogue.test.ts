import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { coverageById, notCoveredReasons, readCatalogue } from '../../src/diff/rules/oasdiff-catalogue.js';
import { expand, OASDIFF } from '../../src/diff/rules/oasdiff-map.js';
import { NOT_COVERED } from '../../src/diff/rules/oasdiff-not-covered.js';
import { allRules, isDecision } from '../../src/diff/rules/registry.js';
import type { Direction, Level } from '../../src/diff/types.js';

// docs/oasdiff-checks.tsv is oasdiff's checker catalogue (ids and levels from its source; header names the commit).
const catalogue = readCatalogue(path.resolve('.'));
const levels = new Map(catalogue.entries.map((entry) => [entry.id, entry.level]));
const RANK: Record<Level, number> = { info: 1, warning: 2, breaking: 3 };
const DIRECTIONS: Direction[] = ['request', 'response', 'document'];

describe("oasdiff's catalogue: every check has a concord rule or a written reason", () => {
  test('the catalogue is the file the header describes: unique ids, a source commit', () => {
    expect(catalogue.header.join(' ')).toMatch(/commit [0-9a-f]{40}/);
    expect(catalogue.entries.length).toBeGreaterThan(500);
    expect(new Set(catalogue.entries.map((entry) => entry.id)).size).toBe(catalogue.entries.length);
  });

  test('every catalogue id is mapped to a rule or listed as not covered, never both', () => {
    const covered = coverageById();
    const reasons = notCoveredReasons();
    expect(catalogue.entries.filter((entry) => !covered.has(entry.id) && !reasons.has(entry.id)).map((entry) => entry.id)).toEqual([]);
    expect(catalogue.entries.filter((entry) => covered.has(entry.id) && reasons.has(entry.id)).map((entry) => entry.id)).toEqual([]);
  });

  // What oasdiff flags above info is all reported, so `--fail-on warning` under concord's profile is a superset.
  test('every check oasdiff rates breaking or warning has a concord rule', () => {
    const reasons = notCoveredReasons();
    expect(catalogue.entries.filter((entry) => reasons.has(entry.id) && (entry.level === 'breaking' || entry.level === 'warning')).map((entry) => entry.id)).toEqual([]);
  });

  test('every mapped or excused id exists in the catalogue', () => {
    const mapped = [...coverageById().keys()];
    const excused = NOT_COVERED.flatMap((entry) => entry.ids);
    expect([...mapped, ...excused].filter((id) => !levels.has(id))).toEqual([]);
    for (const entry of NOT_COVERED) expect(entry.reason.length, entry.ids.join(', ')).toBeGreaterThan(30);
  });

  test('every mapping names an existing rule, in a direction the rule decides', () => {
    const rules = new Map(allRules().map((rule) => [rule.id, rule]));
    for (const [id, mapping] of Object.entries(OASDIFF)) {
      const rule = rules.get(id);
      expect(rule, id).toBeDefined();
      for (const direction of DIRECTIONS) {
        if (!mapping[direction] || !rule) continue;
        const decision = direction === 'document' ? rule.document : rule[direction];
        expect(isDecision(decision), `${id} maps oasdiff checks in the ${direction} direction, which it does not decide`).toBe(true);
      }
    }
  });

  // The concord profile must flag a superset of what oasdiff flags.
  test.each(allRules().filter((rule) => rule.oasdiffChecks).map((rule) => [rule.id, rule] as const))("%s: concord's level is never below oasdiff's", (_id, rule) => {
    for (const direction of DIRECTIONS) {
      const ids = rule.oasdiffChecks?.[direction] ?? [];
      const decision = direction === 'document' ? rule.document : rule[direction];
      if (ids.length === 0 || !isDecision(decision)) continue;
      const known = ids.filter((id) => levels.get(id) !== undefined);
      for (const id of known) expect(RANK[decision.level], `${id} (${direction}) is ${levels.get(id)} in oasdiff`).toBeGreaterThanOrEqual(RANK[levels.get(id) as Level]);
      // Where concord is higher than oasdiff for any mapped id, the reason is written next to the mapping.
      if (known.some((id) => RANK[levels.get(id) as Level] < RANK[decision.level])) expect(OASDIFF[rule.id]?.[direction]?.reason?.length ?? 0, `${rule.id} (${direction}) needs a reason`).toBeGreaterThan(20);
      // The oasdiff profile reports oasdiff's level for the rule's main (first) check.
      const main = levels.get(ids[0] as string);
      if (main !== undefined) expect(decision.oasdiff?.level ?? decision.level, `${rule.id} (${direction}): oasdiff level of ${ids[0]}`).toBe(main);
    }
  });

  test('expand() spells out brace families', () => {
    expect(expand('request-{body,property}-max-{set,decreased}')).toEqual(['request-body-max-set', 'request-body-max-decreased', 'request-property-max-set', 'request-property-max-decreased']);
    expect(expand('webhook-added')).toEqual(['webhook-added']);
  });
});
