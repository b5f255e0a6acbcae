import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { renderRulesMarkdown } from '../../src/diff/rules/catalogue-doc.js';
import { allRules } from '../../src/diff/rules/registry.js';

test('docs/diff-rules.md is the registry rendered (run `npm run build && node scripts/diff-rules-doc.mjs`)', () => {
  const text = readFileSync('docs/diff-rules.md', 'utf8');
  expect(text).toBe(renderRulesMarkdown(path.resolve('.')));
  for (const rule of allRules()) expect(text).toContain(`| \`${rule.id}\` |`);
});
