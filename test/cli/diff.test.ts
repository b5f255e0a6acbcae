import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, scratch } from '../helpers/workspace.js';

const petstore = path.join(ROOT, 'fixtures/petstore.yaml');

describe('concord diff from the command line', () => {
  it('exit 1 on a breaking change with --fail-on breaking, 0 for an additive one, 2 for bad input', async () => {
    const dir = scratch('diff-cli');
    const breaking = path.join(dir, 'breaking.yaml');
    // `limit` changes type: clients sending integers break.
    writeFileSync(breaking, readFileSync(petstore, 'utf8').replace(/type: integer\n(\s+)maximum: 100/, 'type: string\n$1maxLength: 100'));
    const additive = path.join(dir, 'additive.yaml');
    writeFileSync(additive, readFileSync(petstore, 'utf8').replace('  /pets/{petId}:', '  /stores:\n    get:\n      operationId: listStores\n      responses:\n        "200":\n          description: ok\n  /pets/{petId}:'));

    const broke = await cli(['diff', petstore, breaking, '--fail-on', 'breaking']);
    expect(broke.code).toBe(1);
    expect(broke.stdout).toMatch(/BREAKING/);
    expect(broke.stderr).toContain('DIFF_BREAKING');

    const added = await cli(['diff', petstore, additive, '--fail-on', 'breaking', '--format', 'json']);
    expect(added.code).toBe(0);
    const report = JSON.parse(added.stdout) as { changes: Array<{ id: string; level: string }> };
    expect(report.changes.some((c) => c.level === 'breaking')).toBe(false);
    expect(report.changes.length).toBeGreaterThan(0);

    const same = await cli(['diff', petstore, petstore]);
    expect(same.code).toBe(0);

    const bad = await cli(['diff', petstore, path.join(dir, 'missing.yaml')]);
    expect(bad.code).toBe(2);
  });
});
