import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConcordError } from '../errors.js';

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
  try {
    await copyReachable(cwd, rev, root, dir, input);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, specPath: path.join(dir, ...root.split('/')), repoPath: root };
}

/** Path -> blob id for every file at a revision: looking blobs up by id is much cheaper for git than by `rev:path`. */
async function listTree(cwd: string, rev: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of (await git(cwd, ['ls-tree', '-r', '-z', '--full-tree', rev])).toString('utf8').split('\0')) {
    const tab = entry.indexOf('\t');
    const [, type, oid] = entry.slice(0, tab).split(' ');
    if (tab > 0 && type === 'blob' && oid) out.set(entry.slice(tab + 1), oid);
  }
  return out;
}

async function copyReachable(cwd: string, rev: string, root: string, dir: string, input: string): Promise<void> {
  const tree = await listTree(cwd, rev);
  if (!tree.has(root)) throw new ConcordError('SPEC_NOT_FOUND', `${input}: no file ${root} at ${rev}.`, { location: { file: input } });
  const reader = new CatFile(cwd);
  try {
    const seen = new Set<string>([root]);
    let wave = [root];
    // Breadth-first in waves: every file of a wave is requested at once (cat-file answers in order).
    while (wave.length > 0) {
      const contents = await Promise.all(wave.map((file) => (tree.has(file) ? reader.read(tree.get(file) as string) : Promise.resolve(undefined))));
      const next: string[] = [];
      await Promise.all(
        wave.map(async (file, index) => {
          const content = contents[index];
          // A missing referenced file is reported by the loader with its $ref location.
          if (!content) return;
          const target = path.join(dir, ...file.split('/'));
          await mkdir(path.dirname(target), { recursive: true });
          await writeFile(target, content);
          for (const ref of localRefs(content.toString('utf8'), file)) {
            if (seen.has(ref)) continue;
            seen.add(ref);
            next.push(ref);
          }
        }),
      );
      wave = next;
    }
  } finally {
    reader.close();
  }
}

/**
 * One `git cat-file --batch` process for all the files of a spec: a multi-file spec can reach thousands of files,
 * and a process per file would dominate the run.
 */
class CatFile {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private readonly waiting: Array<{ resolve: (content: Buffer | undefined) => void; reject: (error: Error) => void }> = [];
  private failure: Error | undefined;

  constructor(cwd: string) {
    this.child = spawn('git', ['cat-file', '--batch'], { cwd });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (error: Error): void => {
      this.failure = error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    };
    this.child.on('error', fail);
    this.child.on('close', () => fail(new ConcordError('INTERNAL', 'git cat-file exited early.')));
    this.child.stdin.on('error', fail);
  }

  read(object: string): Promise<Buffer | undefined> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${object}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  // Replies come in request order: `<oid> <type> <size>\n<content>\n`, or `<spec> missing\n`.
  private drain(): void {
    while (this.waiting.length > 0) {
      const newline = this.buffer.indexOf(10);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.waiting.shift()?.resolve(undefined);
        continue;
      }
      const size = Number(match[2]);
      if (this.buffer.length < newline + 1 + size + 1) return;
      const content = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + size));
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.waiting.shift()?.resolve(match[1] === 'blob' ? content : undefined);
    }
  }
}

// `$ref: x.yaml`, `"$ref": "x.yaml#/a"`, `{ $ref: 'x.yaml' }`. A text scan, not a parse: finding a file that is not
// really referenced costs one lookup, and the loader reports any reference that stays unresolved.
const REF = /["']?\$ref["']?\s*:\s*["']?([^"'\s,}\]]+)/g;

/** Repository paths of the files a document's `$ref`s point at (URLs and internal refs left out). */
function localRefs(text: string, from: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(REF)) {
    const target = (match[1] ?? '').split('#')[0] ?? '';
    if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    let decoded = target;
    try {
      decoded = decodeURI(target);
    } catch {
      // keep the raw text
    }
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(from), decoded));
    if (!resolved.startsWith('../')) out.add(resolved);
  }
  return [...out];
}
