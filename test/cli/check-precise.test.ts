import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, scratch } from '../helpers/workspace.js';

const petstore = path.join(ROOT, 'fixtures/petstore.yaml');

function snapshot(dir: string, base = dir): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const [k, v] of snapshot(full, base)) files.set(k, v);
    else files.set(path.relative(base, full), readFileSync(full, 'utf8'));
  }
  return files;
}

describe('--check is precise; generate says what it removes', () => {
  it('a spec change touches only the files whose content changes (the spec hash is in the manifest only)', async () => {
    const dir = scratch('touch');
    const spec = path.join(dir, 'openapi.yaml');
    copyFileSync(petstore, spec);
    const out = path.join(dir, 'api');
    expect((await cli(['generate', spec, '--out', out, '-q'])).code).toBe(0);
    const before = snapshot(out);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('List all pets', 'List every pet'));
    expect((await cli(['generate', spec, '--out', out, '-q'])).code).toBe(0);
    const after = snapshot(out);
    const changed = [...after.keys()].filter((file) => after.get(file) !== before.get(file)).sort();
    // The description lands in the client's JSDoc and the types' comments; nothing in runtime/ changes.
    expect(changed).toContain('.concord-manifest.json');
    expect(changed.filter((f) => f.startsWith('runtime'))).toEqual([]);
    expect(changed.length).toBeLessThan(before.size / 2);
    for (const file of changed.filter((f) => f !== '.concord-manifest.json')) expect(after.get(file), file).toContain('List every pet');
  });

  it('a narrower --only: --check lists what generate would delete and the exact command; generate says it removed them', async () => {
    const dir = scratch('only-removes');
    const out = path.join(dir, 'api');
    expect((await cli(['generate', petstore, '--out', out, '--only', 'types,zod,client,msw', '-q'])).code).toBe(0);
    const check = await cli(['generate', petstore, '--out', out, '--only', 'types,zod', '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('removed  (generated before with --only types,zod,client,msw; targets types,zod would delete them):');
    expect(check.stdout).toMatch(/^ {4}.*api\/msw\.ts$/m);
    expect(check.stdout).toMatch(/^ {4}.*api\/client\.ts$/m);
    expect(check.stdout).toContain(`run \`concord generate ${petstore} --out ${out} --only types,zod\` to update it (it deletes the client, msw files; add client,msw to --only to keep them)`);
    expect(check.stderr).toContain('error STALE_OUTPUT');

    writeFileSync(path.join(out, 'msw.ts'), `${readFileSync(path.join(out, 'msw.ts'), 'utf8')}// mine\n`);
    const narrowed = await cli(['generate', petstore, '--out', out, '--only', 'types,zod', '--quiet']);
    expect(narrowed.code).toBe(0);
    expect(narrowed.stderr).toMatch(/warning: removed \d+ files an earlier run generated and this one does not/);
    expect(narrowed.stderr).toMatch(/api\/msw\.ts \(had been edited by hand\)/);
    expect(narrowed.stderr).toMatch(/api\/client\.ts\n/);
  });

  it('a fresh output and an untouched re-run say nothing about removals', async () => {
    const out = path.join(scratch('quiet-rerun'), 'api');
    expect((await cli(['generate', petstore, '--out', out, '-q'])).stderr).toBe('');
    expect((await cli(['generate', petstore, '--out', out, '-q'])).stderr).toBe('');
  });
});
