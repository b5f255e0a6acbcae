import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { runDiff } from '../../src/diff/index.js';
import { allRules, getRule, isDecision } from '../../src/diff/rules/registry.js';
import type { DiffReport, Direction } from '../../src/diff/types.js';
import { CATALOGUE, KEYWORD_CASES } from './catalogue-cases.js';
import { itemDoc } from './helpers.js';

// Sunset rules compare dates with "today": fixed, so the fixtures do not age.
const TODAY = '2026-01-01';
let dir: string;
let counter = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-catalogue-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function diff(base: unknown, revision: unknown, profile: 'concord' | 'oasdiff' = 'concord'): Promise<DiffReport> {
  const write = async (doc: unknown): Promise<string> => {
    const file = path.join(dir, `doc-${counter++}.yaml`);
    await writeFile(file, stringify(doc));
    return file;
  };
  return (await runDiff({ base: await write(base), revision: await write(revision), format: 'json', today: TODAY, profile })).report;
}

describe('catalogue rules: firing fixture, near miss, and the reverse diff', () => {
  test.each(CATALOGUE.map((entry) => [entry.rule, entry] as const))('%s', async (id, entry) => {
    const rule = getRule(id);
    const report = await diff(entry.base, entry.revision);
    for (const direction of ['request', 'response', 'document'] as Direction[]) {
      const decision = direction === 'document' ? rule.document : rule[direction];
      const found = report.changes.filter((change) => change.id === id && change.direction === direction);
      if (!isDecision(decision)) {
        expect(found, `${id} must not fire in the ${direction} direction`).toEqual([]);
        continue;
      }
      expect(found.length, `${id} should fire in the ${direction} direction`).toBeGreaterThan(0);
      for (const change of found) {
        expect(change.level).toBe(decision.level);
        expect(change.message).toContain(decision.why);
        expect(change.basePointer ?? change.revisionPointer).toMatch(/^\//);
      }
    }
    const nearMiss = await diff(entry.nearMiss[0], entry.nearMiss[1]);
    expect(nearMiss.changes.filter((change) => change.id === id)).toEqual([]);
    if (entry.reverse) expect((await diff(entry.revision, entry.base)).changes.map((change) => change.id)).toContain(entry.reverse);
  });
});

describe('JSON Schema 2020-12 keywords and body-level constraints, request and response', () => {
  test.each(KEYWORD_CASES)('%s', async (_name, base, revision, want) => {
    const doc = (item: unknown): Record<string, unknown> => ({ ...itemDoc(item), openapi: '3.1.0' });
    const report = await diff(doc(base), doc(revision));
    const found = new Set(report.changes.filter((change) => change.family !== 'versioning').map((change) => change.id));
    // A row that wants nothing is a change that accepts exactly the same values: no finding at all.
    if (want.length === 0) expect([...found]).toEqual([]);
    for (const id of want) {
      expect(found, `${id} expected`).toContain(id);
      const directions = new Set(report.changes.filter((change) => change.id === id).map((change) => change.direction));
      expect([...directions].sort()).toEqual(['request', 'response']);
    }
    // Near miss: the same document on both sides reports nothing.
    expect((await diff(doc(base), doc(base))).changes).toEqual([]);
  });
});

describe('profiles', () => {
  test('concord flags a superset of oasdiff: never a lower level, and every oasdiff-mapped rule reports in both', () => {
    const rank = { info: 1, warning: 2, breaking: 3 } as const;
    for (const rule of allRules()) {
      for (const direction of ['request', 'response', 'document'] as const) {
        const decision = direction === 'document' ? rule.document : rule[direction];
        if (!isDecision(decision) || !decision.oasdiff) continue;
        expect(rank[decision.level], `${rule.id} ${direction}`).toBeGreaterThan(rank[decision.oasdiff.level]);
        expect(decision.oasdiff.reason.length, `${rule.id}: a higher level needs a written reason`).toBeGreaterThan(20);
      }
    }
  });

  test('a new enum value in a response: breaking for concord (the generated client throws), warning for oasdiff', async () => {
    const base = itemDoc({ type: 'object', properties: { s: { type: 'string', enum: ['a'] } } });
    const revision = itemDoc({ type: 'object', properties: { s: { type: 'string', enum: ['a', 'b'] } } });
    const level = (report: DiffReport): string | undefined => report.changes.find((change) => change.id === 'enum-value-added' && change.direction === 'response')?.level;
    expect(level(await diff(base, revision, 'concord'))).toBe('breaking');
    expect(level(await diff(base, revision, 'oasdiff'))).toBe('warning');
  });

  test('the oasdiff profile reports a rule only in the directions it maps oasdiff checks to', async () => {
    // oasdiff checks x-extensible-enum removal in requests only; concord also reports it (info) in responses.
    const base = itemDoc({ type: 'object', properties: { s: { type: 'string', 'x-extensible-enum': ['a', 'b'] } } });
    const revision = itemDoc({ type: 'object', properties: { s: { type: 'string', 'x-extensible-enum': ['a'] } } });
    const directions = (report: DiffReport): string[] => report.changes.filter((change) => change.id === 'extensible-enum-value-removed').map((change) => change.direction).sort();
    expect(directions(await diff(base, revision, 'concord'))).toEqual(['request', 'response']);
    expect(directions(await diff(base, revision, 'oasdiff'))).toEqual(['request']);
  });

  test('a renamed path parameter is breaking for concord and not reported by the oasdiff profile', async () => {
    const doc = (name: string) => ({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths: { [`/pets/{${name}}`]: { get: { parameters: [{ name, in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } } } });
    const concord = await diff(doc('id'), doc('petId'), 'concord');
    expect(concord.changes.find((change) => change.id === 'path-parameter-renamed')?.level).toBe('breaking');
    expect((await diff(doc('id'), doc('petId'), 'oasdiff')).changes.map((change) => change.id)).not.toContain('path-parameter-renamed');
  });
});
