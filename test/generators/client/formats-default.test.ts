import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveJobs } from '../../../src/cli/generate.js';
import { generateInMemory } from '../../../src/generate.js';
import { ROOT, scratch } from '../../helpers/workspace.js';

// `validate: { formats }` in the config becomes the generated client's and router's default.

describe('validate.formats in the config', () => {
  it('reaches the generate options; `spec: false` still turns structural validation off', async () => {
    const dir = scratch('formats-config');
    const file = path.join(dir, 'concord.config.json');
    writeFileSync(file, JSON.stringify({ spec: path.join(ROOT, 'fixtures/retries.yaml'), out: 'api', validate: { spec: false, formats: 'strict' } }));
    const [job] = await resolveJobs(undefined, { config: file, format: false, validate: true });
    expect(job).toMatchObject({ formats: 'strict', validate: false });
    writeFileSync(file, JSON.stringify({ spec: 'x.yaml', out: 'api', validate: { formats: 'loose' } }));
    await expect(resolveJobs(undefined, { config: file, format: false, validate: true })).rejects.toThrow(/formats/);
  });

  it('is the default the caller can override, in the client and the provider router', async () => {
    const spec = path.join(ROOT, 'fixtures/retries.yaml');
    const strict = await generateInMemory({ spec, out: 'unused', format: false, formats: 'strict', targets: ['client', 'server'] });
    const text = (name: string): string => strict.files.find((f) => f.path === name)?.content ?? '';
    expect(text('client.ts')).toContain('createCore({ formats: "strict", ...options })');
    expect(text('server.ts')).toContain('createRouterCore(routes, handlers, { formats: "strict", ...options }');
    const plain = await generateInMemory({ spec, out: 'unused', format: false, targets: ['client'] });
    expect(plain.files.find((f) => f.path === 'client.ts')?.content).toContain('createCore(options)');
  });
});
