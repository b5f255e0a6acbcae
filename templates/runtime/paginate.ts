/**
 * Walking a paginated list operation: `pages()` yields each page, `paginate()` each item, in the contract's style
 * (cursor, offset/limit, page/per_page, following `Link: rel="next"` when the response has one). The style was
 * decided by the generator; this module only follows it. A failed page throws `ApiError`; a server that hands back
 * the same cursor twice throws instead of looping forever.
 */
import { ApiError } from './errors.js';

export interface PaginationSpec {
  readonly style: 'cursor' | 'offset' | 'page';
  /** Property path to the page's items; empty when the body is the array. */
  readonly items: readonly string[];
  readonly limitParam?: string;
  readonly cursorParam?: string;
  readonly nextCursor?:
    | { readonly from: 'field'; readonly path: readonly string[] }
    | { readonly from: 'last-item'; readonly field: string };
  readonly hasMore?: readonly string[];
  readonly offsetParam?: string;
  readonly pageParam?: string;
  readonly firstPage?: number;
  readonly linkHeader: boolean;
}

export interface PageGuards {
  /** Stop after this many pages (default: no limit). */
  maxPages?: number;
  /** Stop after this many items (default: no limit). */
  maxItems?: number;
}

export interface Page<Item, Body> {
  items: Item[];
  /** The whole page body as the operation returned it. */
  data: Body;
  response: Response;
  /** 0 for the first page. */
  index: number;
}

/** The item type at a property path of a page body (distributes over unions; optional properties allowed). */
export type ItemsAt<D, P extends readonly string[]> = P extends readonly [
  infer H extends string,
  ...infer Rest extends string[],
]
  ? D extends object
    ? H extends keyof D
      ? ItemsAt<D[H], Rest>
      : never
    : never
  : D extends ReadonlyArray<infer I>
    ? I
    : never;

interface PageInput {
  query?: Record<string, unknown>;
}
type PageResult = { ok: boolean; status: number; data?: unknown; error?: unknown; response: Response };
type Call<I, O> = (input: I, options?: O) => Promise<PageResult>;

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The `rel="next"` target of an RFC 8288 Link header. */
export function nextLink(header: string | null): string | undefined {
  if (header === null) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

const NUMERIC = /^-?\d+$/;

/** The next page's query, or undefined at the end. */
function nextQuery(
  spec: PaginationSpec,
  query: Record<string, unknown>,
  body: unknown,
  items: readonly unknown[],
  response: Response,
): Record<string, unknown> | undefined {
  if (spec.linkHeader) {
    const header = response.headers.get('link');
    const link = nextLink(header);
    if (link !== undefined) {
      const next = { ...query };
      const numeric = new Set([spec.pageParam, spec.offsetParam, spec.limitParam]);
      new URL(link, 'http://link.invalid').searchParams.forEach((value, key) => {
        next[key] = numeric.has(key) && NUMERIC.test(value) ? Number(value) : value;
      });
      return next;
    }
    // The server paginates with Link headers and named no next page: this was the last one.
    if (header !== null) return undefined;
  }
  if (items.length === 0) return undefined;
  if (spec.hasMore !== undefined && at(body, spec.hasMore) === false) return undefined;
  if (spec.style === 'cursor' && spec.cursorParam !== undefined && spec.nextCursor !== undefined) {
    const cursor =
      spec.nextCursor.from === 'field'
        ? at(body, spec.nextCursor.path)
        : at(items[items.length - 1], [spec.nextCursor.field]);
    if (cursor === undefined || cursor === null || cursor === '') return undefined;
    return { ...query, [spec.cursorParam]: cursor };
  }
  if (spec.style === 'offset' && spec.offsetParam !== undefined) {
    const offset = Number(query[spec.offsetParam] ?? 0);
    return { ...query, [spec.offsetParam]: (Number.isFinite(offset) ? offset : 0) + items.length };
  }
  if (spec.style === 'page' && spec.pageParam !== undefined) {
    const page = Number(query[spec.pageParam] ?? spec.firstPage ?? 1);
    return { ...query, [spec.pageParam]: (Number.isFinite(page) ? page : 1) + 1 };
  }
  return undefined;
}

export async function* pages<I extends PageInput, O, Item, Body>(
  operationId: string,
  call: Call<I, O>,
  spec: PaginationSpec,
  input: I,
  options: (O & PageGuards) | undefined,
): AsyncGenerator<Page<Item, Body>, void, undefined> {
  const maxPages = options?.maxPages ?? Infinity;
  let query: Record<string, unknown> = { ...(input.query ?? {}) };
  const seen = new Set<string>();
  for (let index = 0; index < maxPages; index++) {
    const result = await call({ ...input, query }, options);
    if (!result.ok) throw new ApiError(operationId, result.status, result.error, result.response);
    const found = at(result.data, spec.items);
    const items = Array.isArray(found) ? (found as Item[]) : [];
    yield { items, data: result.data as Body, response: result.response, index };
    const next = nextQuery(spec, query, result.data, items, result.response);
    if (next === undefined) return;
    const key = JSON.stringify(next);
    if (seen.has(key))
      throw new Error(
        `${operationId}: the server returned the same next page twice (${key}); stopping instead of looping`,
      );
    seen.add(key);
    query = next;
  }
}

export async function* paginate<I extends PageInput, O, Item, Body>(
  operationId: string,
  call: Call<I, O>,
  spec: PaginationSpec,
  input: I,
  options: (O & PageGuards) | undefined,
): AsyncGenerator<Item, void, undefined> {
  const maxItems = options?.maxItems ?? Infinity;
  let count = 0;
  if (count >= maxItems) return;
  for await (const page of pages<I, O, Item, Body>(operationId, call, spec, input, options)) {
    for (const item of page.items) {
      yield item;
      if (++count >= maxItems) return;
    }
  }
}
