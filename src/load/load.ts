import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ConcordError, formatLocation, type ErrorLocation } from '../errors.js';
import { lineOfPointer, parseText, toPointer } from './parse.js';
import { protectRefs, unshieldDataRefs } from './protect-refs.js';
import { upgradeSwagger2 } from './upgrade-swagger2.js';
import { validateStructure } from './validate.js';
import { withoutOpenApi32 } from './openapi-32.js';
import { brokenRefs, contractError, repairAndCheck, type ProblemGroup } from './contract-check.js';
import type { ContractOverrides } from './overrides.js';
import { normaliseBundle } from './normalise-bundle.js';
import { onlyPlainInternalRefs } from './internal-refs.js';
import { checkVersion, normaliseForParser, readSource } from './read-source.js';

export { checkVersion, normaliseForParser, readSource } from './read-source.js';
import { stableStringify } from './stable-stringify.js';
import type { Diagnostic } from './diagnostics.js';
import { profileEnabled, profiled } from '../util/profile.js';
import { validateInBackground } from './validate-background.js';

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
  /**
   * With `validateInBackground`: the structural validation still running. Its warnings join `diagnostics` where
   * an inline validation would have put them once `done` resolves; `cancel` stops it when nobody will read them.
   */
  pendingValidation?: { done: Promise<void>; cancel(): void };
}

export interface LoadOptions {
  cwd?: string;
  /** Run full structural validation (reported as warnings). Default true. */
  validate?: boolean;
  /** Repairs for a contract the user cannot edit (config `overrides`), applied before the contract check. */
  overrides?: ContractOverrides;
  /** Validate in a worker thread while the caller goes on (see `LoadedSpec.pendingValidation`). */
  validateInBackground?: boolean;
}

const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

export async function loadSpec(input: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  const source = isUrl(input) ? input : path.resolve(options.cwd ?? process.cwd(), input);
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  const rootText = await profiled('load: read', () => readSource(source));
  const root = profiled('load: parse', () => parseText(rootText, source));
  const sourceVersion = checkVersion(root, source);
  const rootDoc = root as OpenApiDocument;
  // Root faults are reported together with those in other files (found while bundling): every one in one run.
  const rootFaults = profiled('load: contract check', () => repairAndCheck(rootDoc, sourceVersion, { file: source, text: rootText, ...(options.overrides ? { overrides: options.overrides } : {}) }));
  profiled('load: protect refs', () => {
    protectRefs(rootDoc, source, diagnostics);
    normaliseForParser(rootDoc, sourceVersion, source, diagnostics);
  });
  if (!isUrl(source)) files.push(source);

  const bundled = await profiled('load: bundle', () => bundle(source, rootDoc, diagnostics, files, rootFaults));
  let document = bundled;
  if (sourceVersion === '2.0') {
    const upgraded = profiled('load: upgrade 2.0', () => upgradeSwagger2(bundled, { file: source }));
    document = upgraded.document;
    for (const warning of upgraded.warnings) {
      diagnostics.push({ level: 'warning', code: 'SWAGGER2_UPGRADE', message: warning.message, file: source, pointer: warning.pointer });
    }
  }
  profiled('load: normalise', () => normaliseBundle(document, source, diagnostics));
  const validated = sourceVersion.startsWith('3.2') ? withoutOpenApi32(document) : document;
  let pendingValidation: LoadedSpec['pendingValidation'];
  if (options.validate !== false && options.validateInBackground === true) {
    const at = diagnostics.length;
    const background = validateInBackground(validated, source);
    const done = background.done.then((found) => void diagnostics.splice(at, 0, ...found));
    pendingValidation = { done: profileEnabled() ? done.then(() => profiled('load: validate (joined)', () => undefined)) : done, cancel: background.cancel };
  } else if (options.validate !== false) {
    diagnostics.push(...(await profiled('load: validate', () => validateStructure(validated, source))));
  }
  const hash = profiled('load: hash', () => createHash('sha256').update(stableStringify(document)).digest('hex'));
  return { document, sourceVersion, source, files, diagnostics, hash, ...(pendingValidation ? { pendingValidation } : {}) };
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
  const options = {
    continueOnError: true,
    parse: { concord: parser },
    // The user chose the spec's location; a spec served from localhost or a private network must resolve its
    // relative refs there too (the resolver refuses such URLs by default).
    resolve: { http: { safeUrlResolver: false } },
  };
  try {
    // `parse` alone still applies the parser's own checks (and resolves relative servers of a URL's spec).
    const result = onlyPlainInternalRefs(root) ? await SwaggerParser.parse(source, root as never, options as never) : await SwaggerParser.bundle(source, root as never, options as never);
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
