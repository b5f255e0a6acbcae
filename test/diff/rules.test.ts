import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { allRules, isDecision } from '../../src/diff/rules/registry.js';
import type { Direction } from '../../src/diff/types.js';
import { CATALOGUE } from './catalogue-cases.js';
import { diffFiles, FIXTURES } from './helpers.js';

const DIRECTIONS: Direction[] = ['request', 'response', 'document'];

describe('every rule has a triggering fixture and a near miss', () => {
  // Rules added for oasdiff's catalogue keep the same discipline as inline tables in catalogue.test.ts.
  const inCatalogue = new Set(CATALOGUE.map((entry) => entry.rule));
  test('every rule has fixtures: a directory here or a case in the catalogue table', () => {
    for (const rule of allRules()) expect(inCatalogue.has(rule.id) || existsSync(path.join(FIXTURES, rule.id)), rule.id).toBe(true);
  });

  test.each(allRules().filter((rule) => !inCatalogue.has(rule.id)).map((rule) => [rule.id, rule] as const))('%s', async (id, rule) => {
    const dir = path.join(FIXTURES, id);
    for (const file of ['base.yaml', 'revision.yaml', 'near-miss/base.yaml', 'near-miss/revision.yaml']) expect(existsSync(path.join(dir, file)), `${id}/${file}`).toBe(true);

    const trigger = await diffFiles(path.join(dir, 'base.yaml'), path.join(dir, 'revision.yaml'));
    for (const direction of DIRECTIONS) {
      const decision = direction === 'document' ? rule.document : rule[direction];
      const found = trigger.changes.filter((change) => change.id === id && change.direction === direction);
      if (isDecision(decision)) {
        // The fixture must exercise every direction the rule decided, at the level the registry gives.
        expect(found.length, `${id} should fire in the ${direction} direction`).toBeGreaterThan(0);
        for (const change of found) {
          expect(change.level).toBe(decision.level);
          expect(change.family).toBe(rule.family);
          expect(change.message).toContain(decision.why);
          expect(change.basePointer ?? change.revisionPointer).toBeDefined();
        }
      } else {
        expect(found, `${id} must never fire in the ${direction} direction`).toEqual([]);
      }
    }

    const nearMiss = await diffFiles(path.join(dir, 'near-miss/base.yaml'), path.join(dir, 'near-miss/revision.yaml'));
    expect(nearMiss.changes.filter((change) => change.id === id)).toEqual([]);
  });

  test('no fixture directory without a rule', async () => {
    const { readdir } = await import('node:fs/promises');
    const known = new Set(allRules().map((rule) => rule.id));
    expect((await readdir(FIXTURES)).filter((entry) => !known.has(entry))).toEqual([]);
  });
});
