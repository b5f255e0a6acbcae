import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ConcordError, formatLocation, type ErrorLocation } from '../errors.js';
import { lineOfPointer, parseText, toPointer } from './parse.js';
import { protectRefs, unshieldDataRefs } from './protect-refs.js';
import { upgradeSwagger2 } from './upgrade-swagger2.js';
import { validateStructure } from './validate.js';
import { brokenRefs, contractError, repairAndCheck, type ProblemGroup } from './contract-check.js';
import type { ContractOverrides } from './overrides.js';
import { normaliseBundle } from './normalise-bundle.js';
import { checkVersion, normaliseForParser, readSource } from './read-source.js';

export { checkVersion, normaliseForParser, readSource } from './read-source.js';
import { stableStringify } from './stable-stringify.js';
import type { Diagnostic } from './diagnostics.js';

export type OpenApiDocument = Record<string, unknown>;

export interface LoadedSpec {
  /** OpenAPI 3.x document, bundled: every `$ref` is internal (`#/...`). Swagger 2.0 input is upgraded. */
  document: OpenApiDocument;
  /** Version the input declared (`2.0`, `3.0.3`, `3.1.0`, `3.2.0`). */
  sourceVersion: string;
  /** Absolute path or URL of the root document. */
  source: string;
  /** Every local file that was read (root first): what `--watch` watches. */
  files: string[];
  diagnostics: Diagnostic[];
  /** sha256 (hex) of the canonical JSON of `document`. */
  hash: string;
}

export interface LoadOptions {
  cwd?: string;
  /** Run full structural validation (reported as warnings). Default true. */
  validate?: boolean;
  /** Repairs for a contract the user cannot edit (config `overrides`), applied before the contract check. */
  overrides?: ContractOverrides;
}

const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

export async function loadSpec(input: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const source = isUrl(input) ? input : path.resolve(options.cwd ?? process.cwd(), input);
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const rootText = await readSource(source);
  const root = parseText(rootText, source);
  const sourceVersion = checkVersion(root, source);
  const rootDoc = root as OpenApiDocument;
  // Root faults are reported together with those in other files (found while bundling): every one in one run.
  const rootFaults = repairAndCheck(rootDoc, sourceVersion, { file: source, text: rootText, ...(options.overrides ? { overrides: options.overrides } : {}) });
  protectRefs(rootDoc, source, diagnostics);
  normaliseForParser(rootDoc, sourceVersion, source, diagnostics);
  if (!isUrl(source)) files.push(source);

  const bundled = await bundle(source, rootDoc, diagnostics, files, rootFaults);
  let document = bundled;
  if (sourceVersion === '2.0') {
    const upgraded = upgradeSwagger2(bundled, { file: source });
    document = upgraded.document;
    for (const warning of upgraded.warnings) {
      diagnostics.push({ level: 'warning', code: 'SWAGGER2_UPGRADE', message: warning.message, file: source, pointer: warning.pointer });
    }
  }
  normaliseBundle(document, source, diagnostics);
  if (options.validate !== false) {
    diagnostics.push(...(await validateStructure(document, source)));
  }
  const hash = createHash('sha256').update(stableStringify(document)).digest('hex');
  return { document, sourceVersion, source, files, diagnostics, hash };
}




interface RefParserError {
  name?: string;
  code?: string;
  message?: string;
  path?: Array<string | number>;
  source?: string;
  targetRef?: string;
}

async function bundle(source: string, root: OpenApiDocument, diagnostics: Diagnostic[], files: string[], rootFaults: ProblemGroup | undefined): Promise<OpenApiDocument> {
  // Broken refs inside other files, found as each is read: named with their own file and line, all of them.
  const faults: ProblemGroup[] = rootFaults ? [rootFaults] : [];
  const parser = {
    order: 1,
    canParse: /\.(json|ya?ml)$/i,
    parse(file: { url: string; data: string | Buffer }): unknown {
      const text = typeof file.data === 'string' ? file.data : file.data.toString('utf8');
      const parsed = parseText(text, file.url);
      if (!isUrl(file.url) && file.url !== source) files.push(file.url);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const problems = brokenRefs(parsed as OpenApiDocument, isUrl(file.url) ? undefined : file.url);
        if (problems.length > 0) faults.push({ file: file.url, text, problems });
      }
      protectRefs(parsed, file.url, diagnostics);
      return parsed;
    },
  };
  try {
    const result = await SwaggerParser.bundle(source, root as never, {
      continueOnError: true,
      parse: { concord: parser },
      // The user chose the spec's location; a spec served from localhost or a private network must resolve its
      // relative refs there too (the resolver refuses such URLs by default).
      resolve: { http: { safeUrlResolver: false } },
    } as never);
    if (faults.length > 0) throw contractError(faults);
    unshieldDataRefs(result);
    return result as unknown as OpenApiDocument;
  } catch (error) {
    if (error instanceof ConcordError) throw error;
    if (faults.length > 0) throw contractError(faults);
    const group = (error as { errors?: RefParserError[] }).errors ?? [error as RefParserError];
    const located = await Promise.all(group.map((problem) => locate(problem, source)));
    const [first] = located;
    const code = group.length === 1 && group[0]?.code === 'ERESOLVER' && !group[0].path ? 'SPEC_NOT_FOUND' : 'SPEC_REF';
    // Every broken $ref, each with its own place: fixing them one run at a time is what "and 4 more" forces.
    throw new ConcordError(code, group.length === 1 ? first?.message ?? String(error) : `${group.length} $refs cannot be resolved:`, {
      location: first?.location ?? { file: source },
      hint: group.length === 1 && group[0]?.targetRef ? `Fix or remove the $ref "${group[0].targetRef}".` : 'Fix each $ref so it points at an existing file and JSON pointer.',
      ...(group.length > 1 ? { details: located.map((l) => `${formatLocation(l.location)}\n  ${l.message}`) } : {}),
      cause: error,
    });
  }
}

async function locate(problem: RefParserError, source: string): Promise<{ message: string; location: ErrorLocation }> {
  const file = problem.source ?? source;
  const pointer = problem.path ? toPointer(problem.path) : undefined;
  const line = pointer !== undefined && !isUrl(file) ? await lineIn(file, pointer) : undefined;
  return {
    message: cleanMessage(problem.message ?? 'unresolvable $ref'),
    location: { file, ...(pointer !== undefined ? { pointer } : {}), ...(line !== undefined ? { line } : {}) },
  };
}

async function lineIn(file: string, pointer: string): Promise<number | undefined> {
  try {
    return lineOfPointer(await readFile(file, 'utf8'), pointer);
  } catch {
    return undefined;
  }
}

function cleanMessage(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
