import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Direction, Level } from '../types.js';
import { NOT_COVERED } from './oasdiff-not-covered.js';
import { allRules, isDecision } from './registry.js';

/**
 * oasdiff's check catalogue (docs/oasdiff-checks.tsv: id, level; read from oasdiff's checker source, see its header)
 * and how concord accounts for each id: the rules that report it, or the written reason none does. Used by the docs
 * generator and by test/diff/oasdiff-catalogue.test.ts; not needed at run time.
 */

export const CATALOGUE_FILE = 'docs/oasdiff-checks.tsv';

export interface CatalogueEntry {
  id: string;
  /** oasdiff's level; undefined where the catalogue says '?' (oasdiff's source does not state it). */
  level: Level | undefined;
}

const LEVELS: Record<string, Level | undefined> = { ERR: 'breaking', WARN: 'warning', INFO: 'info', '?': undefined };

export function readCatalogue(root: string): { header: string[]; entries: CatalogueEntry[] } {
  const lines = readFileSync(path.join(root, CATALOGUE_FILE), 'utf8').split('\n');
  const header = lines.filter((line) => line.startsWith('#')).map((line) => line.replace(/^#\s?/, ''));
  const entries = lines
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [id = '', level = ''] = line.split('\t');
      if (!(level in LEVELS)) throw new Error(`${CATALOGUE_FILE}: unknown level ${JSON.stringify(level)} for ${id}`);
      return { id, level: LEVELS[level] };
    });
  return { header, entries };
}

/** One concord rule reporting an oasdiff id in one direction, at concord's level there. */
export interface Coverage {
  rule: string;
  direction: Direction;
  level: Level;
}

/** Every oasdiff id a rule maps, with the rule, direction and concord's level (undefined level: the direction is not decided). */
export function coverageById(): Map<string, Array<Coverage | { rule: string; direction: Direction; level: undefined }>> {
  const out = new Map<string, Array<Coverage | { rule: string; direction: Direction; level: undefined }>>();
  for (const rule of allRules()) {
    for (const [direction, ids] of Object.entries(rule.oasdiffChecks ?? {}) as Array<[Direction, string[]]>) {
      const decision = direction === 'document' ? rule.document : rule[direction];
      for (const id of ids) {
        const list = out.get(id) ?? [];
        list.push({ rule: rule.id, direction, level: isDecision(decision) ? decision.level : undefined });
        out.set(id, list);
      }
    }
  }
  return out;
}

/** The reason an id is not covered, from oasdiff-not-covered.ts. */
export function notCoveredReasons(): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of NOT_COVERED) for (const id of entry.ids) out.set(id, entry.reason);
  return out;
}
