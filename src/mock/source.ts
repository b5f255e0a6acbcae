import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ConcordError } from '../errors.js';
import type { LoadedSpec, OpenApiDocument } from '../load/load.js';
import { buildIr, type BuildOptions } from '../ir/build/document.js';
import type { IrDocument } from '../ir/types.js';
import type { ContractOverrides } from '../load/overrides.js';

/** What `startMockServer({ spec })` accepts: a path or URL, a loaded spec, a built IR, or a parsed OpenAPI object. */
export type MockSpecInput = string | IrDocument | LoadedSpec | Record<string, unknown>;

export interface ResolvedMockSpec {
  ir: IrDocument;
  /** Local files to watch for `--watch` (empty for in-memory input). */
  files: string[];
}

const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

/** The full loader (bundler, validator) is loaded only for documents that need it: it costs startup time. */
async function loadSpec(input: string, overrides: ContractOverrides | undefined): Promise<LoadedSpec> {
  const { loadSpec: load } = await import('../load/load.js');
  return load(input, { validate: false, ...(overrides ? { overrides } : {}) });
}

function isIr(value: object): value is IrDocument {
  const record = value as Record<string, unknown>;
  return Array.isArray(record['operations']) && Array.isArray(record['schemas']) && typeof record['hash'] === 'string';
}

function isLoaded(value: object): value is LoadedSpec {
  const record = value as Record<string, unknown>;
  return typeof record['document'] === 'object' && record['document'] !== null && typeof record['sourceVersion'] === 'string';
}

/** True when some `$ref` names another file or URL: only then is the (slow) bundler needed. */
function hasExternalRefs(node: unknown): boolean {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (const item of current) stack.push(item);
      continue;
    }
    const record = current as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) return true;
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return false;
}

function versionOf(doc: Record<string, unknown>, source: string): string {
  if (doc['swagger'] !== undefined) {
    if (String(doc['swagger']) === '2.0') return '2.0';
  } else if (doc['openapi'] !== undefined && /^3\.[0-2](\.\d+)?(-[\w.]+)?$/.test(String(doc['openapi']))) {
    return String(doc['openapi']);
  }
  throw new ConcordError('SPEC_NOT_OPENAPI', 'The document is not an OpenAPI 3.x or Swagger 2.0 document.', { location: { file: source, pointer: '' } });
}

/**
 * A self-contained document (only `#/...` refs) needs no bundling and no structural validation to be served, and
 * skipping both is what makes the mock answer within a second or two on a 4 MB spec. Anything else takes the full
 * loader.
 */
async function fromDocument(raw: Record<string, unknown>, source: string, text: string | undefined, options: MockSourceOptions): Promise<IrDocument> {
  const sourceVersion = versionOf(raw, source);
  const digest = createHash('sha256').update(text ?? JSON.stringify(raw));
  if (options.overrides) digest.update(JSON.stringify(options.overrides));
  const hash = digest.digest('hex');
  // The same contract check (and overrides) as `generate`: a mock must never serve a broken contract silently.
  const { prepareContract } = await import('../load/contract-check.js');
  prepareContract(raw, sourceVersion, { file: source, ...(text !== undefined ? { text } : {}), ...(options.overrides ? { overrides: options.overrides } : {}) });
  let document: OpenApiDocument = raw;
  const diagnostics: LoadedSpec['diagnostics'] = [];
  if (sourceVersion === '2.0') {
    const { upgradeSwagger2 } = await import('../load/upgrade-swagger2.js');
    document = upgradeSwagger2(raw, { file: source }).document;
  }
  else if (document['paths'] === undefined) document = { ...document, paths: {} };
  return buildIr({ document, sourceVersion, source, files: [source], diagnostics, hash }, options.buildOptions ?? {});
}

/** JSON straight to JSON.parse; the YAML parser (and its import) only for YAML. Errors come from the shared parser. */
async function parseDocumentText(text: string, file: string): Promise<unknown> {
  if (/^\s*\{/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Fall through for the shared parser's located error message.
    }
  }
  const { parseText } = await import('../load/parse.js');
  return parseText(text, file);
}

export interface MockSourceOptions {
  cwd?: string;
  buildOptions?: BuildOptions;
  /** Repairs for a contract the user cannot edit (config `overrides`). */
  overrides?: ContractOverrides;
}

export async function resolveMockSpec(input: MockSpecInput, options: MockSourceOptions = {}): Promise<ResolvedMockSpec> {
  const buildOptions = options.buildOptions ?? {};
  if (typeof input === 'string') {
    if (isUrl(input)) {
      const spec = await loadSpec(input, options.overrides);
      return { ir: buildIr(spec, buildOptions), files: [] };
    }
    const file = path.resolve(options.cwd ?? process.cwd(), input);
    if (!existsSync(file) || statSync(file).isDirectory()) throw new ConcordError('SPEC_NOT_FOUND', `No such file: ${file}`, { location: { file } });
    const text = await readFile(file, 'utf8');
    const parsed = await parseDocumentText(text, file);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || hasExternalRefs(parsed)) {
      const spec = await loadSpec(file, options.overrides);
      return { ir: buildIr(spec, buildOptions), files: spec.files };
    }
    return { ir: await fromDocument(parsed as Record<string, unknown>, file, text, options), files: [file] };
  }
  if (isIr(input)) return { ir: input, files: [] };
  if (isLoaded(input)) return { ir: buildIr(input, buildOptions), files: [] };
  if (hasExternalRefs(input)) {
    throw new ConcordError('SPEC_REF', 'An in-memory document must be bundled (only #/ refs).', { hint: 'Pass the path of the root document instead, so relative $refs can be resolved.' });
  }
  return { ir: await fromDocument(structuredClone(input), '<in-memory>', undefined, options), files: [] };
}
