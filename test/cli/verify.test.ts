import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, scratch } from '../helpers/workspace.js';
import { startWidgetsProvider } from '../verify/widgets-provider.js';

const SPEC = 'fixtures/verify/widgets.yaml';

describe('concord verify from the command line', () => {
  it('exit 0 against an honest provider, 1 on a failure --fail-on selects, 0 when it selects others', async () => {
    const honest = await startWidgetsProvider();
    const faulty = await startWidgetsProvider(new Set(['server-error']));
    try {
      const ok = await cli(['verify', SPEC, '--base-url', honest.url, '--auth', 'bearer=t', '--max-requests', '5', '--stateful']);
      // Not a TTY: progress comes as plain lines on stderr.
      expect(ok.stderr).toMatch(/^verify: 8\/8 operations, \d+ requests$/m);
      expect(ok.stderr).not.toMatch(/error/);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/0 failures/);

      const failed = await cli(['verify', SPEC, '--base-url', faulty.url, '--auth', 'bearer=t', '--operations', 'listWidgets', '--max-requests', '5']);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toMatch(/no-server-error {2}GET \/widgets \(listWidgets\)/);
      expect(failed.stdout).toMatch(/curl -sS -X GET '.*limit=/);
      expect(failed.stderr).toContain('VERIFY_FAILED');

      const elsewhere = await cli(['verify', SPEC, '--base-url', faulty.url, '--operations', 'listWidgets', '--max-requests', '5', '--fail-on', 'content-type,idempotency']);
      expect(elsewhere.code).toBe(0);

      const dir = scratch('verify-cli');
      const out = path.join(dir, 'report.json');
      const json = await cli(['verify', SPEC, '--base-url', faulty.url, '--operations', 'widgets', '--max-requests', '3', '--format', 'json', '-o', out, '--no-negative', '-q']);
      expect(json.code).toBe(1);
      const report = JSON.parse(readFileSync(out, 'utf8')) as { checks: string[]; operations: Array<{ operation: string }>; failures: Array<{ check: string }> };
      expect(report.checks).not.toContain('negative-rejected');
      expect(report.operations.map((o) => o.operation).sort()).toEqual(['createWidget', 'deleteWidget', 'getWidget', 'listWidgets', 'replaceWidget']);
      expect(report.failures.some((f) => f.check === 'no-server-error')).toBe(true);
    } finally {
      await honest.close();
      await faulty.close();
    }
  });

  it('exit 2 for invalid input: options, unknown operations, an unreachable provider, a missing spec', async () => {
    const provider = await startWidgetsProvider();
    try {
      const noUrl = await cli(['verify', SPEC]);
      expect(noUrl.code).toBe(2);
      expect(noUrl.stderr).toContain('--base-url is required');
      expect((await cli(['verify', SPEC, '--base-url', provider.url, '--format', 'yaml'])).code).toBe(2);
      expect((await cli(['verify', SPEC, '--base-url', provider.url, '--fail-on', 'everything'])).stderr).toContain('unknown check everything');
      expect((await cli(['verify', SPEC, '--base-url', provider.url, '--max-requests', '0'])).code).toBe(2);
      expect((await cli(['verify', SPEC, '--base-url', provider.url, '--auth', 'nonsense'])).code).toBe(2);
      const unknown = await cli(['verify', SPEC, '--base-url', provider.url, '--operations', 'nope']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('nope is neither an operation id nor a tag');
      const closed = await cli(['verify', SPEC, '--base-url', 'http://127.0.0.1:9']);
      expect(closed.code).toBe(2);
      expect(closed.stderr).toContain('VERIFY_UNREACHABLE');
      expect((await cli(['verify', 'fixtures/missing.yaml', '--base-url', provider.url])).code).toBe(2);
    } finally {
      await provider.close();
    }
  });
});
