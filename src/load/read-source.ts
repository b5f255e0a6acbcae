import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConcordError } from '../errors.js';
import type { Diagnostic } from './diagnostics.js';

/**
 * Reading a root document and checking what it is, without the bundler or validator: `diff` loads with these and
 * its own linear bundler (src/diff/loader.ts), so it never pays for swagger-parser and ajv at startup.
 */

type OpenApiDocument = Record<string, unknown>;
const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

export async function readSource(source: string): Promise<string> {
  if (isUrl(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new ConcordError('SPEC_NOT_FOUND', `Could not fetch ${source}: ${error instanceof Error ? error.message : String(error)}`, { location: { file: source } });
    }
    if (!response.ok) {
      throw new ConcordError('SPEC_NOT_FOUND', `Fetching ${source} answered HTTP ${response.status}.`, { location: { file: source } });
    }
    return response.text();
  }
  if (!existsSync(source)) {
    throw new ConcordError('SPEC_NOT_FOUND', `No such file: ${source}`, { location: { file: source } });
  }
  if (statSync(source).isDirectory()) {
    throw new ConcordError('SPEC_NOT_FOUND', `${source} is a directory; pass the root OpenAPI document inside it.`, { location: { file: source } });
  }
  return readFile(source, 'utf8');
}

export function checkVersion(root: unknown, source: string): string {
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new ConcordError('SPEC_NOT_OPENAPI', 'The document is not a JSON/YAML object.', { location: { file: source, pointer: '' } });
  }
  const record = root as Record<string, unknown>;
  if (record['swagger'] !== undefined) {
    if (String(record['swagger']) === '2.0') return '2.0';
    throw new ConcordError('SPEC_UNSUPPORTED_VERSION', `Swagger version ${String(record['swagger'])} is not supported (2.0 is).`, {
      location: { file: source, pointer: '/swagger' },
    });
  }
  const version = record['openapi'];
  if (version === undefined) {
    throw new ConcordError('SPEC_NOT_OPENAPI', 'The document has no `openapi` or `swagger` field: it is not an OpenAPI document.', {
      location: { file: source, pointer: '' },
    });
  }
  const text = String(version);
  if (!/^3\.[0-2](\.\d+)?(-[\w.]+)?$/.test(text)) {
    throw new ConcordError('SPEC_UNSUPPORTED_VERSION', `OpenAPI version ${text} is not supported (3.0, 3.1 and 3.2 are).`, {
      location: { file: source, pointer: '/openapi' },
    });
  }
  return text;
}

/**
 * swagger-parser refuses documents that are usable: 3.1 documents with only components, patch versions it has not
 * heard of, numeric `info.version`. Normalise those (with a warning where the reader should know).
 */
export function normaliseForParser(root: OpenApiDocument, sourceVersion: string, source: string, diagnostics: Diagnostic[]): void {
  if (sourceVersion.startsWith('3.2')) {
    diagnostics.push({ level: 'warning', code: 'OPENAPI_32', message: 'OpenAPI 3.2 is read as 3.1: features new in 3.2 are ignored.', file: source, pointer: '/openapi' });
  }
  if (sourceVersion !== '2.0') {
    root['openapi'] = sourceVersion.startsWith('3.0') ? '3.0.3' : '3.1.0';
    if (root['paths'] === undefined) root['paths'] = {};
  }
  const info = root['info'];
  if (info !== null && typeof info === 'object' && typeof (info as Record<string, unknown>)['version'] === 'number') {
    (info as Record<string, unknown>)['version'] = String((info as Record<string, unknown>)['version']);
    diagnostics.push({ level: 'warning', code: 'INFO_VERSION_NUMBER', message: 'info.version should be a string; read as one.', file: source, pointer: '/info/version' });
  }
  if (info === undefined) root['info'] = { title: 'API', version: '0.0.0' };
}
