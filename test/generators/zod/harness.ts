import { corpusOverridesFor } from '../../helpers/corpus-overrides.js';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadSpec } from '../../../src/load/load.js';
import { buildIr } from '../../../src/ir/build/document.js';
import { generateZod, NO_CHECK } from '../../../src/generators/zod/generate.js';
import { generateTypes } from '../../../src/generators/types/generate.js';
import { ValidatorRegistry } from '../../../src/validate/registry.js';
import type { IrDocument, IrOperation, ParameterLocation } from '../../../src/ir/types.js';
import { ROOT } from '../../helpers/workspace.js';

export const FIXTURES = path.join(ROOT, 'fixtures', 'zod');
export const ZOD_HELPERS = path.join(ROOT, 'templates', 'runtime', 'zod-helpers.ts');
/** Every zod helper family schemas.ts may import. */
const ZOD_FAMILIES = ['zod-helpers.ts', 'zod-refine.ts', 'zod-shape.ts'];

export async function loadIr(file: string): Promise<IrDocument> {
  const overrides = corpusOverridesFor(file);
  return buildIr(await loadSpec(file, { validate: false, ...(overrides ? { overrides } : {}) }));
}

/** Writes an in-memory OpenAPI document to `dir` and builds its IR the way `concord generate` does. */
export async function irOfDocument(document: object, dir: string, name: string): Promise<{ ir: IrDocument; file: string }> {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(document, null, 2));
  return { ir: await loadIr(file), file };
}

/** schemas.ts as `concord generate` writes it (with its runtime helper), in `dir`. */
export function writeSchemas(ir: IrDocument, dir: string): { code: string; file: string } {
  mkdirSync(path.join(dir, 'runtime'), { recursive: true });
  for (const file of ZOD_FAMILIES) copyFileSync(path.join(path.dirname(ZOD_HELPERS), file), path.join(dir, 'runtime', file));
  // Without the @ts-nocheck line, tsc checks every const's declared type against its validator.
  const code = generateZod(ir).replace(`${NO_CHECK}\n`, '');
  writeFileSync(path.join(dir, 'types.ts'), generateTypes(ir));
  const file = path.join(dir, 'schemas.ts');
  writeFileSync(file, code);
  return { code, file };
}

export async function importModule(file: string): Promise<Record<string, unknown>> {
  const loaded: unknown = await import(pathToFileURL(file).href);
  if (loaded === null || typeof loaded !== 'object') throw new Error(`${file} did not load as a module`);
  return { ...loaded };
}

/** What a row validates: a named schema const, or one of an operation's validators. */
export type Subject =
  | string
  | { operation: string; body: string }
  | { operation: string; params: ParameterLocation }
  | { operation: string; response: string; mediaType: string };

export function subjectLabel(subject: Subject): string {
  if (typeof subject === 'string') return subject;
  if ('body' in subject) return `${subject.operation} body ${subject.body}`;
  if ('params' in subject) return `${subject.operation} ${subject.params} parameters`;
  return `${subject.operation} ${subject.response} ${subject.mediaType}`;
}

function asSchema(value: unknown, what: string): z.ZodType {
  if (value instanceof z.ZodType) return value;
  throw new Error(`${what} is not a zod schema`);
}

function field(value: unknown, key: string, what: string): unknown {
  if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) throw new Error(`${what} has no ${key}`);
  return (value as Record<string, unknown>)[key];
}

/**
 * The two backends of one document side by side: the printed schemas.ts (imported) and the live interpreter the
 * mock server uses (`ValidatorRegistry`). Both must accept and reject exactly the same values.
 */
export class Backends {
  readonly registry: ValidatorRegistry;

  constructor(
    readonly ir: IrDocument,
    readonly module: Record<string, unknown>,
    readonly code: string,
  ) {
    this.registry = new ValidatorRegistry(ir);
  }

  private operation(name: string): IrOperation {
    const found = [...this.ir.operations, ...this.ir.webhooks].find((op) => op.name === name);
    if (!found) throw new Error(`No operation ${name}`);
    return found;
  }

  printed(subject: Subject): z.ZodType {
    if (typeof subject === 'string') return asSchema(this.module[subject], subject);
    const schemas = this.module[`${subject.operation}Schemas`];
    const label = subjectLabel(subject);
    if ('body' in subject) return asSchema(field(field(schemas, 'body', label), subject.body, label), label);
    if ('params' in subject) return asSchema(field(schemas, subject.params, label), label);
    return asSchema(field(field(field(schemas, 'responses', label), subject.response, label), subject.mediaType, label), label);
  }

  interpreted(subject: Subject): z.ZodType {
    if (typeof subject === 'string') return this.registry.schema(subject);
    const validators = this.registry.operation(this.operation(subject.operation));
    const label = subjectLabel(subject);
    const found = 'body' in subject ? validators.body.get(subject.body) : 'params' in subject ? validators.params[subject.params] : validators.responses.get(subject.response)?.get(subject.mediaType);
    if (!found) throw new Error(`No interpreted validator for ${label}`);
    return found;
  }

  /** Parses with both backends; throws when they disagree on acceptance, so every caller checks lockstep. */
  parse(subject: Subject, value: unknown): { success: boolean; data: unknown } {
    const printed = this.printed(subject).safeParse(value);
    const interpreted = this.interpreted(subject).safeParse(value);
    if (printed.success !== interpreted.success) {
      throw new Error(`${subjectLabel(subject)}: printed ${printed.success ? 'accepts' : 'rejects'} but interpreted ${interpreted.success ? 'accepts' : 'rejects'} ${show(value)}`);
    }
    if (printed.success && interpreted.success && show(printed.data) !== show(interpreted.data)) {
      throw new Error(`${subjectLabel(subject)}: outputs differ: ${show(printed.data)} vs ${show(interpreted.data)}`);
    }
    return { success: printed.success, data: printed.success ? printed.data : undefined };
  }
}

export function show(value: unknown): string {
  if (typeof Blob !== 'undefined' && value instanceof Blob) return 'Blob';
  return JSON.stringify(value) ?? String(value);
}

/** The printed source of one exported const of schemas.ts (for checks on what the generated code says). */
export function constSource(code: string, name: string): string {
  // A const other schemas spread keeps its zod type under `<Name>$`, declared right before the exported one.
  const escaped = name.replace(/\$/g, '\\$');
  const structural = code.search(new RegExp(`^const ${escaped}\\$ = `, 'm'));
  const start = structural >= 0 ? structural : code.search(new RegExp(`^export const ${escaped}\\b`, 'm'));
  if (start < 0) throw new Error(`schemas.ts has no const ${name}`);
  const end = code.indexOf('\n\n', start);
  return code.slice(start, end < 0 ? undefined : end);
}
