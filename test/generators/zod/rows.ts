import { COMPOSITION_ROWS } from './rows-composition.js';
import { INSTANCE_TYPE_ROWS } from './rows-instance-types.js';
import { KEYWORD_ROWS } from './rows-keywords.js';
import type { Row } from './row-kit.js';

export type { Row } from './row-kit.js';

export const ROWS: Row[] = [...KEYWORD_ROWS, ...INSTANCE_TYPE_ROWS, ...COMPOSITION_ROWS];

/** All rows of one version as one document (names are unique per version; a clash is a mistake in the table). */
export function rowsDocument(version: Row['version'], rows: readonly Row[] = ROWS): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (const row of rows.filter((r) => r.version === version)) {
    for (const [key, value] of Object.entries(row.schemas ?? {})) {
      if (key in schemas) throw new Error(`Schema ${key} is declared by two rows`);
      schemas[key] = value;
    }
    Object.assign(paths, row.paths ?? {});
  }
  return { openapi: version === '3.0' ? '3.0.3' : '3.1.0', info: { title: `zod translation ${version}`, version: '1' }, paths, components: { schemas } };
}
