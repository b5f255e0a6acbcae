#!/usr/bin/env node
// Rewrites docs/diff-rules.md from the built registry (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesMarkdown } from '../dist/src/diff/rules/catalogue-doc.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(path.join(root, 'docs/diff-rules.md'), renderRulesMarkdown(root));
