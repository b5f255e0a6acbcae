import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadSpec } from '../../src/load/load.js';
import { buildIr } from '../../src/ir/build/document.js';
import { withDirection } from '../../templates/runtime/zod-helpers.js';
import { ROOT, SHARED_SPECS, hasShared, scratch } from '../helpers/workspace.js';
import { Backends, importModule, show, writeSchemas } from '../generators/zod/harness.js';
import { AjvDocument, collectExamples, JsonSchemaDocument } from './examples-kit.js';

/**
 * Every example every document publishes (on schemas at any depth, media types, parameters) must pass concord's
 * validator wherever an independent JSON Schema validator (ajv, 2020-12; 3.0 converted) accepts it, as concord
 * receives it: formats are annotations there (the default `validate.formats: 'outgoing'`). An example ajv rejects
 * is a mistake in the document, counted but not concord's to judge.
 */

const FIXTURES = path.join(ROOT, 'fixtures');
// Most of these validators parse one value once: zod's per-schema JIT would cost more than it saves.
z.config({ jitless: true });
/** Documents whose printed schemas.ts is imported too, so the check covers the printed zod and not only the interpreter. */
const PRINTED = new Set(['real/twilio-api-v2010.json', 'real/redocly-museum.yaml', 'real/oai-uspto.yaml', 'real/oai-api-with-examples.yaml', 'fixtures/mock-pets.yaml', 'fixtures/client-kitchen.yaml']);

function documentFiles(shared: boolean): string[] {
  const files = new Set<string>();
  const add = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const file = path.join(dir, name);
      if (statSync(file).isFile() && /\.(ya?ml|json)$/.test(name)) files.add(file);
    }
  };
  if (!shared) {
    add(FIXTURES);
    add(path.join(FIXTURES, 'zod'));
  } else {
    // The index names every root document (multi-file ones too); the folders hold a few it does not list.
    const index = readFileSync(path.join(SHARED_SPECS, 'INDEX.tsv'), 'utf8').split('\n').slice(1);
    for (const line of index) if (line.trim() !== '') files.add(path.join(SHARED_SPECS, line.split('\t')[0] ?? ''));
    for (const dir of ['real', 'versions', 'edge']) add(path.join(SHARED_SPECS, dir));
  }
  return [...files].sort();
}

interface Counts {
  checked: number;
  ajvAccepted: number;
  ajvRejected: number;
  ajvUncompilable: number;
  falseRejections: string[];
  printedChecked: number;
  refused: string[];
}

async function checkDocument(file: string, counts: Counts): Promise<void> {
  let spec;
  try {
    spec = await loadSpec(file, { validate: false });
  } catch (error) {
    // Documents the loader refuses (the bad-spec fixtures, contracts with faults) are listed, not checked.
    counts.refused.push(`${path.basename(file)}: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
    return;
  }
  const ir = buildIr(spec);
  const examples = collectExamples(ir, spec.document);
  if (examples.length === 0) return;
  const ajv = new AjvDocument(new JsonSchemaDocument(spec));
  const printed = [...PRINTED].find((name) => file.endsWith(`/${name}`));
  const backends = printed === undefined ? undefined : await printedBackends(ir, printed);
  // A bundled multi-file document repeats a shared schema inline wherever it is used: each place is the same check.
  const seen = new Set<string>();
  for (const example of examples) {
    const key = `${example.role} ${example.pointer} ${show(example.value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    counts.checked++;
    const verdict = ajv.accepts(example.pointer, example.value);
    if (verdict instanceof Error) {
      counts.ajvUncompilable++;
      if (process.env['EXAMPLES_STATS']) console.log(`  ajv cannot compile ${example.pointer}: ${verdict.message.slice(0, 200)}`);
      continue;
    }
    if (!verdict) {
      counts.ajvRejected++;
      continue;
    }
    counts.ajvAccepted++;
    const parsed = withDirection('incoming', 'outgoing', () => example.zod().safeParse(example.value));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      counts.falseRejections.push(`${path.basename(file)} ${example.where}: ${issue ? `${issue.path.join('.')} ${issue.message}` : ''} ${show(example.value).slice(0, 160)}`);
    }
    if (backends && example.printed) {
      counts.printedChecked++;
      // Throws when the printed schemas.ts and the interpreter disagree.
      const both = withDirection('incoming', 'outgoing', () => backends.parse(example.printed ?? '', example.value));
      expect(both.success, `${example.where} (printed)`).toBe(parsed.success);
    }
  }
}

async function printedBackends(ir: Parameters<typeof writeSchemas>[0], relative: string): Promise<Backends> {
  const dir = scratch(`examples-${relative.replace(/[^\w]+/g, '-')}`);
  const { code, file } = writeSchemas(ir, dir);
  return new Backends(ir, await importModule(file), code);
}

async function checkAll(files: string[]): Promise<Counts> {
  const counts: Counts = { checked: 0, ajvAccepted: 0, ajvRejected: 0, ajvUncompilable: 0, falseRejections: [], printedChecked: 0, refused: [] };
  for (const file of files) {
    const start = performance.now();
    const before = counts.checked;
    await checkDocument(file, counts);
    if (process.env['EXAMPLES_STATS']) console.log(`${path.relative(path.dirname(ROOT), file)}: ${counts.checked - before} examples, ${Math.round(performance.now() - start)} ms`);
  }
  console.log(
    `examples checked: ${counts.checked}; ajv accepted ${counts.ajvAccepted}, rejected ${counts.ajvRejected} (invalid examples in the documents), could not compile ${counts.ajvUncompilable}; ` +
      `concord false rejections: ${counts.falseRejections.length}; also through printed schemas.ts: ${counts.printedChecked}; ` +
      `documents the loader refuses (not checked): ${counts.refused.length}${counts.refused.length > 0 ? `\n  ${counts.refused.join('\n  ')}` : ''}`,
  );
  return counts;
}

describe('published examples: concord accepts whatever ajv accepts', () => {
  it('in the fixtures', async () => {
    const counts = await checkAll(documentFiles(false));
    expect(counts.checked).toBeGreaterThan(0);
    expect(counts.falseRejections).toEqual([]);
  });

  it.skipIf(!hasShared)('in every document of ../shared/specs (skipped when ../shared/specs is absent)', { timeout: 900_000 }, async () => {
    const counts = await checkAll(documentFiles(true));
    expect(counts.checked).toBeGreaterThan(1000);
    expect(counts.printedChecked).toBeGreaterThan(200);
    expect(counts.falseRejections).toEqual([]);
  });
});
