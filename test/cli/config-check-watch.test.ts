import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, scratch } from '../helpers/workspace.js';

const petstore = path.join(ROOT, 'fixtures/petstore.yaml');

describe('config files', () => {
  const formats: Array<{ name: string; body: (a: string, b: string) => string }> = [
    {
      name: 'concord.config.ts',
      body: (a, b) => `import { defineConfig } from 'concord-openapi';\n\nexport default defineConfig({ specs: [{ spec: ${JSON.stringify(a)}, out: 'out-a' }, { spec: ${JSON.stringify(b)}, out: 'out-b', targets: ['zod'] }] });\n`,
    },
    { name: 'concord.config.mjs', body: (a, b) => `export default { specs: [{ spec: ${JSON.stringify(a)}, out: 'out-a' }, { spec: ${JSON.stringify(b)}, out: 'out-b', targets: ['zod'] }] };\n` },
    { name: 'concord.config.json', body: (a, b) => JSON.stringify({ specs: [{ spec: a, out: 'out-a' }, { spec: b, out: 'out-b', targets: ['zod'] }] }) },
    { name: 'concord.config.yaml', body: (a, b) => `specs:\n  - spec: ${a}\n    out: out-a\n  - spec: ${b}\n    out: out-b\n    targets: [zod]\n` },
  ];
  for (const format of formats) {
    it(`${format.name}: several specs, each with its own output, found without --config`, async () => {
      const dir = scratch('config');
      copyFileSync(petstore, path.join(dir, 'a.yaml'));
      copyFileSync(path.join(ROOT, 'fixtures/petstore-v2.yaml'), path.join(dir, 'b.yaml'));
      writeFileSync(path.join(dir, format.name), format.body('a.yaml', 'b.yaml'));
      const result = await cli(['generate', '-q'], { cwd: dir });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(existsSync(path.join(dir, 'out-a/client.ts'))).toBe(true);
      expect(existsSync(path.join(dir, 'out-b/schemas.ts'))).toBe(true);
      expect(existsSync(path.join(dir, 'out-b/client.ts'))).toBe(false);
    });
  }

  it('split: always writes one module per tag; switching it back makes --check report the output stale', async () => {
    const dir = scratch('config-split');
    copyFileSync(petstore, path.join(dir, 'a.yaml'));
    const config = path.join(dir, 'concord.config.json');
    writeFileSync(config, JSON.stringify({ spec: 'a.yaml', out: 'api', split: 'always' }));
    expect((await cli(['generate', '-q'], { cwd: dir })).code).toBe(0);
    expect(existsSync(path.join(dir, 'api/client/pets.ts'))).toBe(true);
    expect(readFileSync(path.join(dir, 'api/client.ts'), 'utf8')).toContain("from './client/pets.js'");
    expect((await cli(['generate', '--check'], { cwd: dir })).code).toBe(0);
    writeFileSync(config, JSON.stringify({ spec: 'a.yaml', out: 'api', split: 'never' }));
    expect((await cli(['generate', '--check'], { cwd: dir })).code).toBe(1);
    writeFileSync(config, JSON.stringify({ spec: 'a.yaml', out: 'api', split: 'sometimes' }));
    const invalid = await cli(['generate'], { cwd: dir });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/CONFIG_INVALID.*split/);
  });

  it('wrong types are named', async () => {
    const dir = scratch('config-type');
    writeFileSync(path.join(dir, 'concord.config.json'), JSON.stringify({ spec: 'a.yaml', out: 42 }));
    const result = await cli(['generate'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CONFIG_INVALID.*out/);
  });

  it('no spec and no config is a usage error that says what to do', async () => {
    const result = await cli(['generate'], { cwd: scratch('no-config') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONFIG_NOT_FOUND');
    expect(result.stderr).toContain('fix:');
  });
});

describe('generate --check', () => {
  it('exits 0 on fresh output, 1 naming an edited file, never writes', async () => {
    const dir = scratch('check');
    const out = path.join(dir, 'api');
    expect((await cli(['generate', petstore, '--out', out, '-q'])).code).toBe(0);
    const fresh = await cli(['generate', petstore, '--out', out, '--check']);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).toContain('up to date');

    const client = path.join(out, 'client.ts');
    writeFileSync(client, `${readFileSync(client, 'utf8')}\n// edited by hand\n`);
    const before = statSync(client).mtimeMs;
    const stale = await cli(['generate', petstore, '--out', out, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/edited\s+.*client\.ts \(changed by hand since concord wrote it/);
    expect(stale.stdout).not.toMatch(/schemas\.ts/);
    expect(stale.stdout).toContain(`run \`concord generate ${petstore} --out ${out} --check\``.replace(' --check', ''));
    expect(stale.stderr).toContain('STALE_OUTPUT');
    expect(statSync(client).mtimeMs).toBe(before);
    expect(readFileSync(client, 'utf8')).toContain('// edited by hand');
  });

  it('reports missing files and a changed spec', async () => {
    const dir = scratch('check-spec');
    const spec = path.join(dir, 'openapi.yaml');
    copyFileSync(petstore, spec);
    const out = path.join(dir, 'api');
    await cli(['generate', spec, '--out', out, '-q']);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('List all pets', 'List every pet'));
    const result = await cli(['generate', spec, '--out', out, '--check']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/stale\s+.*client\.ts/);
    const missing = await cli(['generate', spec, '--out', path.join(dir, 'nowhere'), '--check']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/missing\s+.*index\.ts/);
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });
});

describe('generate --watch', () => {
  it('regenerates on change, keeps the last good output on an invalid edit', async () => {
    const dir = scratch('watch');
    const spec = path.join(dir, 'openapi.yaml');
    copyFileSync(petstore, spec);
    const out = path.join(dir, 'api');
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/concord.js'), 'generate', spec, '--out', out, '--watch'], { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const waitFor = async (pattern: RegExp, from: number): Promise<void> => {
      for (let i = 0; i < 300 && !pattern.test(output.slice(from)); i++) await new Promise((r) => setTimeout(r, 100));
      expect(output.slice(from)).toMatch(pattern);
    };
    try {
      await waitFor(/watching for changes/, 0);
      let mark = output.length;
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('List all pets', 'List every pet'));
      await waitFor(/wrote \d+ files/, mark);
      expect(readFileSync(path.join(out, 'client.ts'), 'utf8')).toContain('List every pet');
      mark = output.length;
      writeFileSync(spec, 'openapi: 3.0.0\ninfo: [broken\n');
      await waitFor(/keeping the last good output/, mark);
      expect(readFileSync(path.join(out, 'client.ts'), 'utf8')).toContain('List every pet');
    } finally {
      child.kill('SIGINT');
    }
  });
});
