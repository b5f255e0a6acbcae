import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RUNTIME_DIR, runtimeClosure } from '../../src/emit/runtime-files.js';

/**
 * Runtime templates are copied into users' projects; a comment there must not send the reader to a file they do
 * not have: concord's own sources, tests, docs, or a runtime file the output may lack. A runtime file a comment
 * names must be one the commented file itself pulls in (so every output holding the comment holds the file).
 */
const templates = readdirSync(RUNTIME_DIR).filter((f) => f.endsWith('.ts'));
const templateNames = new Set(templates.map((f) => f.replace(/\.ts$/, '')));

function comments(source: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, source);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) out.push(scanner.getTokenText());
  }
  return out;
}

/** What in a comment points outside the files a user of `file` has. */
export function foreignReferences(file: string, source: string): string[] {
  const shipped = new Set([...runtimeClosure([file]).keys()].map((f) => f.replace(/\.ts$/, '')));
  const found: string[] = [];
  for (const text of comments(source)) {
    for (const match of text.matchAll(/\b(?:src|templates|test|tests|bench|fixtures|dist)\/[\w./-]*/g)) found.push(match[0]);
    for (const match of text.matchAll(/[\w-]+\.(?:test\.ts|md)\b/g)) found.push(match[0]);
    for (const match of text.matchAll(/\b([\w-]+)\.[jt]s\b/g)) {
      const name = match[1] as string;
      if (templateNames.has(name) && !shipped.has(name)) found.push(match[0]);
    }
  }
  return found;
}

describe('runtime comments point only at files the user has', () => {
  it('the check finds what it is meant to find', () => {
    const source = "import { x } from './encoding.js';\n// see src/ir/types.ts, DESIGN.md, retry.test.ts, stream.ts and encoding.ts\nconst y = 'src/not-a-comment';\n";
    expect(foreignReferences('http.ts', source)).toEqual(['src/ir/types.ts', 'DESIGN.md', 'retry.test.ts', 'stream.ts']);
  });
  for (const file of templates) {
    it(file, () => {
      expect(foreignReferences(file, readFileSync(path.join(RUNTIME_DIR, file), 'utf8'))).toEqual([]);
    });
  }
});
