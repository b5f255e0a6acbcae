import { z } from 'zod';
import { ConcordError } from '../../errors.js';
import type { IrPagination, JsonPointer } from '../types.js';

/**
 * The declared form of pagination, shared by `x-pagination` on an operation and the config file's `pagination`
 * map. Paths are dotted (`meta.next_cursor`); `items: ''` means the body is the array; `nextCursor: '$last.id'`
 * takes the cursor from the page's last item.
 */
export const paginationOverrideSchema = z.strictObject({
  style: z.enum(['cursor', 'offset', 'page']),
  items: z.string().optional(),
  cursor: z.string().min(1).optional(),
  nextCursor: z.string().min(1).optional(),
  hasMore: z.string().min(1).optional(),
  offset: z.string().min(1).optional(),
  limit: z.string().min(1).optional(),
  page: z.string().min(1).optional(),
  firstPage: z.number().int().optional(),
  linkHeader: z.boolean().optional(),
});

export type PaginationOverride = z.infer<typeof paginationOverrideSchema>;

export const paginationConfigSchema = z.record(z.string(), z.union([paginationOverrideSchema, z.literal(false)]));
export type PaginationConfig = z.infer<typeof paginationConfigSchema>;

const path = (dotted: string): string[] => (dotted === '' ? [] : dotted.split('.'));

/** Parses an override; `where` names the place for the error (a file + pointer, or a config key). */
export function parseOverride(raw: unknown, where: { file: string; pointer: JsonPointer } | { configKey: string }): PaginationOverride {
  const parsed = paginationOverrideSchema.safeParse(raw);
  if (parsed.success) {
    const o = parsed.data;
    const missing = o.style === 'cursor' ? (o.cursor === undefined ? 'cursor' : undefined) : o.style === 'offset' ? (o.offset === undefined ? 'offset' : undefined) : o.page === undefined ? 'page' : undefined;
    if (missing === undefined) return o;
    return fail(where, `style "${o.style}" needs \`${missing}\` (the query parameter that carries it).`);
  }
  const issue = parsed.error.issues[0];
  return fail(where, `${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}. Expected { style: cursor|offset|page, items?, cursor?, nextCursor?, hasMore?, offset?, limit?, page?, firstPage?, linkHeader? } or false.`);
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
