import type { IrNamedSchema, IrOperation, IrPagination, IrProperty, IrSchema } from '../types.js';
import { isObject, resolvePointer, type BuildContext } from './context.js';
import { overrideToIr, parseOverride, type PaginationConfig, type PaginationOverride } from './pagination-override.js';

/**
 * Which list operations paginate, and how. Detection reads names only (query parameters, response properties,
 * a `Link` response header); an operation's `x-pagination` (or `false`) overrides it, and the config file's
 * `pagination` map overrides both. Decided once here so the client's `paginate()` and the stateful mock agree.
 */

const CURSOR_PARAMS = ['starting_after', 'cursor', 'page_token', 'pagetoken', 'next_token', 'nexttoken', 'continuation_token', 'continuationtoken', 'continue', 'marker', 'after', 'start_cursor', 'pagination_token'];
const NEXT_FIELDS = ['next_cursor', 'next_page', 'nextcursor', 'next_page_token', 'nextpagetoken', 'next_token', 'nexttoken', 'continuation_token', 'continuationtoken', 'next_marker', 'nextmarker', 'continue', 'cursor'];
const HAS_MORE_FIELDS = ['has_more', 'hasmore', 'has_next', 'hasnext', 'has_next_page', 'hasnextpage', 'more'];
/** Cursor parameters that mean "after this item": without a next-cursor field, the last item's id is the cursor. */
const AFTER_ITEM_PARAMS = new Set(['starting_after', 'after']);
const OFFSET_PARAMS = ['offset', 'skip', 'start'];
const PAGE_PARAMS = ['page', 'page_number', 'pagenumber', 'pageno', 'page_index'];
const LIMIT_PARAMS = ['limit', 'per_page', 'perpage', 'page_size', 'pagesize', 'max_results', 'maxresults', 'count', 'size', 'top', '$top', 'max'];
const ITEM_FIELDS = ['data', 'items', 'results', 'entries', 'records', 'values', 'list', 'elements', 'nodes'];

const normal = (name: string): string => name.toLowerCase().replace(/-/g, '_');

export class SchemaLookup {
  private readonly byName: Map<string, IrNamedSchema>;
  constructor(schemas: readonly IrNamedSchema[]) {
    this.byName = new Map(schemas.map((s) => [s.name, s]));
  }
  resolve(schema: IrSchema, depth = 0): IrSchema {
    if (schema.kind !== 'ref' || depth > 16) return schema;
    const target = this.byName.get(schema.name);
    return target ? this.resolve(target.schema, depth + 1) : schema;
  }
  /** Properties of an object, an allOf of objects, or (first member of) a union. */
  properties(schema: IrSchema, depth = 0): IrProperty[] {
    const s = this.resolve(schema);
    if (depth > 8) return [];
    if (s.kind === 'object') return s.properties;
    if (s.kind === 'intersection') return s.members.flatMap((m) => this.properties(m, depth + 1));
    if (s.kind === 'union' && s.members.length === 1 && s.members[0]) return this.properties(s.members[0], depth + 1);
    return [];
  }
  /** The schema at a property path, or undefined. */
  at(schema: IrSchema, path: readonly string[]): IrSchema | undefined {
    let current: IrSchema | undefined = schema;
    for (const key of path) current = current === undefined ? undefined : this.properties(current).find((p) => p.name === key)?.schema;
    return current;
  }
}

function successBody(op: IrOperation): { schema: IrSchema; headers: string[] } | undefined {
  for (const response of op.responses) {
    if (!/^2(\d\d|XX)$/.test(response.status)) continue;
    const media = response.content.find((m) => m.encoding === 'json' && !m.streaming);
    if (media) return { schema: media.schema, headers: response.headers.map((h) => h.name.toLowerCase()) };
  }
  return undefined;
}

/** A named field among the properties, searched at the root, then one object level down. */
function findField(lookup: SchemaLookup, schema: IrSchema, names: readonly string[], kinds: ReadonlySet<string>): string[] | undefined {
  const fits = (p: IrProperty): boolean => kinds.has(lookup.resolve(p.schema).kind);
  const root = lookup.properties(schema);
  for (const name of names) {
    const hit = root.find((p) => normal(p.name) === name && fits(p));
    if (hit) return [hit.name];
  }
  for (const parent of root) {
    const nested = lookup.properties(parent.schema);
    for (const name of names) {
      const hit = nested.find((p) => normal(p.name) === name && fits(p));
      if (hit) return [parent.name, hit.name];
    }
  }
  return undefined;
}

function itemsOf(lookup: SchemaLookup, body: IrSchema): { items: string[]; itemSchema: IrSchema } | undefined {
  const resolved = lookup.resolve(body);
  if (resolved.kind === 'array') return { items: [], itemSchema: resolved.items };
  const arrays = lookup.properties(body).filter((p) => lookup.resolve(p.schema).kind === 'array');
  const chosen = arrays.length === 1 ? arrays[0] : arrays.find((p) => ITEM_FIELDS.includes(normal(p.name)));
  const schema = chosen ? lookup.resolve(chosen.schema) : undefined;
  return chosen && schema?.kind === 'array' ? { items: [chosen.name], itemSchema: schema.items } : undefined;
}

const STRING = new Set(['string']);
const BOOLEAN = new Set(['boolean']);

export function detectPagination(lookup: SchemaLookup, op: IrOperation): IrPagination | undefined {
  if (op.method !== 'get' && op.method !== 'query') return undefined;
  const query = new Map(op.parameters.filter((p) => p.in === 'query').map((p) => [normal(p.name), p]));
  const param = (names: readonly string[]): string | undefined => names.map((n) => query.get(n)?.name).find((n) => n !== undefined);
  // Every style needs a query parameter by name: without one, the response body need not be searched.
  if (param(CURSOR_PARAMS) === undefined && param(PAGE_PARAMS) === undefined && (param(OFFSET_PARAMS) === undefined || param(LIMIT_PARAMS) === undefined)) return undefined;
  const body = successBody(op);
  if (!body) return undefined;
  const found = itemsOf(lookup, body.schema);
  if (!found) return undefined;
  const limitParam = param(LIMIT_PARAMS);
  const linkHeader = body.headers.includes('link');
  const base = { source: 'detected' as const, ...found, linkHeader, ...(limitParam ? { limitParam } : {}) };
  const hasMore = findField(lookup, body.schema, HAS_MORE_FIELDS, BOOLEAN);
  // A string-typed `page` parameter is an opaque cursor (OpenAI's usage endpoints: `page` + `next_page`).
  const stringPage = PAGE_PARAMS.map((n) => query.get(n)).find((p) => p !== undefined && lookup.resolve(p.schema).kind === 'string');
  const cursorParam = param(CURSOR_PARAMS) ?? stringPage?.name;
  if (cursorParam !== undefined) {
    const next = findField(lookup, body.schema, [`next_${normal(cursorParam)}`, ...NEXT_FIELDS], STRING);
    const itemHasId = lookup.properties(found.itemSchema).some((p) => p.name === 'id');
    const nextCursor: IrPagination['nextCursor'] | undefined = next ? { from: 'field', path: next } : AFTER_ITEM_PARAMS.has(normal(cursorParam)) && itemHasId ? { from: 'last-item', field: 'id' } : undefined;
    if (nextCursor) return { style: 'cursor', ...base, cursorParam, nextCursor, ...(hasMore ? { hasMore } : {}) };
  }
  const offsetParam = param(OFFSET_PARAMS);
  if (offsetParam !== undefined && limitParam !== undefined) return { style: 'offset', ...base, offsetParam, ...(hasMore ? { hasMore } : {}) };
  const pageParam = param(PAGE_PARAMS);
  if (pageParam !== undefined) {
    const schema = lookup.resolve(query.get(normal(pageParam))?.schema ?? { kind: 'any', pointer: '' });
    const declared = typeof schema.default === 'number' ? schema.default : schema.kind === 'integer' || schema.kind === 'number' ? schema.minimum : undefined;
    return { style: 'page', ...base, pageParam, firstPage: declared === 0 ? 0 : 1, ...(hasMore ? { hasMore } : {}) };
  }
  return undefined;
}

function configEntry(config: PaginationConfig | undefined, op: IrOperation): [string, PaginationOverride | false] | undefined {
  if (!config) return undefined;
  for (const key of [op.name, op.operationId, `${op.method.toUpperCase()} ${op.path}`]) {
    if (key !== undefined && Object.hasOwn(config, key)) return [key, config[key] as PaginationOverride | false];
  }
  return undefined;
}

function declared(lookup: SchemaLookup, op: IrOperation, override: PaginationOverride, source: IrPagination['source']): IrPagination | undefined {
  const ir = overrideToIr(override, source);
  const body = successBody(op);
  if (!body) return undefined;
  const detected = itemsOf(lookup, body.schema);
  const items = ir.items ?? detected?.items;
  if (items === undefined) return undefined;
  const holder = lookup.at(body.schema, items);
  const resolved = holder ? lookup.resolve(holder) : undefined;
  const itemSchema: IrSchema = resolved?.kind === 'array' ? resolved.items : { kind: 'any', pointer: op.pointer };
  return { ...ir, items, itemSchema, linkHeader: override.linkHeader ?? body.headers.includes('link') };
}

/** Sets `pagination` on every operation that paginates. */
export function decidePagination(ctx: BuildContext, operations: readonly IrOperation[], schemas: readonly IrNamedSchema[], config: PaginationConfig | undefined): void {
  const lookup = new SchemaLookup(schemas);
  for (const op of operations) {
    const fromConfig = configEntry(config, op);
    let decision: IrPagination | undefined;
    if (fromConfig) {
      decision = fromConfig[1] === false ? undefined : declared(lookup, op, parseOverride(fromConfig[1], { configKey: fromConfig[0] }), 'config');
    } else {
      const raw = resolvePointer(ctx.doc, op.pointer);
      const extension = isObject(raw) ? raw['x-pagination'] : undefined;
      if (extension === false) continue;
      decision = extension === undefined ? detectPagination(lookup, op) : declared(lookup, op, parseOverride(extension, { file: ctx.file, pointer: `${op.pointer}/x-pagination` }), 'x-pagination');
    }
    if (decision) op.pagination = decision;
  }
}
