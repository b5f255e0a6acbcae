import { ConcordError } from '../../errors.js';
import type { IrPagination, JsonPointer } from '../types.js';

/**
 * The declared form of pagination, shared by `x-pagination` on an operation and the config file's `pagination`
 * map. Paths are dotted (`meta.next_cursor`); `items: ''` means the body is the array; `nextCursor: '$last.id'`
 * takes the cursor from the page's last item.
 *
 * Checked by hand from one field table, not with zod: the IR builder is on the path of every command, and loading
 * zod for a keyword most contracts never use cost `concord diff` 55 ms of its start-up. The config file's zod
 * schema is built from the same table (config/schema.ts).
 */
export interface PaginationOverride {
  style: 'cursor' | 'offset' | 'page';
  items?: string;
  cursor?: string;
  nextCursor?: string;
  hasMore?: string;
  offset?: string;
  limit?: string;
  page?: string;
  firstPage?: number;
  linkHeader?: boolean;
}

export type PaginationConfig = Record<string, PaginationOverride | false>;

/** What each field of an override holds: one of the styles, a string (`nonEmpty`: at least one character), an integer, a boolean. */
export type PaginationFieldKind = 'style' | 'string' | 'nonEmpty' | 'integer' | 'boolean';
export const PAGINATION_STYLES = ['cursor', 'offset', 'page'] as const;
export const PAGINATION_FIELDS: Readonly<Record<keyof PaginationOverride, PaginationFieldKind>> = {
  style: 'style',
  items: 'string',
  cursor: 'nonEmpty',
  nextCursor: 'nonEmpty',
  hasMore: 'nonEmpty',
  offset: 'nonEmpty',
  limit: 'nonEmpty',
  page: 'nonEmpty',
  firstPage: 'integer',
  linkHeader: 'boolean',
};

const EXPECTED = 'Expected { style: cursor|offset|page, items?, cursor?, nextCursor?, hasMore?, offset?, limit?, page?, firstPage?, linkHeader? } or false.';

const path = (dotted: string): string[] => (dotted === '' ? [] : dotted.split('.'));

/** The first problem with one field's value, or undefined. */
function fieldProblem(kind: PaginationFieldKind, value: unknown): string | undefined {
  switch (kind) {
    case 'style':
      return typeof value === 'string' && (PAGINATION_STYLES as readonly string[]).includes(value) ? undefined : `expected one of ${PAGINATION_STYLES.join('|')}`;
    case 'string':
      return typeof value === 'string' ? undefined : 'expected a string';
    case 'nonEmpty':
      return typeof value === 'string' && value.length > 0 ? undefined : 'expected a non-empty string';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'expected an integer';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected a boolean';
  }
}

/** Parses an override; `where` names the place for the error (a file + pointer, or a config key). */
export function parseOverride(raw: unknown, where: { file: string; pointer: JsonPointer } | { configKey: string }): PaginationOverride {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail(where, `value: expected an object. ${EXPECTED}`);
  const record = raw as Record<string, unknown>;
  const fields = PAGINATION_FIELDS as Readonly<Record<string, PaginationFieldKind>>;
  const unknown = Object.keys(record).find((key) => !Object.hasOwn(fields, key));
  if (unknown !== undefined) return fail(where, `${unknown}: unrecognized key. ${EXPECTED}`);
  for (const [key, kind] of Object.entries(fields)) {
    const value = record[key];
    if (value === undefined && key !== 'style') continue;
    const problem = fieldProblem(kind, value);
    if (problem !== undefined) return fail(where, `${key}: ${problem}. ${EXPECTED}`);
  }
  const o = record as unknown as PaginationOverride;
  const missing = o.style === 'cursor' ? (o.cursor === undefined ? 'cursor' : undefined) : o.style === 'offset' ? (o.offset === undefined ? 'offset' : undefined) : o.page === undefined ? 'page' : undefined;
  if (missing === undefined) return o;
  return fail(where, `style "${o.style}" needs \`${missing}\` (the query parameter that carries it).`);
}

function fail(where: { file: string; pointer: JsonPointer } | { configKey: string }, message: string): never {
  if ('configKey' in where) throw new ConcordError('CONFIG_INVALID', `pagination["${where.configKey}"]: ${message}`);
  throw new ConcordError('SPEC_INVALID', `x-pagination: ${message}`, { location: { file: where.file, pointer: where.pointer } });
}

/** The IR form of a declared pagination; `itemSchema` and defaults are filled in by the caller. */
export function overrideToIr(o: PaginationOverride, source: IrPagination['source']): Omit<IrPagination, 'itemSchema' | 'items'> & { items: string[] | undefined } {
  const out: Omit<IrPagination, 'itemSchema' | 'items'> & { items: string[] | undefined } = { style: o.style, source, items: o.items === undefined ? undefined : path(o.items), linkHeader: o.linkHeader ?? false };
  if (o.limit !== undefined) out.limitParam = o.limit;
  if (o.cursor !== undefined) out.cursorParam = o.cursor;
  if (o.nextCursor !== undefined) out.nextCursor = o.nextCursor.startsWith('$last.') ? { from: 'last-item', field: o.nextCursor.slice(6) } : { from: 'field', path: path(o.nextCursor) };
  if (o.hasMore !== undefined) out.hasMore = path(o.hasMore);
  if (o.offset !== undefined) out.offsetParam = o.offset;
  if (o.page !== undefined) out.pageParam = o.page;
  if (o.style === 'page') out.firstPage = o.firstPage ?? 1;
  return out;
}
