import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALL_TARGETS } from '../../src/generators/registry.js';
import { ROOT, scratch } from '../helpers/workspace.js';

const run = promisify(execFile);

/**
 * What a user gets from npm: the packed tarball (built dist/, `npm test` builds first), installed in a fresh
 * project with only the dependencies the README's "What your project needs" lists (from the npm registry, through
 * the npm cache). The installed `concord` command generates every target from a concord.config.ts that imports
 * the package, and the output plus a small program using it type-check under the strictest options, with the
 * package's own declarations checked too (skipLibCheck off).
 */
const USER_DEPENDENCIES = ['zod@^4', 'msw@^2', '@types/node@^20', 'typescript@5.9.3'];

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    verbatimModuleSyntax: true,
    noImplicitOverride: true,
    noPropertyAccessFromIndexSignature: true,
    isolatedModules: true,
    skipLibCheck: false,
    noEmit: true,
  },
  include: ['src/**/*.ts', 'concord.config.ts'],
};

const PROGRAM = `import { setupServer } from 'msw/node';
import { createClient } from './api/index.js';
import { startMock } from './api/mock.js';
import { handlers } from './api/msw.js';
import { createClient as createStreamClient } from './api-stream/index.js';
import type { Pairs } from './api-tuples/types.js';

// Tuples as JSON Schema reads prefixItems: positions optional, the rest open unless items is false.
export const pairs: Pairs = { open: ['a', 1, { extra: true }], closed: ['a'], rest: ['a', true, false], exact: [1, 2] };
// @ts-expect-error a closed tuple takes nothing past its prefix
export const tooLong: Pairs['closed'] = ['a', 1, 'extra'];

export async function firstRows(baseUrl: string): Promise<number> {
  const api = createStreamClient({ baseUrl });
  let rows = 0;
  for await (const row of api.readFeed.paginate({ query: {} }, { maxItems: 3 })) rows += row === undefined ? 0 : 1;
  for await (const tick of await api.streamTicks.stream()) rows += tick.data.seq;
  return rows;
}

export async function smoke(): Promise<number> {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: 'bypass' });
  server.close();
  const mock = await startMock();
  try {
    const api = createClient({ baseUrl: mock.url });
    return Object.keys(api).length;
  } finally {
    await mock.close();
  }
}
`;

async function sh(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });
    return `${stdout}${stderr}`;
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${out.stdout ?? ''}${out.stderr ?? ''}${out.message}`);
  }
}

describe('the packed package, installed in a fresh project', () => {
  it('installs, generates every target with the installed bin, and type-checks under the strictest tsconfig', async () => {
    const dir = scratch('packed');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };
    expect(pkg.name).not.toBe('concord'); // taken on npm by an unrelated package
    expect(Object.keys(pkg.bin)).toEqual(['concord']);

    // dist/ is built by `npm test`; --ignore-scripts keeps pack from rebuilding it.
    await sh('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBe(`${pkg.name}-${pkg.version}.tgz`);

    const project = path.join(dir, 'project');
    mkdirSync(path.join(project, 'src'), { recursive: true });
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(dir, tarball ?? ''), ...USER_DEPENDENCIES], project);

    writeFileSync(
      path.join(project, 'concord.config.ts'),
      // Streams and pages (createClient attaches .stream/.paginate/.pages) and open/closed tuples (prefixItems) too.
      `import { defineConfig } from '${pkg.name}';\n\nconst spec = ${JSON.stringify(path.join(ROOT, 'fixtures/client-kitchen.yaml'))};\nexport default defineConfig({ specs: [\n  { spec, out: 'src/api', targets: ${JSON.stringify(ALL_TARGETS)} },\n  { spec, out: 'src/api-split', split: 'always' },\n  { spec: ${JSON.stringify(path.join(ROOT, 'fixtures/streaming/events.yaml'))}, out: 'src/api-stream' },\n  { spec: ${JSON.stringify(path.join(ROOT, 'fixtures/tuples.yaml'))}, out: 'src/api-tuples' },\n] });\n`,
    );
    const generated = await sh(path.join(project, 'node_modules/.bin/concord'), ['generate'], project);
    expect(generated).toContain(`files to src/api/ (${ALL_TARGETS.join(', ')})`);
    expect(readFileSync(path.join(project, 'src/api/mock.ts'), 'utf8')).toContain(`from '${pkg.name}/mock'`);
    // The per-tag layout large contracts get, forced here: its modules type-check in the same strict program.
    expect(existsSync(path.join(project, 'src/api-split/client/default.ts'))).toBe(true);

    writeFileSync(path.join(project, 'src/program.ts'), PROGRAM);
    writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    const tsc = await run(process.execPath, [path.join(project, 'node_modules/typescript/bin/tsc'), '-p', project, '--pretty', 'false'], { cwd: project }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(tsc).toBe('');
  }, 240_000);
});
