#!/usr/bin/env node
// Prints what concord detects on every root document of a spec corpus: streaming operations (by framing and by
// where the per-event schema came from, resumable ones) and paginated operations by style.
// Usage: npm run build && node scripts/detect-report.mjs [../shared/specs]
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { loadSpec, buildIr } from '../dist/src/index.js';

const root = path.resolve(process.argv[2] ?? '../shared/specs');
const index = path.join(root, 'INDEX.tsv');
if (!existsSync(index)) {
  console.error(`no corpus at ${root} (expected INDEX.tsv); pass the corpus directory`);
  process.exit(2);
}
const files = readFileSync(index, 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t')[0]);
const total = { documents: 0, failed: 0, operations: 0, streaming: 0, resumable: 0, formats: {}, itemSources: {}, paginated: 0, styles: {} };
const bump = (map, key) => (map[key] = (map[key] ?? 0) + 1);
const rows = [];
for (const file of files) {
  let ir;
  try {
    ir = buildIr(await loadSpec(path.join(root, file), { validate: false }));
  } catch (error) {
    total.failed++;
    rows.push(`${file}\tfailed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    continue;
  }
  total.documents++;
  const row = { operations: ir.operations.length, streaming: 0, paginated: {} };
  for (const op of ir.operations) {
    total.operations++;
    if (op.stream) {
      row.streaming++;
      total.streaming++;
      if (op.stream.resumable) total.resumable++;
      for (const r of op.responses) for (const m of r.content) if (m.stream && r.status.startsWith('2')) {
        bump(total.formats, m.stream.format);
        bump(total.itemSources, m.stream.itemSource);
      }
    }
    if (op.pagination) {
      total.paginated++;
      bump(row.paginated, op.pagination.style);
      bump(total.styles, `${op.pagination.style}${op.pagination.linkHeader ? '+link' : ''}`);
    }
  }
  const styles = Object.entries(row.paginated).map(([k, v]) => `${k} ${v}`).join(', ');
  rows.push(`${file}\t${row.operations} ops\tstreaming ${row.streaming}\tpaginated ${Object.values(row.paginated).reduce((a, b) => a + b, 0)}${styles ? ` (${styles})` : ''}`);
}
console.log(rows.join('\n'));
console.log('');
console.log(`documents ${total.documents} (failed to load: ${total.failed}), operations ${total.operations}`);
console.log(`streaming operations ${total.streaming} (resumable ${total.resumable}); streaming media by framing ${JSON.stringify(total.formats)}, per-event schema from ${JSON.stringify(total.itemSources)}`);
console.log(`paginated operations ${total.paginated}; by style ${JSON.stringify(total.styles)}`);
