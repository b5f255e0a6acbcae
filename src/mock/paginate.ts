import type { IrPagination } from '../ir/types.js';
import type { Item } from './stateful.js';

/**
 * One page of a stateful collection, cut in the contract's own pagination style (decided in the IR), so the
 * generated client's `paginate()` can walk the mock end to end. Opaque cursors are the next offset, prefixed.
 */

export interface MockPage {
  items: Item[];
  hasMore: boolean;
  /** The value of the next-cursor field (cursor style with a response field); undefined at the end. */
  nextCursor: string | undefined;
  /** Query of the next page, for a `Link: rel="next"` header; undefined at the end. */
  nextQuery: Record<string, string> | undefined;
}

const DEFAULT_LIMIT = 20;
const CURSOR_PREFIX = 'c_';

function integer(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : undefined;
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

function startOf(p: IrPagination, all: readonly Item[], query: Record<string, unknown>, limit: number): number {
  if (p.style === 'offset' && p.offsetParam) return Math.max(0, integer(query[p.offsetParam]) ?? 0);
  if (p.style === 'page' && p.pageParam) return Math.max(0, ((integer(query[p.pageParam]) ?? p.firstPage ?? 1) - (p.firstPage ?? 1)) * limit);
  const cursor = p.cursorParam ? query[p.cursorParam] : undefined;
  if (cursor === undefined || cursor === null || cursor === '') return 0;
  if (p.nextCursor?.from === 'last-item') {
    const field = p.nextCursor.field;
    const index = all.findIndex((item) => String(item[field]) === String(cursor));
    // An id that is not (or no longer) in the collection: nothing comes after it.
    return index < 0 ? all.length : index + 1;
  }
  const text = String(cursor);
  return text.startsWith(CURSOR_PREFIX) ? Math.max(0, integer(text.slice(CURSOR_PREFIX.length)) ?? all.length) : all.length;
}

export function pageOf(p: IrPagination, all: readonly Item[], query: Record<string, unknown>): MockPage {
  const limit = Math.max(1, (p.limitParam ? integer(query[p.limitParam]) : undefined) ?? DEFAULT_LIMIT);
  const start = startOf(p, all, query, limit);
  const items = all.slice(start, start + limit);
  const end = start + items.length;
  const hasMore = end < all.length;
  const nextCursor = hasMore && p.style === 'cursor' && p.nextCursor?.from === 'field' ? `${CURSOR_PREFIX}${end}` : undefined;
  let nextQuery: Record<string, string> | undefined;
  if (hasMore) {
    nextQuery = {};
    for (const [key, value] of Object.entries(query)) if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') nextQuery[key] = String(value);
    if (p.limitParam) nextQuery[p.limitParam] = String(limit);
    if (p.style === 'offset' && p.offsetParam) nextQuery[p.offsetParam] = String(end);
    else if (p.style === 'page' && p.pageParam) nextQuery[p.pageParam] = String((integer(query[p.pageParam]) ?? p.firstPage ?? 1) + 1);
    else if (p.cursorParam) {
      const last = items[items.length - 1];
      nextQuery[p.cursorParam] = nextCursor ?? String(p.nextCursor?.from === 'last-item' && last ? last[p.nextCursor.field] : end);
    }
  }
  return { items, hasMore, nextCursor, nextQuery };
}

/** `Link` header value for the next page (RFC 8288). */
export function linkHeader(path: string, nextQuery: Record<string, string>): string {
  return `<${path}?${new URLSearchParams(nextQuery).toString()}>; rel="next"`;
}
