import { z } from 'zod';
import { ALL_TARGETS, type Target } from '../generators/registry.js';
import { PAGINATION_FIELDS, PAGINATION_STYLES, type PaginationConfig, type PaginationFieldKind } from '../ir/build/pagination-override.js';

const target = z.enum(ALL_TARGETS as [Target, ...Target[]]);
/** A Prometheus duration: `30s`, `10m`, `1h30m`. */
const duration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'a Prometheus duration such as 30s, 10m or 1h');

/** The config file's `pagination` entries, from the field table the IR builder checks `x-pagination` with. */
const paginationField = (kind: PaginationFieldKind): z.ZodType => {
  switch (kind) {
    case 'style':
      return z.enum(PAGINATION_STYLES);
    case 'string':
      return z.string().optional();
    case 'nonEmpty':
      return z.string().min(1).optional();
    case 'integer':
      return z.number().int().optional();
    case 'boolean':
      return z.boolean().optional();
  }
};
const paginationOverrideSchema = z.strictObject(Object.fromEntries(Object.entries(PAGINATION_FIELDS).map(([key, kind]) => [key, paginationField(kind)])));
// Built from a table, so zod cannot infer the entry type: the table is typed by PaginationOverride's keys instead.
const paginationConfigSchema = z.record(z.string(), z.union([paginationOverrideSchema, z.literal(false)])) as unknown as z.ZodType<PaginationConfig, PaginationConfig>;

export const specConfigSchema = z.strictObject({
  /** Path (relative to the config file) or URL of the OpenAPI document. */
  spec: z.string().min(1),
  /** Output directory (relative to the config file). */
  out: z.string().min(1),
  /** What to generate. Default: types, zod, client. */
  targets: z.array(target).min(1).optional(),
  /**
   * `true`/`false`: structural validation of the spec (warnings), default true. As an object, also where the
   * generated code checks `format`: `outgoing` (default: what it sends, not what it receives), `strict`, `off`.
   */
  validate: z
    .union([z.boolean(), z.strictObject({ spec: z.boolean().optional(), formats: z.enum(['strict', 'outgoing', 'off']).optional() })], {
      error: "expected true, false or { spec?: boolean, formats?: 'strict' | 'outgoing' | 'off' }",
    })
    .optional(),
  /**
   * One module per tag (types/, schemas/, operations/, client/ plus shared, re-exported from the usual files):
   * `auto` (default) for contracts with 250 or more schemas + operations, `always`, or `never`.
   */
  split: z.enum(['auto', 'always', 'never']).optional(),
  /** Run prettier over the output. Default true. */
  format: z.boolean().optional(),
  idempotency: z
    .strictObject({
      /** Header carrying idempotency keys. Default `Idempotency-Key`. */
      header: z.string().min(1).optional(),
      /** Operations (by generated name, operationId, or `POST /path`) to treat as keyed. */
      keyed: z.array(z.string()).optional(),
    })
    .optional(),
  /** The `alerts` target: thresholds of the generated Prometheus rules (defaults in src/dlq/thresholds.ts). */
  alerts: z
    .strictObject({
      /** The `api` label the rules select (default: the contract title in kebab-case). */
      api: z.string().regex(/^[^"\\\n]+$/).optional(),
      /** Shown in runbooks as `--store …`; never a password. */
      store: z.string().optional(),
      severity: z.string().optional(),
      maxDepth: z.number().int().nonnegative().optional(),
      maxOldestAgeSeconds: z.number().positive().optional(),
      maxRejectionPercent: z.number().min(0).max(100).optional(),
      window: duration.optional(),
      for: duration.optional(),
      /** Operations (generated name, operationId or `METHOD /path`) with rules of their own, besides `x-concord-critical`. */
      critical: z.array(z.string()).optional(),
    })
    .optional(),
  /**
   * Pagination per operation (generated name, operationId or `GET /path`): `{ style: 'cursor', cursor:
   * 'starting_after', nextCursor: '$last.id', hasMore: 'has_more', items: 'data' }`, or `false` to switch detection off.
   */
  pagination: paginationConfigSchema.optional(),
  streaming: z
    .strictObject({
      /** Streaming operations to reconnect with Last-Event-ID when broken (as `x-concord-resumable: true`). */
      resumable: z.array(z.string()).optional(),
    })
    .optional(),
  /**
   * Repairs for faults in a contract you cannot edit (a vendor's): applied before the contract check, so generation
   * and the mock see the repaired document. The error for each fault prints the entry that repairs it.
   */
  overrides: z
    .strictObject({
      /** `METHOD /path` -> operationId, e.g. `{ 'GET /payments/{id}': 'getPayment' }`. */
      operationIds: z.record(z.string(), z.string().min(1)).optional(),
      /** `/path/{template}` -> { template name -> path parameter name }, e.g. `{ '/payments/{id}': { id: 'paymentId' } }`. */
      pathParameters: z.record(z.string(), z.record(z.string(), z.string().min(1))).optional(),
      /** JSON pointer -> value to set, e.g. `{ '/components/schemas/Amount/type': 'integer' }`. */
      patch: z.record(z.string().regex(/^#?\//, 'a JSON pointer starting with /'), z.unknown()).optional(),
    })
    .optional(),
});

export const configSchema = z.union([
  specConfigSchema,
  z.strictObject({
    /** Several specs, each with its own output. */
    specs: z.array(specConfigSchema).min(1),
  }),
]);

export type SpecConfig = z.input<typeof specConfigSchema>;
export type ConcordConfig = z.input<typeof configSchema>;

/** Typed helper for concord.config.ts: `export default defineConfig({ spec: 'openapi.yaml', out: 'src/api' })`. */
export function defineConfig(config: ConcordConfig): ConcordConfig {
  return config;
}
