import path from 'node:path';
import type { ContractOverrides } from '../../src/load/overrides.js';

/**
 * The shared corpus holds vendor contracts with faults concord refuses (SPEC_CONTRACT). A user cannot edit those
 * either: these are the config `overrides` the error message prints for them, so the corpus tests exercise the
 * repair path a user would take. Keyed by the path relative to ../shared/specs.
 */
const HEYAPI_TEMPLATE = { '*': { 'api-version': 'api-version' } };

export const CORPUS_OVERRIDES: Record<string, ContractOverrides> = {
  'edge/heyapi-full-2.0/full.yaml': {
    pathParameters: HEYAPI_TEMPLATE,
    patch: { '/paths/~1api~1v{api-version}~1types/get/parameters/6': null },
  },
  'edge/heyapi-full-3.0/full.yaml': {
    pathParameters: HEYAPI_TEMPLATE,
    patch: { '/paths/~1api~1v{api-version}~1simple:operation/get/parameters/0': null, '/paths/~1api~1v{api-version}~1types/get/parameters/7': null },
  },
  'edge/heyapi-full-3.1/full.yaml': {
    pathParameters: HEYAPI_TEMPLATE,
    patch: { '/paths/~1api~1v{api-version}~1simple:operation/get/parameters/0': null, '/paths/~1api~1v{api-version}~1types/get/parameters/7': null },
  },
};

/** The overrides for a document given by its absolute (or cwd-relative) path; undefined outside the corpus. */
export function corpusOverridesFor(file: string): ContractOverrides | undefined {
  const shared = path.resolve(import.meta.dirname, '../../../shared/specs');
  return CORPUS_OVERRIDES[path.relative(shared, path.resolve(file)).split(path.sep).join('/')];
}
