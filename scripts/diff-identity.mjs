#!/usr/bin/env node
// Output-identity check for `concord diff` speed work: renders every pair (fixtures/diff/*, their near misses, the
// shared version pairs, a few cross pairs of shared specs, a multi-file pair and the synthetic recursive pair), both
// directions, in every --format plus the exit code under --fail-on breaking, and writes one file per render.
//   node scripts/diff-identity.mjs --out /tmp/before            # record (with the current dist/)
//   node scripts/diff-identity.mjs --out /tmp/after --compare /tmp/before   # record again and compare
// Exit 1 when any render differs or is missing; the first differing line of each is printed.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { revise, syntheticContract } from '../bench/lib/diff-synthetic.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? process.argv[process.argv.indexOf(`--${name}`) + 1];
const out = process.argv.includes('--out') || process.argv.some((a) => a.startsWith('--out=')) ? path.resolve(arg('out')) : undefined;
const against = process.argv.includes('--compare') || process.argv.some((a) => a.startsWith('--compare=')) ? path.resolve(arg('compare')) : undefined;
if (!out) {
  console.log('usage: node scripts/diff-identity.mjs --out DIR [--compare BEFORE_DIR]');
  process.exit(2);
}
const { runDiff } = await import(pathToFileURL(path.join(ROOT, 'dist/src/diff/index.js')).href);
const FORMATS = ['json', 'github', 'text', 'markdown', 'junit', 'html'];
const TODAY = '2026-11-28';

const pairs = [];
const fixtures = path.join(ROOT, 'fixtures/diff');
for (const name of readdirSync(fixtures).sort()) {
  for (const sub of ['', 'near-miss']) {
    const dir = path.join(fixtures, name, sub);
    const base = ['base.yaml', 'base.json'].map((f) => path.join(dir, f)).find(existsSync);
    const revision = ['revision.yaml', 'revision.json'].map((f) => path.join(dir, f)).find(existsSync);
    if (base && revision) pairs.push([`fixture-${name}${sub ? '-near-miss' : ''}`, base, revision]);
  }
}
const shared = path.resolve(ROOT, '../shared/specs');
const sharedPairs = [
  ['shared-discord', 'versions/discord-openapi-2025-07-11.json', 'real/discord-openapi.json'],
  ['shared-box', 'versions/box-openapi-2025-06-18.json', 'real/box-openapi.json'],
  ['shared-openai', 'versions/openai-openapi-2026-07-23.yaml', 'real/openai-openapi.yaml'],
  ['cross-petstore-expanded', 'real/oai-petstore.yaml', 'real/oai-petstore-expanded.yaml'],
  ['cross-petstore-v2-v3', 'real/oai-petstore-v2.yaml', 'real/oai-petstore.yaml'],
  ['cross-petstore-expanded-v2-v3', 'real/oai-petstore-expanded-v2.json', 'real/oai-petstore-expanded.yaml'],
  ['cross-callback-webhook', 'real/oai-callback-example.yaml', 'real/oai-webhook-example.yaml'],
  ['cross-museum-link', 'real/redocly-museum.yaml', 'real/oai-link-example.yaml'],
];
for (const [name, base, revision] of sharedPairs) {
  if (existsSync(path.join(shared, base)) && existsSync(path.join(shared, revision))) pairs.push([name, path.join(shared, base), path.join(shared, revision)]);
  else console.log(`skipped ${name}: ../shared/specs is not here`);
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'concord-diff-identity-'));
// Multi-file: the change is in a referenced file, so annotations must name that file and line.
for (const side of ['base', 'revision']) {
  mkdirSync(path.join(scratch, side, 'parts'), { recursive: true });
  const pet = side === 'base' ? "Pet:\n  type: object\n  required: [id]\n  properties:\n    id: { type: integer }\n    name: { type: string }\n" : "Pet:\n  type: object\n  required: [id, name]\n  properties:\n    id: { type: string }\n    name: { type: string }\n    tag: { $ref: 'common.yaml#/Tag' }\n";
  writeFileSync(path.join(scratch, side, 'parts/pet.yaml'), pet);
  writeFileSync(path.join(scratch, side, 'parts/common.yaml'), 'Tag:\n  type: string\n  enum: [a, b]\n');
  writeFileSync(path.join(scratch, side, 'root.yaml'), `openapi: 3.0.3\ninfo: { title: multi, version: '${side === 'base' ? '1.0.0' : '1.1.0'}' }\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: 'parts/pet.yaml#/Pet' }\n    post:\n      operationId: addPet\n      requestBody:\n        content:\n          application/json:\n            schema: { $ref: 'parts/pet.yaml#/Pet' }\n      responses:\n        '201': { description: created }\n`);
}
pairs.push(['multi-file', path.join(scratch, 'base/root.yaml'), path.join(scratch, 'revision/root.yaml')]);
const synthetic = syntheticContract({ schemas: 200, operations: 100, properties: 8, chain: 300 });
writeFileSync(path.join(scratch, 'synthetic-base.json'), JSON.stringify(synthetic, null, 1));
writeFileSync(path.join(scratch, 'synthetic-revision.json'), JSON.stringify(revise(synthetic), null, 1));
pairs.push(['synthetic', path.join(scratch, 'synthetic-base.json'), path.join(scratch, 'synthetic-revision.json')]);

mkdirSync(out, { recursive: true });
let renders = 0;
for (const [name, base, revision] of pairs) {
  for (const [direction, a, b] of [['fwd', base, revision], ['rev', revision, base]]) {
    for (const format of FORMATS) {
      const file = path.join(out, `${name}.${direction}.${format}`);
      let text;
      try {
        const result = await runDiff({ base: path.relative(ROOT, a), revision: path.relative(ROOT, b), format, failOn: 'breaking', today: TODAY, cwd: ROOT });
        text = `exit ${result.exitCode}\n${result.output}`;
      } catch (error) {
        text = `error ${error?.code ?? ''}: ${error?.message ?? String(error)}`;
      }
      writeFileSync(file, text.split(path.relative(ROOT, scratch)).join('<scratch>').split(path.basename(scratch)).join('<scratch>'));
      renders++;
    }
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(`${pairs.length} pairs, ${renders} renders written to ${out}`);

if (against) {
  let differ = 0;
  for (const file of readdirSync(against).sort()) {
    const before = readFileSync(path.join(against, file), 'utf8');
    const after = existsSync(path.join(out, file)) ? readFileSync(path.join(out, file), 'utf8') : undefined;
    if (after === before) continue;
    differ++;
    if (after === undefined) {
      console.log(`${file}: missing`);
      continue;
    }
    const a = before.split('\n');
    const b = after.split('\n');
    const line = a.findIndex((text, i) => text !== b[i]);
    console.log(`${file}: line ${line + 1}\n  before: ${a[line]?.slice(0, 200)}\n  after:  ${b[line]?.slice(0, 200)}`);
  }
  console.log(differ === 0 ? `identical: ${readdirSync(against).length} renders` : `${differ} render(s) differ`);
  process.exit(differ === 0 ? 0 : 1);
}
