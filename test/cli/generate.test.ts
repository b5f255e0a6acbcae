import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, scratch, typecheck } from '../helpers/workspace.js';

const fixture = (name: string): string => path.join(ROOT, 'fixtures', name);

describe('concord generate: bad input gets a clear error, exit 2, and the old output survives', () => {
  const cases: Array<{ name: string; args: (out: string) => string[]; code: string; where?: RegExp }> = [
    { name: 'missing file', args: (out) => ['generate', 'no/such/spec.yaml', '--out', out], code: 'SPEC_NOT_FOUND', where: /no\/such\/spec\.yaml/ },
    { name: 'invalid YAML', args: (out) => ['generate', fixture('bad/invalid-yaml.yaml'), '--out', out], code: 'SPEC_PARSE', where: /invalid-yaml\.yaml:\d+/ },
    { name: 'broken $ref', args: (out) => ['generate', fixture('bad/broken-ref.yaml'), '--out', out], code: 'SPEC_CONTRACT', where: /broken-ref\.yaml:\d+ #\/paths\/~1pets\/get\/responses\/200\/content\/application~1json\/schema/ },
    { name: 'not an OpenAPI document', args: (out) => ['generate', fixture('bad/not-openapi.json'), '--out', out], code: 'SPEC_NOT_OPENAPI', where: /not-openapi\.json/ },
    { name: 'unknown config key', args: () => ['generate', '--config', fixture('bad/unknown-key.config.json')], code: 'CONFIG_INVALID', where: /unknown-key\.config\.json/ },
    { name: 'unknown target', args: (out) => ['generate', fixture('petstore.yaml'), '--out', out, '--only', 'types,sdk'], code: 'USAGE' },
    { name: 'spec without --out', args: () => ['generate', fixture('petstore.yaml')], code: 'USAGE' },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const out = path.join(scratch('bad-input'), 'api');
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, 'keep.ts'), 'export const kept = 1;\n');
      const result = await cli(c.args(out));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error ${c.code}`);
      expect(result.stderr).toMatch(/fix: \S/);
      if (c.where) expect(result.stderr).toMatch(c.where);
      expect(result.stderr).not.toMatch(/\n\s+at .*\.js:\d+:\d+/); // no stack traces for user errors
      expect(readFileSync(path.join(out, 'keep.ts'), 'utf8')).toBe('export const kept = 1;\n');
    });
  }

  it('a failed run leaves the previous generated output byte-for-byte intact', async () => {
    const out = path.join(scratch('atomic'), 'api');
    expect((await cli(['generate', fixture('petstore.yaml'), '--out', out, '-q'])).code).toBe(0);
    const before = readFileSync(path.join(out, 'client.ts'), 'utf8');
    const failed = await cli(['generate', fixture('bad/broken-ref.yaml'), '--out', out]);
    expect(failed.code).toBe(2);
    expect(readFileSync(path.join(out, 'client.ts'), 'utf8')).toBe(before);
    expect(existsSync(path.join(out, 'schemas.ts'))).toBe(true);
  });

  it('an unresolvable $ref inside an x- extension is a warning, not a failure', async () => {
    const out = path.join(scratch('ext-ref'), 'api');
    const result = await cli(['generate', fixture('bad/extension-ref.yaml'), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('EXTENSION_REF_UNRESOLVED');
  });
});

describe('concord generate: hostile names', () => {
  it('generates safe, compiling output for reserved words, quotes, backticks, */, ${, non-ASCII and case clashes', async () => {
    const out = path.join(scratch('hostile'), 'api');
    const result = await cli(['generate', fixture('hostile-names.yaml'), '--out', out, '-q']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await typecheck(out)).toBe('');
    const schemas = readFileSync(path.join(out, 'schemas.ts'), 'utf8');
    // Names that differ only in case get distinct identifiers; reserved words and globals are renamed.
    for (const name of ['CLASS', 'Class2', 'Class3', 'Schema3DModel', 'ObjectModel', 'UnicodeName', 'PetModel', 'PetModel2']) {
      expect(schemas).toMatch(new RegExp(`export const ${name}\\b`));
    }
    // `*/` never closes a comment early; `__proto__` is a real key.
    expect(schemas).not.toMatch(/\/\*\*[^\n]*\*\/[^\n]*\*\//);
    expect(schemas).toMatch(/\[['"]__proto__['"]\]/);
    const client = readFileSync(path.join(out, 'client.ts'), 'utf8');
    expect(client).toMatch(/export function delete_\(/);
    expect(client).toMatch(/export function creerCafe\(/);
  });
});

describe('concord generate: output', () => {
  it('is deterministic: same spec, same bytes', async () => {
    const a = path.join(scratch('det-a'), 'api');
    const b = path.join(scratch('det-b'), 'api');
    await cli(['generate', fixture('client-kitchen.yaml'), '--out', a, '-q']);
    await cli(['generate', fixture('client-kitchen.yaml'), '--out', b, '-q']);
    for (const file of ['types.ts', 'schemas.ts', 'client.ts', 'index.ts', 'runtime/http.ts', '.concord-manifest.json']) {
      expect(readFileSync(path.join(a, file), 'utf8'), file).toBe(readFileSync(path.join(b, file), 'utf8'));
    }
  });

  it('puts a header with the version on every file (the spec hash only in the manifest) and reports what it did', async () => {
    const out = path.join(scratch('header'), 'api');
    const result = await cli(['generate', fixture('petstore.yaml'), '--out', out]);
    expect(result.stdout).toMatch(/Swagger Petstore v1\.0\.0 \(OpenAPI 3\.0\.0\): 3 operations, 3 schemas/);
    expect(result.stdout).toMatch(/wrote \d+ files to .* in [\d.]+ m?s/);
    expect(result.stdout).not.toMatch(/\u001b\[/); // no colour when not a TTY
    for (const file of ['types.ts', 'schemas.ts', 'client.ts', 'runtime/http.ts']) {
      const content = readFileSync(path.join(out, file), 'utf8');
      expect(content).toMatch(/^\/\/ Generated by concord \d+\.\d+\.\d+ from "Swagger Petstore"\. Do not edit: run `concord generate`\.\n/);
      expect(content).not.toMatch(/[0-9a-f]{64}/);
    }
    expect(JSON.parse(readFileSync(path.join(out, '.concord-manifest.json'), 'utf8'))).toMatchObject({ specHash: expect.stringMatching(/^[0-9a-f]{64}$/), targets: ['types', 'zod', 'client'] });
  });

  it('--only limits targets (and pulls in what they need)', async () => {
    const out = path.join(scratch('only'), 'api');
    expect((await cli(['generate', fixture('petstore.yaml'), '--out', out, '--only', 'zod', '-q'])).code).toBe(0);
    expect(existsSync(path.join(out, 'schemas.ts'))).toBe(true);
    expect(existsSync(path.join(out, 'client.ts'))).toBe(false);
    // The validators are annotated with the types types.ts declares.
    expect(existsSync(path.join(out, 'types.ts'))).toBe(true);
    expect(await typecheck(out)).toBe('');
  });

  it('keeps files in the output directory that concord did not write', async () => {
    const out = path.join(scratch('foreign'), 'api');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'mine.ts'), 'export const mine = true;\n');
    expect((await cli(['generate', fixture('petstore.yaml'), '--out', out, '-q'])).code).toBe(0);
    expect(readFileSync(path.join(out, 'mine.ts'), 'utf8')).toBe('export const mine = true;\n');
  });

  it('reads a Swagger 2.0 document and says so', async () => {
    const out = path.join(scratch('v2'), 'api');
    const result = await cli(['generate', fixture('petstore-v2.yaml'), '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Swagger 2.0, upgraded');
    expect(await typecheck(out)).toBe('');
  });
});

describe('concord --version and --help', () => {
  it('prints the version', async () => {
    const result = await cli(['--version']);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
  it('documents exit codes and examples', async () => {
    const result = await cli(['generate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--only <targets>');
    expect(result.stdout).toContain('Examples:');
  });
});
