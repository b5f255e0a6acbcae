import type { IrDocument, IrOperation, IrProperty, IrSchema } from '../ir/types.js';
import type { SchemaResolver } from './schema-resolver.js';
import { safeDecode, splitPath } from './routes.js';
import { pageOf, type MockPage } from './paginate.js';

/**
 * Stateful mode: collections and items inferred from paths (`/pets` + `/pets/{petId}`), data per server
 * instance. POST creates (the id comes from the id property's schema), GET reads and lists, PUT replaces (or
 * creates), PATCH merges (RFC 7396), DELETE removes. Collections start with the contract's examples.
 */

export type CrudRole = 'list' | 'create' | 'read' | 'replace' | 'update' | 'delete';

export interface Collection {
  template: string;
  itemTemplate: string | undefined;
  operations: Partial<Record<CrudRole, IrOperation>>;
  idProperty: string | undefined;
  idSchema: IrSchema | undefined;
  /** Properties the server owns (readOnly): a replacement keeps them. */
  readOnly: string[];
}

export type Item = Record<string, unknown>;

export type StatefulResult =
  | { kind: 'item'; value: Item; created: boolean; location: string | undefined }
  | { kind: 'list'; items: Item[]; page?: MockPage }
  | { kind: 'deleted' }
  | { kind: 'not-found'; id: string }
  | { kind: 'skip' };

export interface StatefulHelpers {
  /** Items to start a collection with, from the contract's examples. */
  seedItems(collection: Collection): unknown[];
  /** A valid generated object a created item is laid over, so fields the client did not send are still there. */
  baseItem(collection: Collection, n: number): Item | undefined;
  /** A fresh id for schemas with a format or pattern. */
  fakeId(schema: IrSchema, n: number): unknown;
}

/** Distinct collection instances (`/owners/1/pets`, `/owners/2/pets`, ...) kept at once. */
const MAX_COLLECTIONS = 10_000;

/** What a long-running mock keeps, over all collections: the oldest items are evicted first, with a log line. */
export interface StatefulLimits {
  /** Most items kept (default 10,000). */
  maxItems?: number;
  /** Most bytes of items kept, measured as JSON (default 32 MiB). */
  maxBytes?: number;
  onLog?: (line: string) => void;
}

const DEFAULT_MAX_ITEMS = 10_000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

function isItem(value: unknown): value is Item {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function setOwn(target: Item, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** RFC 7396 JSON merge patch; returns a new value and never walks into prototype keys. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isItem(patch)) return patch;
  const out: Item = isItem(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__') continue;
    if (value === null) delete out[key];
    else setOwn(out, key, mergePatch(out[key], value));
  }
  return out;
}

export class StatefulStore {
  private readonly roles = new Map<IrOperation, { role: CrudRole; collection: Collection }>();
  private readonly data = new Map<string, Map<string, Item>>();
  private readonly counters = new Map<string, number>();
  /** Every stored item, oldest first: `collection key \0 id` -> its size in bytes. */
  private readonly sizes = new Map<string, number>();
  private bytes = 0;
  private readonly maxItems: number;
  private readonly maxBytes: number;

  constructor(
    ir: IrDocument,
    private readonly resolver: SchemaResolver,
    private readonly helpers: StatefulHelpers,
    private readonly limits: StatefulLimits = {},
  ) {
    this.maxItems = Math.max(1, limits.maxItems ?? DEFAULT_MAX_ITEMS);
    this.maxBytes = Math.max(1, limits.maxBytes ?? DEFAULT_MAX_BYTES);
    const byPath = new Map<string, IrOperation[]>();
    for (const op of ir.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
    const collections = new Map<string, Collection>();
    const collectionFor = (template: string): Collection => {
      let found = collections.get(template);
      if (!found) {
        found = { template, itemTemplate: undefined, operations: {}, idProperty: undefined, idSchema: undefined, readOnly: [] };
        collections.set(template, found);
      }
      return found;
    };
    for (const [path, ops] of byPath) {
      const segments = splitPath(path);
      const last = segments[segments.length - 1];
      if (segments.length < 2 || last === undefined || !/^\{[^{}]+\}$/.test(last)) continue;
      const collection = collectionFor(`/${segments.slice(0, -1).join('/')}`);
      collection.itemTemplate = path;
      for (const op of ops) {
        const role = ({ get: 'read', put: 'replace', patch: 'update', delete: 'delete' } as const)[op.method as 'get' | 'put' | 'patch' | 'delete'];
        if (role) collection.operations[role] = op;
      }
    }
    for (const [path, ops] of byPath) {
      const get = ops.find((o) => o.method === 'get');
      const post = ops.find((o) => o.method === 'post');
      if (!collections.has(path) && !(get && post)) continue;
      const collection = collectionFor(path);
      if (get) collection.operations.list = get;
      if (post) collection.operations.create = post;
    }
    for (const collection of collections.values()) {
      this.findId(collection);
      for (const [role, op] of Object.entries(collection.operations)) this.roles.set(op, { role: role as CrudRole, collection });
    }
  }

  roleOf(operation: IrOperation): { role: CrudRole; collection: Collection } | undefined {
    return this.roles.get(operation);
  }

  private properties(schema: IrSchema | undefined, depth = 0): IrProperty[] {
    if (schema === undefined || depth > 8) return [];
    const s = this.resolver.resolve(schema);
    if (s.kind === 'object') return s.properties;
    if (s.kind === 'intersection') return s.members.flatMap((m) => this.properties(m, depth + 1));
    if (s.kind === 'union') return this.properties(s.members[0], depth + 1);
    return [];
  }

  private itemSchema(collection: Collection): IrSchema | undefined {
    const jsonSchema = (op: IrOperation | undefined): IrSchema | undefined =>
      op?.responses.find((r) => r.status.startsWith('2'))?.content.find((m) => m.encoding === 'json')?.schema;
    const read = jsonSchema(collection.operations.read);
    if (read) return read;
    const body = collection.operations.create?.requestBody?.content.find((m) => m.encoding === 'json')?.schema;
    if (body) return body;
    const list = jsonSchema(collection.operations.list);
    const resolved = list ? this.resolver.resolve(list) : undefined;
    return resolved?.kind === 'array' ? resolved.items : undefined;
  }

  private findId(collection: Collection): void {
    const properties = this.properties(this.itemSchema(collection));
    collection.readOnly = properties.filter((p) => p.schema.readOnly === true || (p.schema.kind === 'ref' && this.resolver.resolve(p.schema).readOnly === true)).map((p) => p.name);
    const param = collection.itemTemplate ? /\{([^{}]+)\}$/.exec(collection.itemTemplate)?.[1] : undefined;
    const noun = (collection.template.split('/').pop() ?? '').replace(/s$/, '');
    const candidates = [param, 'id', `${noun}Id`, `${noun}_id`, 'uuid', 'key'].filter((c): c is string => c !== undefined);
    for (const candidate of candidates) {
      const property = properties.find((p) => p.name === candidate);
      if (property) {
        collection.idProperty = property.name;
        collection.idSchema = property.schema;
        return;
      }
    }
  }

  private items(key: string, collection: Collection): Map<string, Item> {
    let items = this.data.get(key);
    if (items) return items;
    items = new Map();
    if (this.data.size >= MAX_COLLECTIONS) {
      const oldest = this.data.keys().next();
      if (oldest.done !== true) {
        for (const id of this.data.get(oldest.value)?.keys() ?? []) this.untrack(oldest.value, id);
        this.data.delete(oldest.value);
      }
    }
    this.data.set(key, items);
    for (const seed of this.helpers.seedItems(collection)) {
      if (!isItem(seed)) continue;
      const item = structuredClone(seed);
      const existing = collection.idProperty ? item[collection.idProperty] : undefined;
      const id = typeof existing === 'string' || typeof existing === 'number' ? existing : this.newId(key, collection, items);
      if (collection.idProperty) setOwn(item, collection.idProperty, id);
      this.store(key, items, String(id), item);
    }
    return items;
  }

  private newId(key: string, collection: Collection, items: Map<string, Item>): string | number {
    const schema = collection.idSchema ? this.resolver.resolve(collection.idSchema) : undefined;
    for (let guard = 0; guard < 1000; guard++) {
      const n = (this.counters.get(key) ?? items.size) + 1;
      this.counters.set(key, n);
      let id: unknown = String(n);
      if (schema?.kind === 'integer' || schema?.kind === 'number') id = n;
      else if (schema?.kind === 'string' && (schema.format !== undefined || schema.pattern !== undefined)) id = this.helpers.fakeId(schema, n);
      if ((typeof id === 'string' || typeof id === 'number') && !items.has(String(id))) return id;
    }
    return `${Date.now()}`;
  }

  /** The id as the item stores it: a number for numeric id schemas. */
  private typedId(collection: Collection, text: string): string | number {
    const schema = collection.idSchema ? this.resolver.resolve(collection.idSchema) : undefined;
    return (schema?.kind === 'integer' || schema?.kind === 'number') && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }

  handle(operation: IrOperation, segments: readonly string[], body: unknown, query: Record<string, unknown>): StatefulResult {
    const found = this.roles.get(operation);
    if (!found) return { kind: 'skip' };
    const { role, collection } = found;
    const decoded = segments.map((s) => safeDecode(s) ?? s);
    const itemRole = role !== 'list' && role !== 'create';
    const key = `/${(itemRole ? decoded.slice(0, -1) : decoded).join('/')}`;
    const items = this.items(key, collection);
    const id = itemRole ? (decoded[decoded.length - 1] ?? '') : '';
    switch (role) {
      case 'list': {
        let list = [...items.values()];
        if (operation.pagination) {
          const page = pageOf(operation.pagination, list, query);
          return { kind: 'list', items: page.items, page };
        }
        const offset = query['offset'];
        const limit = query['limit'];
        if (typeof offset === 'number' && offset > 0) list = list.slice(offset);
        if (typeof limit === 'number' && limit >= 0) list = list.slice(0, limit);
        return { kind: 'list', items: list };
      }
      case 'create': {
        if (!isItem(body)) return { kind: 'skip' };
        // The server owns the id and readOnly fields: generated, never taken from the request.
        const newId = this.newId(key, collection, items);
        const item: Item = { ...(this.helpers.baseItem(collection, items.size + 1) ?? {}) };
        for (const [field, value] of Object.entries(body)) if (!serverOwned(collection, field)) setOwn(item, field, value);
        if (collection.idProperty) setOwn(item, collection.idProperty, newId);
        this.store(key, items, String(newId), item);
        return { kind: 'item', value: item, created: true, location: `${key}/${encodeURIComponent(String(newId))}` };
      }
      case 'read': {
        const item = items.get(id);
        return item ? { kind: 'item', value: item, created: false, location: undefined } : { kind: 'not-found', id };
      }
      case 'replace': {
        if (!isItem(body)) return { kind: 'skip' };
        const existing = items.get(id);
        const item: Item = {};
        const kept = existing ?? this.helpers.baseItem(collection, items.size + 1) ?? {};
        for (const name of collection.readOnly) if (Object.hasOwn(kept, name)) setOwn(item, name, kept[name]);
        for (const [field, value] of Object.entries(body)) if (!serverOwned(collection, field)) setOwn(item, field, value);
        if (collection.idProperty) setOwn(item, collection.idProperty, existing?.[collection.idProperty] ?? this.typedId(collection, id));
        this.store(key, items, id, item);
        return { kind: 'item', value: item, created: existing === undefined, location: undefined };
      }
      case 'update': {
        const existing = items.get(id);
        if (!existing) return { kind: 'not-found', id };
        const item = mergePatch(existing, body) as Item;
        for (const name of collection.readOnly) {
          if (Object.hasOwn(existing, name)) setOwn(item, name, existing[name]);
          else delete item[name];
        }
        if (collection.idProperty) setOwn(item, collection.idProperty, existing[collection.idProperty]);
        this.store(key, items, id, item);
        return { kind: 'item', value: item, created: false, location: undefined };
      }
      case 'delete':
        this.untrack(key, id);
        return items.delete(id) ? { kind: 'deleted' } : { kind: 'not-found', id };
    }
  }

  /** Bytes of items held, over all collections (JSON length). */
  get storedBytes(): number {
    return this.bytes;
  }

  get storedItems(): number {
    return this.sizes.size;
  }

  private untrack(key: string, id: string): void {
    const slot = `${key}\u0000${id}`;
    this.bytes -= this.sizes.get(slot) ?? 0;
    this.sizes.delete(slot);
  }

  private store(key: string, items: Map<string, Item>, id: string, item: Item): void {
    this.untrack(key, id);
    items.delete(id);
    items.set(id, item);
    let size: number;
    try {
      size = JSON.stringify(item).length;
    } catch {
      size = this.maxBytes;
    }
    this.sizes.set(`${key}\u0000${id}`, size);
    this.bytes += size;
    // Bounded like everything a long-running mock keeps: the oldest items, whatever their collection, go first.
    let evicted = 0;
    let freed = 0;
    while ((this.bytes > this.maxBytes || this.sizes.size > this.maxItems) && this.sizes.size > 1) {
      const oldest = this.sizes.entries().next();
      if (oldest.done === true) break;
      const [slot, bytes] = oldest.value;
      const cut = slot.indexOf('\u0000');
      this.untrack(slot.slice(0, cut), slot.slice(cut + 1));
      this.data.get(slot.slice(0, cut))?.delete(slot.slice(cut + 1));
      evicted++;
      freed += bytes;
    }
    if (evicted > 0)
      this.limits.onLog?.(`concord mock: stateful store full (${this.sizes.size} items, ${this.bytes} bytes; caps ${this.maxItems} items, ${this.maxBytes} bytes): evicted the ${evicted} oldest item(s), ${freed} bytes`);
  }
}

/** Fields the server sets: the id and readOnly properties; a request's values for them are ignored. */
function serverOwned(collection: Collection, field: string): boolean {
  return field === '__proto__' || field === collection.idProperty || collection.readOnly.includes(field);
}
