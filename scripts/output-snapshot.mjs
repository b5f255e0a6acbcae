#!/usr/bin/env node
// Byte-identity check for speed work: generate every fixtures/**/*.yaml|json and every ../shared/specs/real document
// in memory (all targets where the contract allows them, else the default ones), then either write the files and the
// warnings under <dir> (`write`) or compare them with what an earlier `write` left there (`compare`).
// Usage: node scripts/output-snapshot.mjs write|compare <dir> [--dist=<path to a dist/ to run>]
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [mode, dir] = process.argv.slice(2);
const dist = process.argv.find((a) => a.startsWith('--dist='))?.slice(7) ?? path.join(ROOT, 'dist');
if ((mode !== 'write' && mode !== 'compare') || !dir) {
  console.error('usage: output-snapshot.mjs write|compare <dir> [--dist=<dist>]');
  process.exit(2);
}
const { generateInMemory } = await import(pathToFileURL(path.join(dist, 'src/generate.js')).href);
const { ALL_TARGETS, DEFAULT_TARGETS } = await import(pathToFileURL(path.join(dist, 'src/generators/registry.js')).href);

function walk(base) {
  if (!existsSync(base)) return [];
  return readdirSync(base).flatMap((name) => {
    const full = path.join(base, name);
    return statSync(full).isDirectory() ? walk(full) : /\.(ya?ml|json)$/.test(name) ? [full] : [];
  });
}
const specs = [
  ...walk(path.join(ROOT, 'fixtures')).map((f) => [`fixtures/${path.relative(path.join(ROOT, 'fixtures'), f)}`, f]),
  ...walk(path.resolve(ROOT, '../shared/specs/real')).map((f) => [`real/${path.basename(f)}`, f]),
];

if (mode === 'write') mkdirSync(dir, { recursive: true });
let same = 0;
let differ = 0;
let skipped = 0;
for (const [name, file] of specs) {
  let result;
  for (const targets of [ALL_TARGETS, DEFAULT_TARGETS]) {
    try {
      const generated = await generateInMemory({ spec: file, targets, cwd: path.dirname(file) });
      // Warnings too: a faster loader must report the same findings, in the same order.
      const diagnostics = generated.spec.diagnostics.map((d) => `${d.level} ${d.code} ${d.file ? path.relative(ROOT, d.file) : ''}#${d.pointer ?? ''}:${d.line ?? ''} ${d.message}`);
      result = { targets, files: [...generated.files, { path: '(diagnostics)', content: `${diagnostics.join('\n')}\n` }] };
      break;
    } catch (error) {
      result = { error: String(error?.code ?? '') + ' ' + String(error?.message ?? error).split('\n')[0] };
    }
  }
  const slot = path.join(dir, name.replace(/[\\/]/g, '__'));
  const text = result.error ? `ERROR ${result.error}\n` : result.files.map((f) => `=== ${f.path}\n${f.content}`).join('\n');
  if (mode === 'write') {
    writeFileSync(slot, `targets ${result.targets?.join(',') ?? '-'}\n${text}`);
    if (result.error) skipped++;
  } else {
    const before = existsSync(slot) ? readFileSync(slot, 'utf8') : undefined;
    const after = `targets ${result.targets?.join(',') ?? '-'}\n${text}`;
    if (before === after) same++;
    else {
      differ++;
      const a = (before ?? '').split('\n');
      const b = after.split('\n');
      const i = a.findIndex((line, k) => line !== b[k]);
      console.log(`DIFFERS ${name} at line ${i + 1}:\n  before: ${a[i]?.slice(0, 160)}\n  after:  ${b[i]?.slice(0, 160)}`);
    }
  }
}
console.log(mode === 'write' ? `wrote ${specs.length} snapshots (${skipped} errored, kept as errors)` : `${same} identical, ${differ} differ, of ${specs.length}`);
process.exitCode = differ > 0 ? 1 : 0;
