import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConcordError } from '../errors.js';
import { parseText } from '../load/parse.js';

const run = promisify(execFile);
const MAX_BUFFER = 256 * 1024 * 1024;

async function git(cwd: string, args: string[]): Promise<Buffer> {
  const { stdout } = await run('git', args, { cwd, encoding: 'buffer', maxBuffer: MAX_BUFFER });
  return stdout;
}

function message(error: unknown): string {
  const stderr = (error as { stderr?: Buffer | string }).stderr;
  const text = stderr === undefined ? (error instanceof Error ? error.message : String(error)) : stderr.toString();
  return text.trim().split('\n')[0] ?? '';
}

/** `rev:path` as git understands it; a Windows drive letter (`C:\x`) is not a revision. */
export function parseGitSpec(input: string): { rev: string; file: string } | undefined {
  if (/^[a-zA-Z]:[\\/]/.test(input)) return undefined;
  const index = input.indexOf(':');
  if (index <= 0 || index === input.length - 1) return undefined;
  return { rev: input.slice(0, index), file: input.slice(index + 1) };
}

/**
 * Write the spec at `rev:file` and every local file it `$ref`s (transitively) into a fresh temp dir, keeping their
 * layout relative to the repository root, and return the temp dir and the spec's path inside it.
 * `file` is relative to the repository root, or to `cwd` when it starts with `./` or `../` (git's own rule).
 */
export async function materialiseGitSpec(input: string, rev: string, file: string, cwd: string): Promise<{ dir: string; specPath: string; repoPath: string }> {
  let prefix: string;
  try {
    prefix = (await git(cwd, ['rev-parse', '--show-prefix'])).toString().trim();
    await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  } catch (error) {
    throw new ConcordError('SPEC_NOT_FOUND', `${input}: "${rev}" is not a git revision here (${message(error) || 'unknown revision'}).`, {
      location: { file: input },
      hint: 'Use <revision>:<path>, e.g. origin/main:openapi.yaml, from inside the repository (fetch the branch first in CI).',
    });
  }
  const relative = file.startsWith('./') || file.startsWith('../') ? path.posix.join(prefix, file) : file;
  const root = path.posix.normalize(relative);
  if (root.startsWith('../')) throw new ConcordError('SPEC_NOT_FOUND', `${input}: the path leaves the repository.`, { location: { file: input } });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-'));
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (seen.has(current)) continue;
    seen.add(current);
    let content: Buffer;
    try {
      content = await git(cwd, ['show', `${rev}:${current}`]);
    } catch (error) {
      if (current === root) throw new ConcordError('SPEC_NOT_FOUND', `${input}: ${message(error)}`, { location: { file: input } });
      // A missing referenced file is reported by the loader with its $ref location.
      continue;
    }
    const target = path.join(dir, ...current.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    for (const ref of localRefs(content.toString('utf8'), current)) queue.push(ref);
  }
  return { dir, specPath: path.join(dir, ...root.split('/')), repoPath: root };
}

/** Repository paths of the files a document's `$ref`s point at (URLs and internal refs left out). */
function localRefs(text: string, from: string): string[] {
  let data: unknown;
  try {
    data = parseText(text, from);
  } catch {
    return [];
  }
  const out = new Set<string>();
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const target = value.split('#')[0] ?? '';
          if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
          let decoded = target;
          try {
            decoded = decodeURI(target);
          } catch {
            // keep the raw text
          }
          const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(from), decoded));
          if (!resolved.startsWith('../')) out.add(resolved);
        } else stack.push(value);
      }
    }
  }
  return [...out];
}
