import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/load/load.js';
import { buildIr } from '../../src/ir/build/document.js';
import { ALL_TARGETS, loadGenerator, type GeneratorContext } from '../../src/generators/registry.js';

/**
 * The pipeline's layering (load -> IR -> generators -> emit), checked on the import graph: engines that run at
 * user time build on the IR and the shared zod expressions, never on a generator; generators never see the loaded
 * document.
 */
const SRC = path.resolve('src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every file under src and the src files it imports (static, type-only and dynamic imports alike). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => path.resolve(path.dirname(file), name).replace(/\.js$/, '.ts'));
    graph.set(path.relative(SRC, file), targets.map((target) => path.relative(SRC, target)));
  }
  return graph;
}

function violations(graph: Map<string, string[]>, from: string[], to: string): string[] {
  const inside = (file: string, dir: string): boolean => file === `${dir}.ts` || file.startsWith(`${dir}/`);
  return [...graph].flatMap(([file, targets]) =>
    from.some((dir) => inside(file, dir)) ? targets.filter((target) => inside(target, to)).map((target) => `${file} -> ${target}`) : [],
  );
}

describe('layer boundaries', () => {
  const graph = importGraph();

  it('sees the imports it checks (the graph is not empty where edges are known to exist)', () => {
    expect(graph.get('generators/zod/generate.ts')).toContain('zod-expr/expr.ts');
    expect(graph.get('validate/registry.ts')).toContain('zod-expr/build-expr.ts');
    expect(violations(graph, ['generators'], 'zod-expr').length).toBeGreaterThan(0);
  });

  it('validate, verify, mock, diff, ir, load and the shared zod expressions import no generator', () => {
    expect(violations(graph, ['validate', 'verify', 'mock', 'diff', 'ir', 'load', 'zod-expr'], 'generators')).toEqual([]);
  });

  it('generators never import the loader (they see the IR only) nor the engines that run at user time', () => {
    for (const layer of ['load', 'mock', 'verify', 'validate', 'diff', 'cli']) expect(violations(graph, ['generators'], layer), layer).toEqual([]);
  });

  it('the bundled document in the IR is a payload: only the outputs that embed it (mock.ts, msw.ts) touch it', () => {
    const readers = sourceFiles(SRC)
      .filter((file) => readFileSync(file, 'utf8').includes('bundledDocument'))
      .map((file) => path.relative(SRC, file))
      .sort();
    expect(readers).toEqual(['generators/mock/index.ts', 'generators/msw/index.ts', 'ir/build/document.ts', 'ir/types.ts']);
  });

  it('printing helpers shared by several generators live outside generators/zod', () => {
    const others = ['generators/types', 'generators/client', 'generators/server', 'generators/msw', 'generators/mock', 'generators/alerts', 'generators/print'];
    expect(violations(graph, others, 'generators/zod')).toEqual([]);
  });
});

/** Exactly the keys of GeneratorContext: adding one (say, the loaded spec) fails to compile here. */
const CONTEXT_KEYS: Record<keyof GeneratorContext, true> = { ir: true, targets: true, options: true };

describe('generator context', () => {
  it('every generator reads nothing from its context but the IR and the build settings', async () => {
    const spec = await loadSpec(path.resolve('fixtures/client-kitchen.yaml'), { validate: false });
    const context: GeneratorContext = { ir: buildIr(spec), targets: new Set(ALL_TARGETS), options: {} };
    const read = new Set<string>();
    const watched = new Proxy(context, {
      get(target, key, receiver) {
        if (typeof key === 'string') read.add(key);
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    for (const target of ALL_TARGETS) {
      const output = await (await loadGenerator(target))(watched);
      expect(output.files.length, target).toBeGreaterThan(0);
    }
    expect(Object.keys(CONTEXT_KEYS).sort()).toEqual(['ir', 'options', 'targets']);
    expect(read.has('ir')).toBe(true);
    expect([...read].filter((key) => !(key in CONTEXT_KEYS))).toEqual([]);
  });
});
