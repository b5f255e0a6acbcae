import { ConcordError } from '../../errors.js';
import type { LoadedSpec } from '../../load/load.js';
import type { FormatPolicy, IrDocument, IrNamedSchema, IrTag } from '../types.js';
import { ENTRY_POINT_NAMES, NameRegistry, typeIdentifier } from '../naming.js';
import { buildSchema } from './schema.js';
import { buildOperations, buildRetryPolicy, buildServers } from './operation.js';
import { buildSecurityRequirements, buildSecuritySchemes } from './security.js';
import { analyseSchemas } from './analyse.js';
import { decidePagination } from './pagination.js';
import type { PaginationConfig } from './pagination-override.js';
import { child, isObject, optionalString, type BuildContext } from './context.js';

export interface BuildOptions {
  idempotencyHeader?: string;
  /** Operation names or `METHOD /path` strings to treat as keyed. */
  keyedOperations?: string[];
  /** Per operation (name, operationId or `GET /path`): declared pagination, or `false` to switch detection off. */
  pagination?: PaginationConfig;
  /** Streaming operations (name, operationId or `POST /path`) to treat as resumable, as `x-concord-resumable` does. */
  resumableOperations?: string[];
  /** Operation names, operationIds or `METHOD /path` strings to alert on individually. */
  criticalOperations?: string[];
  /** Where generated code checks `format` by default (config `validate.formats`); absent: `outgoing`. */
  formats?: FormatPolicy;
}

/** Loaded document -> IR. Warnings go to `spec.diagnostics`; problems that make generation impossible throw. */
export function buildIr(spec: LoadedSpec, options: BuildOptions = {}): IrDocument {
  const doc = spec.document;
  const info = isObject(doc['info']) ? doc['info'] : {};
  const ctx: BuildContext = {
    doc,
    file: spec.source,
    diagnostics: spec.diagnostics,
    componentNames: new Map(),
    hoisted: [],
    hoistedNames: new Map(),
    schemaNames: new NameRegistry(ENTRY_POINT_NAMES),
    inlineStack: [],
    idempotencyHeader: options.idempotencyHeader ?? 'Idempotency-Key',
  };
  if (doc['paths'] !== undefined && !isObject(doc['paths'])) {
    throw new ConcordError('SPEC_INVALID', '`paths` must be an object of path templates.', { location: { file: spec.source, pointer: '/paths' } });
  }
  const components = isObject(doc['components']) ? doc['components'] : {};
  const rawSchemas = isObject(components['schemas']) ? components['schemas'] : {};
  // Names are claimed in sorted key order so they do not depend on the document's key order.
  const keys = Object.keys(rawSchemas).sort();
  for (const key of keys) ctx.componentNames.set(child('/components/schemas', key), ctx.schemaNames.claim(typeIdentifier(key)));

  const schemas: IrNamedSchema[] = keys.map((key) => {
    const pointer = child('/components/schemas', key);
    const name = ctx.componentNames.get(pointer) ?? key;
    return { name, originalName: key, pointer, schema: buildSchema(ctx, rawSchemas[key], pointer), recursive: false, hasReadOnly: false, hasWriteOnly: false };
  });

  const securitySchemes = buildSecuritySchemes(ctx);
  const security = buildSecurityRequirements(doc['security']) ?? [];
  const names = new NameRegistry(['createClient', 'client', 'schemas', 'types', 'operations']);
  const idempotency = { header: ctx.idempotencyHeader, keyed: new Set(options.keyedOperations ?? []) };
  const critical = new Set(options.criticalOperations ?? []);
  const retry = buildRetryPolicy(doc['x-concord-retries'] ?? doc['x-speakeasy-retries']);
  const operations = buildOperations({ ctx, names, defaultSecurity: security, idempotency, critical, ...(retry ? { retry } : {}) }, doc['paths'], '/paths');
  const webhooks = buildOperations({ ctx, names, defaultSecurity: [], idempotency, namePrefix: 'webhook' }, doc['webhooks'], '/webhooks');

  const all = [...schemas, ...ctx.hoisted];
  analyseSchemas(all);
  decidePagination(ctx, operations, all, options.pagination);
  const resumable = new Set(options.resumableOperations ?? []);
  for (const op of operations) {
    if (op.stream && [op.name, op.operationId, `${op.method.toUpperCase()} ${op.path}`].some((key) => key !== undefined && resumable.has(key))) op.stream.resumable = true;
  }
  for (const named of all) {
    if (named.hasReadOnly) named.requestName = ctx.schemaNames.claim(`${named.name}Request`);
    if (named.hasWriteOnly) named.responseName = ctx.schemaNames.claim(`${named.name}Response`);
  }
  const description = optionalString(info['description']);
  const ir: IrDocument = {
    title: optionalString(info['title']) ?? 'API',
    version: optionalString(info['version']) ?? String(info['version'] ?? '0.0.0'),
    sourceVersion: spec.sourceVersion,
    servers: buildServers(doc['servers']) ?? [],
    schemas: all,
    operations,
    webhooks,
    securitySchemes,
    security,
    hash: spec.hash,
    bundledDocument: doc,
  };
  if (description !== undefined) ir.description = description;
  const self = optionalString(doc['$self']);
  if (self !== undefined) ir.self = self;
  const tags = buildTags(doc['tags']);
  if (tags.length > 0) ir.tags = tags;
  if (retry) ir.retry = retry;
  if (options.formats !== undefined && options.formats !== 'outgoing') ir.formats = options.formats;
  return ir;
}

function buildTags(raw: unknown): IrTag[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).flatMap((tag) => {
    const name = optionalString(tag['name']);
    if (name === undefined) return [];
    const out: IrTag = { name };
    for (const key of ['summary', 'description', 'parent', 'kind'] as const) {
      const value = optionalString(tag[key]);
      if (value !== undefined) out[key] = value;
    }
    return [out];
  });
}
