import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { runDiff } from '../../src/diff/index.js';
import type { DiffReport } from '../../src/diff/types.js';

export const FIXTURES = path.resolve('fixtures/diff');

export async function diffFiles(base: string, revision: string): Promise<DiffReport> {
  return (await runDiff({ base, revision, format: 'json' })).report;
}

/** Diff two in-memory documents by writing them to a temp dir (the loader reads files). */
export async function diffDocs(base: unknown, revision: unknown): Promise<DiffReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'concord-diff-test-'));
  try {
    await writeFile(path.join(dir, 'base.yaml'), stringify(base));
    await writeFile(path.join(dir, 'revision.yaml'), stringify(revision));
    return await diffFiles(path.join(dir, 'base.yaml'), path.join(dir, 'revision.yaml'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const ids = (report: DiffReport): string[] => report.changes.map((change) => change.id);

/** A small document: GET/POST /items with Item in the request body and the response. */
export function itemDoc(item: unknown, extraSchemas: Record<string, unknown> = {}, version = '1.0.0'): Record<string, unknown> {
  const ref = { $ref: '#/components/schemas/Item' };
  return {
    openapi: '3.0.3',
    info: { title: 'Items', version },
    paths: {
      '/items': {
        post: {
          operationId: 'createItem',
          requestBody: { required: true, content: { 'application/json': { schema: ref } } },
          responses: { '200': { description: 'ok', content: { 'application/json': { schema: ref } } } },
        },
      },
    },
    components: { schemas: { Item: item, ...extraSchemas } },
  };
}

/** A temp folder for the current test file (removed after it) and a writer of JSON documents into it. */
export function jsonScratch(prefix: string): { write: (name: string, doc: unknown) => Promise<string> } {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    async write(name, doc) {
      const file = path.join(dir, name);
      await writeFile(file, JSON.stringify(doc));
      return file;
    },
  };
}
