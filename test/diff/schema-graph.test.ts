import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
// @ts-expect-error -- a plain .mjs module shared with bench/diff.mjs (no type declarations)
import { revise, syntheticContract } from '../../bench/lib/diff-synthetic.mjs';
import { diffDocuments } from '../../src/diff/compare.js';
import { loadSide } from '../../src/diff/source.js';
import type { IrDocument } from '../../src/ir/types.js';
import { FIXTURES, itemDoc, jsonScratch } from './helpers.js';

/**
 * A pair of named types that nothing marks readOnly/writeOnly is compared in one direction and mirrored into the
 * other (rules/schema-graph.ts). The mirror must report exactly what comparing in both directions reports: every
 * pair below is diffed twice, once as built and once with `directional` unknown (which turns mirroring off).
 */

type Synthetic = (options?: { schemas?: number; operations?: number; properties?: number; chain?: number }) => Record<string, unknown>;

const { write } = jsonScratch('concord-diff-twins-');

function withoutDirection(ir: IrDocument): IrDocument {
  return { ...ir, schemas: ir.schemas.map(({ directional: _unknown, ...named }) => named) };
}

async function both(base: string, revision: string): Promise<{ mirrored: unknown; compared: unknown; neutral: number }> {
  const [b, r] = await Promise.all([loadSide(base, process.cwd()), loadSide(revision, process.cwd())]);
  const raw = { base: b.document, revision: r.document };
  const policy = { today: '2026-11-28' };
  const mirrored = diffDocuments(b.ir, r.ir, { base, revision }, policy, raw);
  const compared = diffDocuments(withoutDirection(b.ir), withoutDirection(r.ir), { base, revision }, policy, raw);
  return { mirrored, compared, neutral: r.ir.schemas.filter((named) => named.directional === false).length };
}

function variantsOf(name: string): string[] {
  return readdirSync(path.join(FIXTURES, name), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'near-miss')
    .map((entry) => entry.name)
    .sort();
}

const fixturePairs = readdirSync(FIXTURES)
  .sort()
  .flatMap((name) =>
    // Named variants (`<rule>/<case>/`, see rules.test.ts) are pairs too, each with its near miss.
    ['', 'near-miss', ...variantsOf(name).flatMap((variant) => [variant, path.join(variant, 'near-miss')])].flatMap((sub) => {
      const at = path.join(FIXTURES, name, sub);
      const base = ['base.yaml', 'base.json'].map((file) => path.join(at, file)).find(existsSync);
      const revision = ['revision.yaml', 'revision.json'].map((file) => path.join(at, file)).find(existsSync);
      return base && revision ? [{ name: sub === '' ? name : sub === 'near-miss' ? `${name} (near miss)` : `${name}/${sub}`, base, revision }] : [];
    }),
  );

describe('pairs mirrored into the other direction report what comparing them there reports', () => {
  test('the fixtures cover mirroring: some have neutral types, some readOnly/writeOnly ones', async () => {
    expect(fixturePairs.length).toBeGreaterThan(90);
    const counts = await Promise.all(fixturePairs.map(async ({ base, revision }) => (await both(base, revision)).neutral));
    expect(counts.filter((count) => count > 0).length).toBeGreaterThan(30);
  });

  test.each(fixturePairs)('$name, both ways', async ({ base, revision }) => {
    for (const [from, to] of [[base, revision], [revision, base]] as const) {
      const { mirrored, compared } = await both(from, to);
      expect(mirrored).toEqual(compared);
    }
  });

  test('the synthetic recursive web (every type neutral, used in requests and responses)', async () => {
    const doc = (syntheticContract as Synthetic)({ schemas: 40, operations: 20, properties: 6, chain: 300 });
    const base = await write('base.json', doc);
    const revision = await write('revision.json', (revise as (d: unknown) => unknown)(doc));
    const { mirrored, compared, neutral } = await both(base, revision);
    expect(neutral).toBeGreaterThan(300);
    expect(mirrored).toEqual(compared);
    expect((mirrored as { changes: Array<{ direction: string }> }).changes.map((change) => change.direction)).toEqual(expect.arrayContaining(['request', 'response']));
  });

  test('a type named on one side only keeps its name in the mirrored findings', async () => {
    const doc = (kind: unknown, extra: Record<string, unknown>): Record<string, unknown> => itemDoc({ type: 'object', properties: { kind } }, extra);
    const base = await write('named-base.json', doc({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, {}));
    const revision = await write('named-revision.json', doc({ $ref: '#/components/schemas/Kind' }, { Kind: { oneOf: [{ type: 'string' }] } }));
    const { mirrored, compared } = await both(base, revision);
    expect(mirrored).toEqual(compared);
    const removed = (mirrored as { changes: Array<{ id: string; direction: string; impact: { types: string[] } }> }).changes.filter((change) => change.id === 'union-member-removed');
    expect(removed.map((change) => [change.direction, change.impact.types])).toEqual([
      ['request', ['Item', 'Kind']],
      ['response', ['Item', 'Kind']],
    ]);
  });

  test('a readOnly mark anywhere a type reaches keeps it per direction', async () => {
    const item = (idSchema: unknown): Record<string, unknown> =>
      itemDoc({ type: 'object', properties: { id: { $ref: '#/components/schemas/Id' }, tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } } } }, { Id: idSchema, Tag: { type: 'object', properties: { name: { type: 'string' } } } });
    const base = await write('ro-base.json', item({ type: 'string' }));
    const revision = await write('ro-revision.json', item({ type: 'string', readOnly: true }));
    const { mirrored, compared } = await both(base, revision);
    expect(mirrored).toEqual(compared);
    const changes = (mirrored as { changes: Array<{ id: string; direction: string }> }).changes;
    // Only requests lose `id`; responses still carry it.
    expect(changes.filter((change) => change.id === 'property-became-read-only').map((change) => change.direction)).toEqual(['request']);
  });
});
