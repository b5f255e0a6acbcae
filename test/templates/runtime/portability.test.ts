/**
 * The runtime is copied into users' projects, some of them browser apps. Its core files must import nothing
 * from Node (directly or through another file), use `.js` relative specifiers, and type-check with the DOM lib
 * alone (no @types/node) under the strict flags.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), '../../../templates/runtime');
/** Entry points of the resilience layer that browsers may import. */
const CORE_ENTRIES = ['resilience.ts', 'dead-letter.ts', 'hmac.ts', 'correlation.ts', 'dlq-codec.ts'];
const NODE_ONLY = new Set(['dlq-file.ts', 'correlation-node.ts']);

function imports(file: string): string[] {
  return ts.preProcessFile(readFileSync(join(runtimeDir, file), 'utf8'), true, true).importedFiles.map((f) => f.fileName);
}

function closure(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of imports(file)) if (spec.startsWith('./')) visit(spec.slice(2).replace(/\.js$/, '.ts'));
  };
  entries.forEach(visit);
  return seen;
}

it('core files reach no Node module and no Node-only file', () => {
  const core = closure(CORE_ENTRIES);
  expect([...core].filter((f) => NODE_ONLY.has(f))).toEqual([]);
  for (const file of core) {
    for (const spec of imports(file)) {
      expect(spec.startsWith('./') ? spec.endsWith('.js') : spec === 'zod', `${file} imports ${spec}`).toBe(true);
    }
  }
});

it('core files type-check for a browser: DOM lib, no @types/node, strictest flags', () => {
  const roots = [...closure(CORE_ENTRIES)].map((f) => join(runtimeDir, f));
  const program = ts.createProgram(roots, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    noImplicitOverride: true,
    noImplicitReturns: true,
    noFallthroughCasesInSwitch: true,
    noPropertyAccessFromIndexSignature: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(diagnostics).toEqual([]);
});
