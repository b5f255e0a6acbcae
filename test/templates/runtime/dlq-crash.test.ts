/**
 * Crash test for the durable dead-letter store: a child process parks records in a loop and prints each id once
 * its put resolved; it is SIGKILLed mid-stream, several rounds in a row on the same store. After every kill each
 * acknowledged record is readable, no record is stored twice, and damaged bytes (a write cut by the kill) are
 * reported, not dropped silently.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeLog } from '../../../templates/runtime/dlq-codec.js';
import { createFileDeadLetterStore, LOG_FILE, type TornSegment } from '../../../templates/runtime/dlq-file.js';

const here = dirname(fileURLToPath(import.meta.url));
const runtimeDir = join(here, '../../../templates/runtime');
let work = '';

beforeAll(() => {
  // Node 20 cannot run TypeScript, so the child imports a plain transpile of the runtime templates.
  work = mkdtempSync(join(tmpdir(), 'concord-dlq-crash-'));
  const out = join(work, 'runtime');
  mkdirSync(out);
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  for (const file of readdirSync(runtimeDir).filter((f) => f.endsWith('.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(join(runtimeDir, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    });
    writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText);
  }
});
afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

interface Round {
  acked: string[];
  ready: { depth: number; torn: TornSegment[]; compacted: boolean } | undefined;
  ms: number;
}

/** Runs the child until it has acknowledged `killAfter` records, then SIGKILLs it. */
function runChild(dir: string, prefix: string, killAfter: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'dlq-crash-child.mjs'), join(work, 'runtime', 'dlq-file.js'), dir, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    const round: Round = { acked: [], ready: undefined, ms: 0 };
    let buffered = '';
    let stderr = '';
    let started = 0;
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('ready ')) {
          round.ready = JSON.parse(line.slice(6)) as Round['ready'];
          started = performance.now();
        } else if (line.startsWith('ack ')) round.acked.push(line.slice(4));
      }
      if (!killed && round.acked.length >= killAfter) {
        killed = true;
        round.ms = performance.now() - started;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(round);
      else reject(new Error(`child exited before the kill (code ${String(_code)}): ${stderr}`));
    });
  });
}

it('keeps every acknowledged record, once, across SIGKILLs in the middle of writing', async () => {
  const dir = join(work, 'store');
  const acked: string[] = [];
  const tornSeen: TornSegment[] = [];
  const figures: string[] = [];
  for (const [n, killAfter] of [60, 97, 155, 41, 120].entries()) {
    const round = await runChild(dir, `r${n}`, killAfter);
    acked.push(...round.acked);
    tornSeen.push(...(round.ready?.torn ?? []));
    figures.push(`round ${n}: ${round.acked.length} acks in ${round.ms.toFixed(0)} ms`);

    // The log itself, before anyone reopens it: no record is stored twice.
    const decoded = decodeLog(readFileSync(join(dir, LOG_FILE)), 0);
    const puts = decoded.entries.flatMap(({ entry }) => (entry.op === 'put' ? [entry.record.id] : []));
    expect(new Set(puts).size).toBe(puts.length);

    const store = await createFileDeadLetterStore(dir);
    const ids = (await store.list()).map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const missing = acked.filter((id) => !ids.includes(id));
    expect(missing).toEqual([]);
    // At most the one record in flight at the kill may be present without an ack.
    expect(ids.length - acked.length).toBeLessThanOrEqual(n + 1);
    for (const segment of store.torn) {
      expect(segment.savedTo).not.toBeNull();
      tornSeen.push(segment);
    }
    await store.close();
  }
  console.info(`dlq crash test: ${acked.length} acknowledged records survived 5 SIGKILLs; torn segments reported: ${tornSeen.length}\n  ${figures.join('\n  ')}`);
});
