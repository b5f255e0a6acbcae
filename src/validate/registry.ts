import type { z } from 'zod';
import type { IrDocument, IrOperation, ParameterLocation } from '../ir/types.js';
import { ZodExprBuilder } from '../zod-expr/build-expr.js';
import { buildOperationExprs } from '../zod-expr/operation-schemas.js';
import { allOperations } from '../ir/walk.js';
import { interpretExpr } from './interpret.js';

export interface OperationValidators {
  params: Partial<Record<ParameterLocation, z.ZodType>>;
  body: Map<string, z.ZodType>;
  /** status -> media type -> schema */
  responses: Map<string, Map<string, z.ZodType>>;
}

/**
 * Live validators for a document, built on first use per schema and per operation, so a mock on a 1,000-operation
 * spec starts without building what no request touches.
 */
export class ValidatorRegistry {
  /** The expressions the validators are built from (shared with callers that need the IR's merged shapes). */
  readonly builder: ZodExprBuilder;
  private readonly named = new Map<string, z.ZodType>();
  private readonly operations = new Map<IrOperation, OperationValidators>();
  private readonly nodes = new Map<string, { schemaName: string; variant: 'full' | 'request' | 'response' }>();

  constructor(ir: IrDocument) {
    this.builder = new ZodExprBuilder(ir.schemas, allOperations(ir));
    for (const s of ir.schemas) {
      this.nodes.set(s.name, { schemaName: s.name, variant: 'full' });
      if (s.requestName) this.nodes.set(s.requestName, { schemaName: s.name, variant: 'request' });
      if (s.responseName) this.nodes.set(s.responseName, { schemaName: s.name, variant: 'response' });
    }
  }

  schema(name: string): z.ZodType {
    const cached = this.named.get(name);
    if (cached) return cached;
    const node = this.nodes.get(name);
    const named = node ? this.builder.named(node.schemaName) : undefined;
    if (!node || !named) throw new Error(`No schema named ${name}`);
    const built = interpretExpr(this.builder.buildNamed(named, node.variant), (ref) => this.schema(ref));
    this.named.set(name, built);
    return built;
  }

  operation(operation: IrOperation): OperationValidators {
    const cached = this.operations.get(operation);
    if (cached) return cached;
    const exprs = buildOperationExprs(this.builder, operation);
    const resolve = (ref: string): z.ZodType => this.schema(ref);
    const params: OperationValidators['params'] = {};
    for (const [location, expr] of Object.entries(exprs.params)) params[location as ParameterLocation] = interpretExpr(expr, resolve);
    const body = new Map(exprs.body.map((b) => [b.mediaType, interpretExpr(b.e, resolve)]));
    const responses = new Map<string, Map<string, z.ZodType>>();
    for (const r of exprs.responses) {
      const byType = responses.get(r.status) ?? new Map<string, z.ZodType>();
      byType.set(r.mediaType, interpretExpr(r.e, resolve));
      responses.set(r.status, byType);
    }
    const built = { params, body, responses };
    this.operations.set(operation, built);
    return built;
  }
}
