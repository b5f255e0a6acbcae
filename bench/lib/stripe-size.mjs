// A Stripe-size document when no Stripe contract is at hand: the GitHub GHES contract's paths and schemas repeated
// four times under prefixes (1.9 MB of JSON, 620 operations, 530 schemas). Used by bench/typecheck.mjs (--synth)
// and bench/generate.mjs.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Write the synthetic document into `dir` and return its path. */
export function synthesiseStripeSize(specsDir, dir, copies = 4) {
  const base = JSON.parse(readFileSync(path.join(specsDir, 'github-octokit-ghes-3.6-diff-to-api.json'), 'utf8'));
  const doc = { ...base, paths: {}, components: { ...base.components, schemas: { ...base.components?.schemas } } };
  for (let i = 0; i < copies; i++) {
    const text = JSON.stringify({ paths: base.paths, schemas: base.components?.schemas ?? {} })
      .replace(/#\/components\/schemas\/([^"]+)/g, (_m, name) => `#/components/schemas/v${i}-${name}`)
      .replace(/"operationId":"([^"]+)"/g, (_m, id) => `"operationId":"v${i}-${id}"`);
    const copy = JSON.parse(text);
    for (const [p, item] of Object.entries(copy.paths)) doc.paths[`/v${i}${p}`] = item;
    for (const [n, s] of Object.entries(copy.schemas)) doc.components.schemas[`v${i}-${n}`] = s;
  }
  const file = path.join(dir, 'stripe-size.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
