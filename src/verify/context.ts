import type { z } from 'zod';
import type { IrDocument, IrOperation, IrSecurityScheme } from '../ir/types.js';
import { ValidatorRegistry } from '../validate/registry.js';
import { interpretExpr } from '../validate/interpret.js';
import type { ZodExprBuilder } from '../zod-expr/build-expr.js';
import { SchemaResolver } from '../mock/schema-resolver.js';
import { FakeGenerator } from '../mock/fake/index.js';
import type { Transport } from './transport.js';
import { RouteTable } from '../mock/routes.js';
import type { CheckId } from './types.js';

/** What every check family needs: the contract, its live validators, the seeded generator and the wire. */
export interface VerifyContext {
  ir: IrDocument;
  registry: ValidatorRegistry;
  builder: ZodExprBuilder;
  resolver: SchemaResolver;
  /** Request-variant data (readOnly left out), each named subtree checked against the validators. */
  generator: FakeGenerator;
  schemes: Map<string, IrSecurityScheme>;
  transport: Transport;
  /** Without a trailing slash. */
  baseUrl: string;
  auth: Record<string, string>;
  headers: Record<string, string>;
  seed: number;
  maxRequests: number;
  checks: ReadonlySet<CheckId>;
  /** Unique per run, so idempotency keys never collide with an earlier run against the same provider. */
  runId: string;
  headerValidators: Map<string, z.ZodType>;
  /** The pipeline's routing table, built on first use (request read-back, and to tell when a broken URL is another operation's). */
  routes?: RouteTable;
}

export function routeTable(ctx: VerifyContext): RouteTable {
  ctx.routes ??= new RouteTable(ctx.ir, ctx.registry);
  return ctx.routes;
}

export function createContext(ir: IrDocument, init: Omit<VerifyContext, 'ir' | 'registry' | 'builder' | 'resolver' | 'generator' | 'schemes' | 'headerValidators'>): VerifyContext {
  const registry = new ValidatorRegistry(ir);
  const named = new Map(ir.schemas.map((s) => [s.name, s]));
  const generator = new FakeGenerator({
    schemas: ir.schemas,
    variant: 'request',
    check: (name, value) => registry.schema(named.get(name)?.requestName ?? name).safeParse(value).success,
  });
  return {
    ...init,
    ir,
    registry,
    builder: registry.builder,
    resolver: new SchemaResolver(ir.schemas),
    generator,
    schemes: new Map(ir.securitySchemes.map((s) => [s.key, s])),
    headerValidators: new Map(),
  };
}

/** A validator for one declared response header, built like a parameter's (response variant). */
export function headerValidator(ctx: VerifyContext, operation: IrOperation, status: string, name: string): z.ZodType | undefined {
  const key = `${operation.pointer}\u0000${status}\u0000${name}`;
  const cached = ctx.headerValidators.get(key);
  if (cached) return cached;
  const header = operation.responses.find((r) => r.status === status)?.headers.find((h) => h.name === name);
  if (!header) return undefined;
  const built = interpretExpr(ctx.builder.build(header.schema, 'response'), (ref) => ctx.registry.schema(ref));
  ctx.headerValidators.set(key, built);
  return built;
}

export function operationLabel(operation: IrOperation): string {
  return operation.operationId ?? operation.name;
}
