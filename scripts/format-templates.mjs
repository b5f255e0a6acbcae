// Keeps templates/runtime prettier-formatted with the options generation uses (a test checks it).
import * as prettier from 'prettier';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
for (const f of readdirSync('templates/runtime').filter((f) => f.endsWith('.ts'))) {
  const p = `templates/runtime/${f}`;
  const src = readFileSync(p, 'utf8');
  const out = await prettier.format(src, { parser: 'typescript', printWidth: 120, singleQuote: true, trailingComma: 'all', semi: true });
  if (out !== src) { writeFileSync(p, out); console.log('formatted', f); }
}
