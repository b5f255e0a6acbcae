import type { z } from 'zod';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { LoadedSpec } from '../../src/load/load.js';
import type { IrDocument, IrOperation, IrSchema } from '../../src/ir/types.js';
import { ZodExprBuilder, type Variant } from '../../src/zod-expr/build-expr.js';
import { allOperations } from '../../src/ir/walk.js';
import { interpretExpr } from '../../src/validate/interpret.js';
import { ValidatorRegistry } from '../../src/validate/registry.js';
import { childSchemas } from '../../src/ir/walk.js';
import type { Subject } from '../generators/zod/harness.js';

/**
 * One example a document publishes, with the schema it illustrates: the zod validator concord builds for that
 * place (the interpreter, which the printed schemas.ts agrees with) and the JSON pointer ajv validates it against.
 */
export interface PublishedExample {
  /** Where the example sits, for messages. */
  where: string;
  /** `response`: what the client receives; `request`: what the provider receives; `schema`: a component's own. */
  role: 'request' | 'response' | 'schema';
  value: unknown;
  pointer: string;
  zod: () => z.ZodType;
  /** The same validator in the printed schemas.ts, when it is one of its named consts or operation validators. */
  printed?: Subject;
}

/** Every example a document publishes: on schemas (any depth), media types and parameters. */
export function collectExamples(ir: IrDocument, document: Record<string, unknown>): PublishedExample[] {
  const operations = allOperations(ir);
  const builder = new ZodExprBuilder(ir.schemas, operations);
  const registry = new ValidatorRegistry(ir);
  const resolve = (name: string): z.ZodType => registry.schema(name);
  const out: PublishedExample[] = [];
  const seen = new Set<IrSchema>();
  const built = new Map<string, z.ZodType>();
  const cached = (key: string, build: () => z.ZodType): z.ZodType => {
    let schema = built.get(key);
    if (schema === undefined) built.set(key, (schema = build()));
    return schema;
  };
  const visitSchema = (schema: IrSchema, variant: Variant, role: PublishedExample['role'], top?: { zod: () => z.ZodType; printed?: Subject }): void => {
    if (seen.has(schema)) return;
    seen.add(schema);
    for (const value of schema.examples ?? []) {
      const zod = top?.zod ?? (() => cached(`${variant} ${schema.pointer}`, () => interpretExpr(builder.build(schema, variant), resolve)));
      out.push({ where: schema.pointer, role, value, pointer: schema.pointer, zod, ...(top?.printed ? { printed: top.printed } : {}) });
    }
    for (const inner of childSchemas(schema)) visitSchema(inner, variant, role);
  };
  for (const named of ir.schemas) {
    visitSchema(named.schema, 'full', 'schema', { zod: () => registry.schema(named.name), printed: named.name });
  }
  const parameter = (schema: IrSchema): z.ZodType => cached(`parameter ${schema.pointer}`, () => interpretExpr(builder.build(schema, 'request'), resolve));
  for (const operation of operations) collectOperation(operation, registry, parameter, document, out, visitSchema);
  return out;
}

type Visit = (schema: IrSchema, variant: Variant, role: PublishedExample['role']) => void;

function collectOperation(operation: IrOperation, registry: ValidatorRegistry, parameterSchema: (schema: IrSchema) => z.ZodType, document: Record<string, unknown>, out: PublishedExample[], visit: Visit): void {
  const validators = (): ReturnType<ValidatorRegistry['operation']> => registry.operation(operation);
  for (const media of operation.requestBody?.content ?? []) {
    if (media.encoding !== 'json' || media.streaming) continue;
    for (const example of media.examples) {
      out.push({ where: `${media.pointer} (${example.name})`, role: 'request', value: example.value, pointer: `${media.pointer}/schema`, zod: () => validators().body.get(media.mediaType) as z.ZodType, printed: { operation: operation.name, body: media.mediaType } });
    }
    visit(media.schema, 'request', 'request');
  }
  for (const response of operation.responses) {
    for (const media of response.content) {
      if (media.encoding !== 'json' || media.streaming) continue;
      for (const example of media.examples) {
        out.push({ where: `${media.pointer} (${example.name})`, role: 'response', value: example.value, pointer: `${media.pointer}/schema`, zod: () => validators().responses.get(response.status)?.get(media.mediaType) as z.ZodType, printed: { operation: operation.name, response: response.status, mediaType: media.mediaType } });
      }
      visit(media.schema, 'response', 'response');
    }
    for (const header of response.headers) visit(header.schema, 'response', 'response');
  }
  for (const parameter of operation.parameters) {
    visit(parameter.schema, 'request', 'request');
    const raw = resolvePointer(document, parameter.pointer);
    if (!isRecord(raw) || raw['schema'] === undefined) continue;
    const values = [...(raw['example'] === undefined ? [] : [raw['example']]), ...(isRecord(raw['examples']) ? Object.values(raw['examples']).flatMap((e) => (isRecord(e) && e['value'] !== undefined ? [e['value']] : [])) : [])];
    for (const value of values) {
      out.push({ where: `${parameter.pointer} (parameter)`, role: 'request', value, pointer: `${parameter.pointer}/schema`, zod: () => parameterSchema(parameter.schema) });
    }
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function resolvePointer(document: unknown, pointer: string): unknown {
  let node = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/**
 * The bundled document as a JSON Schema 2020-12 resource. OpenAPI 3.0's dialect differs in two keywords:
 * `nullable: true` adds null to the value's types, and boolean `exclusiveMinimum`/`exclusiveMaximum` make
 * `minimum`/`maximum` exclusive. (Swagger 2.0 documents arrive upgraded to 3.0.) A nullable schema without
 * `type` becomes `anyOf: [<it>, null]`, which moves it one level down: `pointer()` maps the document's
 * pointers (and the document's own `$ref`s) to where the schemas now are.
 */
export class JsonSchemaDocument {
  readonly document: Record<string, unknown>;
  private readonly moved = new Set<string>();

  constructor(spec: LoadedSpec) {
    this.document = structuredClone(spec.document);
    // A bundled document resolves every `$ref` against its root: embedded resource ids would only confuse ajv
    // (two schemas claiming one id is an error there).
    stripIds(this.document);
    // concord reads `nullable` and boolean exclusive bounds whatever the declared version (3.1 documents written
    // by 3.0 tools use them), so ajv is given the same reading.
    this.convert(this.document, '');
    if (this.moved.size > 0) this.retarget(this.document);
  }

  pointer(original: string): string {
    let at = '';
    let out = '';
    for (const token of original.split('/').slice(1)) {
      if (this.moved.has(at)) out += '/anyOf/0';
      at += `/${token}`;
      out += `/${token}`;
    }
    return out;
  }

  private convert(node: unknown, at: string): void {
    if (Array.isArray(node)) {
      node.forEach((item, index) => this.convert(item, `${at}/${index}`));
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) this.convert(value, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    for (const [bound, limit] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof node[bound] !== 'boolean') continue;
      if (node[bound] === true && typeof node[limit] === 'number') {
        node[bound] = node[limit];
        delete node[limit];
      } else delete node[bound];
    }
    const nullable = node['nullable'] === true || node['x-nullable'] === true;
    if (typeof node['nullable'] === 'boolean') delete node['nullable'];
    if (!nullable) return;
    if (typeof node['type'] === 'string' && node['allOf'] === undefined && node['oneOf'] === undefined && node['anyOf'] === undefined && node['$ref'] === undefined) {
      node['type'] = [node['type'], 'null'];
      if (Array.isArray(node['enum']) && !node['enum'].includes(null)) node['enum'] = [...node['enum'], null];
      return;
    }
    const rest = { ...node };
    for (const key of Object.keys(node)) delete node[key];
    node['anyOf'] = [rest, { type: 'null' }];
    this.moved.add(at);
  }

  private retarget(node: unknown): void {
    if (Array.isArray(node)) node.forEach((item) => this.retarget(item));
    if (!isRecord(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/')) node['$ref'] = `#${this.pointer(decodeURIComponent(ref.slice(1)))}`;
    for (const value of Object.values(node)) this.retarget(value);
  }
}

/**
 * ajv over one document: formats are annotations (what concord receives), patterns compile as concord compiles
 * them (no `u` flag unless needed), unknown keywords (OpenAPI's own) are ignored.
 */
export class AjvDocument {
  private readonly ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false, unicodeRegExp: false, allErrors: false, discriminator: false, inlineRefs: false });
  private readonly compiled = new Map<string, ValidateFunction | Error>();

  constructor(private readonly source: JsonSchemaDocument) {
    this.ajv.addSchema({ ...source.document, $id: 'urn:concord:document' });
  }

  /** Whether ajv accepts `value` against the schema at `pointer`; an Error when ajv cannot compile it. */
  accepts(pointer: string, value: unknown): boolean | Error {
    // A media type or parameter without a schema: any value.
    if (resolvePointer(this.source.document, this.source.pointer(pointer)) === undefined) return true;
    let validate = this.compiled.get(pointer);
    if (validate === undefined) {
      try {
        const fragment = this.source.pointer(pointer).split('/').map((token) => encodeURIComponent(token)).join('/');
        validate = this.ajv.compile({ $ref: `urn:concord:document#${fragment}` });
      } catch (error) {
        validate = error instanceof Error ? error : new Error(String(error));
      }
      this.compiled.set(pointer, validate);
    }
    return validate instanceof Error ? validate : validate(value) === true;
  }
}

function stripIds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(stripIds);
  if (!isRecord(node)) return;
  for (const key of ['$id', '$schema', '$anchor', '$dynamicAnchor']) if (typeof node[key] === 'string') delete node[key];
  for (const value of Object.values(node)) stripIds(value);
}
