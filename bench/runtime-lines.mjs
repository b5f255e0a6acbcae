#!/usr/bin/env node
// Lines of runtime copied into the output, per target, for petstore and a large contract (OpenAI): raw lines and
// code lines (lines holding a token, so blank and comment-only lines do not count). "with deps" is what
// `--targets <t>` writes under runtime/ (the targets it depends on included); "own" leaves out the files the
// dependencies bring anyway. Target for the client (types + zod + client) on petstore: at most 1,200 lines.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPECS = path.resolve(ROOT, '../shared/specs/real');
const TARGETS = ['types', 'zod', 'client', 'node', 'server', 'mock', 'msw'];
const { generateInMemory, resolveTargets } = await import(pathToFileURL(path.join(ROOT, 'dist/src/generate.js')).href);

/** Lines that hold at least one token: neither blank nor only a comment. */
export function codeLines(text) {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const lines = new Set();
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const lineOf = (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    for (let line = lineOf(scanner.getTokenStart()); line <= lineOf(scanner.getTokenEnd() - 1); line++) lines.add(line);
  }
  return lines.size;
}

const rawLines = (text) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

async function runtimeOf(spec, targets) {
  const result = await generateInMemory({ spec, out: 'unused', format: false, validate: false, targets });
  return new Map(result.files.filter((f) => f.path.startsWith('runtime/')).map((f) => [f.path, f.content]));
}

function sum(files) {
  let raw = 0;
  let code = 0;
  for (const content of files.values()) {
    raw += rawLines(content);
    code += codeLines(content);
  }
  return { files: files.size, raw, code };
}

const contracts = [
  ['petstore', path.join(ROOT, 'fixtures/petstore.yaml')],
  ['OpenAI', path.join(SPECS, 'openai-openapi.yaml')],
];
const rows = [];
for (const [name, spec] of contracts) {
  if (!existsSync(spec)) {
    console.log(`${name}: skipped, ${spec} not found (../shared/specs missing)`);
    continue;
  }
  for (const target of TARGETS) {
    const withDeps = await runtimeOf(spec, [target]);
    const deps = resolveTargets([target]).filter((t) => t !== target);
    const depFiles = deps.length === 0 ? new Map() : await runtimeOf(spec, deps);
    const own = new Map([...withDeps].filter(([file]) => !depFiles.has(file)));
    const all = sum(withDeps);
    const mine = sum(own);
    rows.push({ contract: name, target, 'files': all.files, 'raw (with deps)': all.raw, 'code (with deps)': all.code, 'own raw': mine.raw, 'own code': mine.code });
  }
  const defaults = sum(await runtimeOf(spec, undefined));
  rows.push({ contract: name, target: 'default (types+zod+client)', files: defaults.files, 'raw (with deps)': defaults.raw, 'code (with deps)': defaults.code, 'own raw': '', 'own code': '' });
}
console.table(rows);
const petstore = rows.find((r) => r.contract === 'petstore' && r.target.startsWith('default'));
if (petstore) console.log(`petstore default client runtime: ${petstore['raw (with deps)']} raw lines, ${petstore['code (with deps)']} code lines (target: at most 1,200)`);
