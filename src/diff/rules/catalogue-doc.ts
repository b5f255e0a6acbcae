import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Direction, Level } from '../types.js';
import { coverageById, notCoveredReasons, readCatalogue, CATALOGUE_FILE, type CatalogueEntry } from './oasdiff-catalogue.js';
import { OASDIFF } from './oasdiff-map.js';
import { NOT_COVERED } from './oasdiff-not-covered.js';
import { allRules, isDecision, type RuleDecision, type RuleDefinition } from './registry.js';

/**
 * docs/diff-rules.md, rendered from the registry and the oasdiff mapping so the two cannot drift (a test compares the
 * file with this output; `node scripts/diff-rules-doc.mjs` rewrites it after `npm run build`).
 */

const KEYWORDS: Array<[string, string, string]> = [
  ['`const`', 'changed (read as an enum of one value)', 'enum-value-added + enum-value-removed'],
  ['`contains`, `propertyNames`, `unevaluatedProperties`, `unevaluatedItems`', 'added / removed / changed', 'constraint-tightened / constraint-loosened / both'],
  ['`minContains`, `maxContains`', 'raised / lowered', 'constraint-tightened or constraint-loosened'],
  ['`prefixItems`', 'entries added or removed: each position is compared with what governed it before (its entry, or `items` past the prefix), so an entry equal to `items` changes nothing', 'schema rules at the position (`type-changed`, `constraint-tightened`, `constraint-loosened`, ...)'],
  ['`items: false` after `prefixItems`', 'set (the tuple closes; absent `items` leaves the rest unconstrained) / removed', 'constraint-tightened / constraint-loosened'],
  ['`patternProperties`, `dependentSchemas`', 'entry added / removed / changed', 'constraint-tightened / constraint-loosened / both'],
  ['`dependentRequired`', 'entry added / removed / changed', 'constraint-tightened / constraint-loosened / both'],
  ['allOf member with annotations only (`description`, `title`, ...)', 'added / removed', 'all-of-annotation-added / all-of-annotation-removed'],
  ['`contentMediaType`, `contentEncoding`', 'changed', 'content-encoding-changed'],
  ['`contentSchema`', 'added / removed / changed', 'constraint-tightened / constraint-loosened / content-schema-changed'],
  ['`if`, `then`, `else`', 'added / removed / changed', 'constraint-tightened / constraint-loosened / both'],
  ['`not` (not modelled by the validators; compared as written)', 'added / removed / changed, including any change inside it', 'constraint-tightened / constraint-loosened / both'],
  ['`x-extensible-enum`', 'values removed / added', 'extensible-enum-value-removed / extensible-enum-value-added'],
  ['`itemSchema` (OpenAPI 3.2 sequential media types)', 'added / removed; compared when on both sides', 'constraint-tightened / constraint-loosened; schema rules'],
  ['body-level `minimum`, `maximum`, `minLength`, `maxLength`, `minItems`, `maxItems`', 'tightened / loosened', 'constraint-tightened / constraint-loosened'],
  ['request body becomes `oneOf` of itself and more', 'wrapped', 'schema-wrapped-in-one-of'],
  ['request body becomes `anyOf` of itself and more', 'alternative added', 'union-member-added'],
  ['`required` inside `allOf` / `anyOf` members', 'added / removed', 'property-became-required / property-became-optional'],
];

const LEVEL = { breaking: 'breaking', warning: 'warning', info: 'info' } as const;

function cell(decision: RuleDecision | { notApplicable: string } | undefined): string {
  if (!isDecision(decision)) return '—';
  return decision.oasdiff ? `${LEVEL[decision.level]} (oasdiff: ${decision.oasdiff.level})` : LEVEL[decision.level];
}

function fixture(rule: RuleDefinition, root: string): string {
  return existsSync(path.join(root, 'fixtures/diff', rule.id)) ? `fixtures/diff/${rule.id}` : 'test/diff/catalogue-cases.ts';
}

const RANK: Record<Level, number> = { info: 1, warning: 2, breaking: 3 };
const DIRECTIONS: Direction[] = ['request', 'response', 'document'];
const SHORT: Record<Direction, string> = { request: 'req', response: 'resp', document: 'doc' };

function checksCell(rule: RuleDefinition): string {
  const checks = rule.oasdiffChecks;
  if (!checks) return '— (concord only)';
  return DIRECTIONS.filter((direction) => checks[direction]).map((direction) => `${SHORT[direction]}: ${checks[direction]?.length}, main \`${checks[direction]?.[0]}\``).join('; ');
}

function header(rules: RuleDefinition[], catalogue: { header: string[]; entries: CatalogueEntry[] }): string[] {
  const covered = coverageById();
  const mapped = catalogue.entries.filter((entry) => covered.has(entry.id)).length;
  const uncovered = catalogue.entries.filter((entry) => !covered.has(entry.id));
  const uncoveredLevels = [...new Set(uncovered.map((entry) => entry.level ?? "'?' (unstated)"))].join(' or ');
  return [
    '# concord diff rules',
    '',
    '<!-- Generated from src/diff/rules/registry.ts, oasdiff-map.ts, oasdiff-not-covered.ts and docs/oasdiff-checks.tsv by scripts/diff-rules-doc.mjs; a test keeps it in step. -->',
    '',
    `${rules.length} rules. Each has a stable id, a level per direction (request: what the client sends; response: what it receives), the oasdiff checks it covers, and fixtures (a firing pair and a near miss).`,
    '',
    '**Profiles.** `--profile concord` (the default) judges a change against yesterday\'s generated client: a change that makes it throw or stop compiling is breaking. It never reports a change at a lower level than oasdiff, so it flags a superset of what oasdiff flags. `--profile oasdiff` reports only rules that map to an oasdiff check in the change\'s direction, at oasdiff\'s level for the rule\'s main check (ERR = breaking, WARN = warning, INFO = info).',
    '',
    `**oasdiff's catalogue.** \`${CATALOGUE_FILE}\` lists oasdiff's ${catalogue.entries.length} check ids with their levels, read from oasdiff's checker source at commit \`${/commit ([0-9a-f]{40})/.exec(catalogue.header.join(' '))?.[1] ?? '?'}\` (the file's header says how). ${mapped} of them are reported by a concord rule (table below and [by oasdiff id](#oasdiff-checks-by-id)); ${catalogue.entries.length - mapped} are not — all of them ${uncoveredLevels} in oasdiff — each with its reason ([list](#oasdiff-checks-without-a-concord-rule)). A test fails if an id is in neither list, if a mapped id is not in the catalogue, or if concord's level for a mapped id is below oasdiff's. A level in parentheses is oasdiff's for the rule's main check where it is below concord's; the reasons are listed after the table.`,
    '',
    '**Deprecation policy.** `x-sunset` (RFC 3339 date or date-time) on a deprecated operation; `x-stability-level` one of draft, alpha, beta, stable. The minimum notice between deprecation and sunset is 180 days for stable (or no level) and 31 for beta (`--deprecation-days-stable`, `--deprecation-days-beta`); alpha and draft promise none. Sunset checks depend on the date the diff runs.',
    '',
  ];
}

/** Per rule and direction: the mapped ids oasdiff rates below concord, and concord's reason. */
function higherThanOasdiff(rules: RuleDefinition[], levels: Map<string, Level | undefined>): string[] {
  const lines: string[] = [];
  for (const rule of rules) {
    for (const direction of DIRECTIONS) {
      const decision = direction === 'document' ? rule.document : rule[direction];
      const ids = rule.oasdiffChecks?.[direction] ?? [];
      if (!isDecision(decision)) continue;
      const lower = ids.filter((id) => {
        const level = levels.get(id);
        return level !== undefined && RANK[level] < RANK[decision.level];
      });
      if (lower.length === 0) continue;
      const byLevel = (['info', 'warning'] as const).map((level) => [level, lower.filter((id) => levels.get(id) === level)] as const).filter(([, list]) => list.length > 0);
      const list = byLevel.map(([level, list]) => `${level}: ${list.map((id) => `\`${id}\``).join(', ')}`).join('; ');
      lines.push(`- \`${rule.id}\` (${direction}): concord ${decision.level}; oasdiff ${list} — ${OASDIFF[rule.id]?.[direction]?.reason ?? ''}.`);
    }
  }
  return lines;
}

export function renderRulesMarkdown(root: string): string {
  const rules = [...allRules()];
  const catalogue = readCatalogue(root);
  const levels = new Map(catalogue.entries.map((entry) => [entry.id, entry.level]));
  const lines = [...header(rules, catalogue), '| concord id | family | request | response | oasdiff checks | fixture |', '| --- | --- | --- | --- | --- | --- |'];
  for (const rule of rules) {
    // Document-level rules (versioning, removed components) show their one level in the request column.
    const request = !isDecision(rule.request) && rule.document ? `${cell(rule.document)} (document)` : cell(rule.request);
    lines.push(`| \`${rule.id}\` | ${rule.family} | ${request} | ${cell(rule.response)} | ${checksCell(rule)} | ${fixture(rule, root)} |`);
  }
  lines.push('', '## JSON Schema 2020-12 and other keywords', '', 'Read from the document at each compared schema (request and response, body and property level); fixtures in test/diff/catalogue-cases.ts (KEYWORD_CASES).', '', '| keyword | change | concord rule |', '| --- | --- | --- |');
  for (const [keyword, change, rule] of KEYWORDS) lines.push(`| ${keyword} | ${change} | \`${rule}\` |`);
  lines.push('', '## Where concord\'s level is higher than oasdiff\'s', '', 'The oasdiff checks a rule reports at a higher level than oasdiff gives them, and why.', '', ...higherThanOasdiff(rules, levels));
  lines.push('', '## Concord-only rules', '');
  for (const rule of rules) if (!rule.oasdiff || rule.oasdiff.length === 0) lines.push(`- \`${rule.id}\`: ${rule.description}`);
  lines.push('', '## oasdiff checks without a concord rule', '');
  for (const entry of NOT_COVERED) lines.push(`- ${entry.ids.map((id) => `\`${id}\``).join(', ')}: ${entry.reason}.`);
  lines.push('', '## oasdiff checks by id', '', `Every id in \`${CATALOGUE_FILE}\`, in its order, with oasdiff's level and the concord rules (direction, concord's level) that report it.`, '', '| oasdiff id | oasdiff level | concord rule |', '| --- | --- | --- |');
  const covered = coverageById();
  const reasons = notCoveredReasons();
  for (const entry of catalogue.entries) {
    const by = covered.get(entry.id);
    const what = by ? by.map((c) => `\`${c.rule}\` (${c.direction}, ${c.level ?? '—'})`).join(', ') : reasons.has(entry.id) ? 'not covered (see above)' : '**missing**';
    lines.push(`| \`${entry.id}\` | ${entry.level ?? '?'} | ${what} |`);
  }
  return `${lines.join('\n')}\n`;
}
