// Generated TypeScript -> plain ES modules next to the repo's node_modules, so a bench can import the output
// without a build step (type-stripping only; the output's own tests check its types).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export function transpileDir(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) transpileDir(path.join(from, entry.name), path.join(to, entry.name));
    else if (entry.name.endsWith('.ts')) {
      const out = ts.transpileModule(readFileSync(path.join(from, entry.name), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true } });
      writeFileSync(path.join(to, entry.name.replace(/\.ts$/, '.js')), out.outputText);
    }
  }
  writeFileSync(path.join(to, 'package.json'), '{"type":"module"}');
}
