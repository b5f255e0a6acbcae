import { existsSync } from 'node:fs';
import path from 'node:path';
import { allRules, isDecision, type RuleDecision, type RuleDefinition } from './registry.js';

/**
 * docs/diff-rules.md, rendered from the registry and the oasdiff mapping so the two cannot drift (a test compares the
 * file with this output; `node scripts/diff-rules-doc.mjs` rewrites it after `npm run build`).
 */

/** oasdiff checks with no concord rule, and why. */
export const NOT_COVERED: Array<[string, string]> = [
  ['api-tag-added, api-tag-removed', 'tags group operations in documentation; they change neither the wire nor the generated client'],
  ['api-security-component-oauth-scope-updated', "a scope's description is documentation; scopes added to or removed from a scheme are reported (security-scheme-scope-added/-removed)"],
  ['sunset-deleted', 'removing x-sunset from a deprecated operation is not reported yet'],
  ['request-property-removed-before-sunset', 'sunset is read on operations and parameters; property sunsets are not reported yet'],
];

const KEYWORDS: Array<[string, string, string]> = [
  ['`const`', 'changed (read as an enum of one value)', 'enum-value-added + enum-value-removed'],
  ['`contains`, `propertyNames`, `unevaluatedProperties`, `unevaluatedItems`', 'added / removed / changed', 'constraint-tightened / constraint-loosened / both'],
  ['`minContains`, `maxContains`', 'raised / lowered', 'constraint-tightened or constraint-loosened'],
  ['`prefixItems`', 'items added / removed; each item compared', 'constraint-tightened / constraint-loosened; schema rules'],
  ['`patternProperties`, `dependentSchemas`', 'entry added / removed / changed', 'constraint-tightened / constraint-loosened / both'],
  ['`dependentRequired`', 'names added / removed', 'constraint-tightened / constraint-loosened'],
  ['`contentMediaType`, `contentEncoding`', 'changed', 'content-encoding-changed'],
  ['`contentSchema`', 'added / removed / changed', 'content-schema-changed'],
  ['`x-extensible-enum`', 'values removed / added', 'extensible-enum-value-removed / extensible-enum-value-added'],
  ['body-level `minimum`, `maximum`, `minLength`, `maxLength`, `minItems`, `maxItems`', 'tightened / loosened', 'constraint-tightened / constraint-loosened'],
  ['request body becomes `oneOf` of itself and more', 'alternative added', 'union-member-added'],
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

export function renderRulesMarkdown(root: string): string {
  const rules = [...allRules()];
  const lines = [
    '# concord diff rules',
    '',
    '<!-- Generated from src/diff/rules/registry.ts and oasdiff-map.ts by scripts/diff-rules-doc.mjs; a test keeps it in step. -->',
    '',
    `${rules.length} rules. Each has a stable id, a level per direction (request: what the client sends; response: what it receives), the oasdiff checks it covers, and fixtures (a firing pair and a near miss).`,
    '',
    '**Profiles.** `--profile concord` (the default) judges a change against yesterday\'s generated client: a change that makes it throw or stop compiling is breaking. It never reports a change at a lower level than oasdiff, so it flags a superset of what oasdiff flags. `--profile oasdiff` uses oasdiff\'s levels (ERR = breaking, WARN = warning, INFO = info) and reports only rules that map to an oasdiff check.',
    '',
    '**Levels.** oasdiff\'s check ids and levels below are oasdiff\'s published checks list as this project knows it (it could not be re-read from here; `oasdiff checks` prints the current list). A level in parentheses is oasdiff\'s where it differs from concord\'s; the reasons are listed after the table.',
    '',
    '**Deprecation policy.** `x-sunset` (RFC 3339 date or date-time) on a deprecated operation; `x-stability-level` one of draft, alpha, beta, stable. The minimum notice between deprecation and sunset is 180 days for stable (or no level) and 31 for beta (`--deprecation-days-stable`, `--deprecation-days-beta`); alpha and draft promise none. Sunset checks depend on the date the diff runs.',
    '',
    '| concord id | family | request | response | oasdiff checks | fixture |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const rule of rules) {
    const request = rule.family === 'versioning' ? cell(rule.document) : cell(rule.request);
    const ids = rule.oasdiff && rule.oasdiff.length > 0 ? rule.oasdiff.map((id) => `\`${id}\``).join(', ') : '— (concord only)';
    lines.push(`| \`${rule.id}\` | ${rule.family} | ${request} | ${cell(rule.response)} | ${ids} | ${fixture(rule, root)} |`);
  }
  lines.push('', '## JSON Schema 2020-12 and other keywords', '', 'Read from the document at each compared schema (request and response, body and property level); fixtures in test/diff/catalogue-cases.ts (KEYWORD_CASES).', '', '| keyword | change | concord rule |', '| --- | --- | --- |');
  for (const [keyword, change, rule] of KEYWORDS) lines.push(`| ${keyword} | ${change} | \`${rule}\` |`);
  lines.push('', '## Where concord\'s level is higher than oasdiff\'s', '');
  for (const rule of rules) {
    for (const direction of ['request', 'response', 'document'] as const) {
      const decision = direction === 'document' ? rule.document : rule[direction];
      if (isDecision(decision) && decision.oasdiff) lines.push(`- \`${rule.id}\` (${direction}): ${decision.level}, oasdiff ${decision.oasdiff.level} — ${decision.oasdiff.reason}.`);
    }
  }
  lines.push('', '## Concord-only rules', '');
  for (const rule of rules) if (!rule.oasdiff || rule.oasdiff.length === 0) lines.push(`- \`${rule.id}\`: ${rule.description}`);
  lines.push('', '## oasdiff checks without a concord rule', '');
  for (const [ids, why] of NOT_COVERED) lines.push(`- ${ids}: ${why}.`);
  return `${lines.join('\n')}\n`;
}
