import { test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, cpSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDiff } from '../../src/diff/index.js';
test('scratch', async () => {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'do-'));
  cpSync('../shared/specs/multifile/digitalocean', repo, { recursive: true });
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@x', ...a], { cwd: repo });
  git('init', '-q'); git('add', '.'); git('commit', '-qm', 'x');
  let t = performance.now();
  const r = await runDiff({ base: 'HEAD:DigitalOcean-public.v2.yaml', revision: 'DigitalOcean-public.v2.yaml', format: 'text', cwd: repo });
  console.log('git vs file', (performance.now() - t).toFixed(0), 'ms', r.report.summary, r.report.base.operations);
  t = performance.now();
  const s = await runDiff({ base: 'DigitalOcean-public.v2.yaml', revision: 'DigitalOcean-public.v2.yaml', format: 'text', cwd: repo });
  console.log('file vs file', (performance.now() - t).toFixed(0), 'ms', s.report.summary);
  rmSync(repo, { recursive: true, force: true });
});
