import { existsSync, readdirSync } from 'node:fs';
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
    await expectFixturePair(rule, path.join(FIXTURES, id));
  });

  // A rule's folder may hold named variants (`<rule>/<case>/`, each with its own near miss) for cases the main
  // pair does not show, such as `items` becoming false after `prefixItems`.
  test.each(variantDirs().map((variant) => [variant.label, variant] as const))('%s', async (_label, { rule, dir }) => {
    await expectFixturePair(rule, dir);
  });

  test('the variants are found', () => {
    expect(variantDirs().map((variant) => variant.label)).toContain('constraint-tightened/items-became-false');
  });

  test('no fixture directory without a rule', async () => {
    const { readdir } = await import('node:fs/promises');
    const known = new Set(allRules().map((rule) => rule.id));
    expect((await readdir(FIXTURES)).filter((entry) => !known.has(entry))).toEqual([]);
  });
});

type Rule = ReturnType<typeof allRules>[number];

function variantDirs(): Array<{ label: string; rule: Rule; dir: string }> {
  return allRules().flatMap((rule) => {
    const root = path.join(FIXTURES, rule.id);
    if (!existsSync(root)) return [];
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'near-miss')
      .map((entry) => ({ label: `${rule.id}/${entry.name}`, rule, dir: path.join(root, entry.name) }));
  });
}

/** The trigger fires the rule in every direction it decides, at the registry's level; the near miss never does. */
async function expectFixturePair(rule: Rule, dir: string): Promise<void> {
  const id = rule.id;
  for (const file of ['base.yaml', 'revision.yaml', 'near-miss/base.yaml', 'near-miss/revision.yaml']) expect(existsSync(path.join(dir, file)), `${dir}/${file}`).toBe(true);

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
}
