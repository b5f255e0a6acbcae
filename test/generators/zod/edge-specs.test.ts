import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ConcordError } from '../../../src/errors.js';
import { ZodExprBuilder } from '../../../src/zod-expr/build-expr.js';
import { allOperations } from '../../../src/ir/walk.js';
import type { IrDocument, IrSchema } from '../../../src/ir/types.js';
import { Backends, FIXTURES, importModule, loadIr, show, writeSchemas, type Subject } from './harness.js';
import { acceptedTypes, isRecord, NONE, Sampler, wrongValue } from './sampler.js';
import { hasShared, scratch, SHARED_SPECS } from '../../helpers/workspace.js';

// The edge specs of the shared corpus (when it is there) and the copies in fixtures/zod (always): every component
// schema gets valid samples, which both backends must accept in every shape (full, request, response), and
// mutations of them (wrong type at a property, a missing required key, an enum value out of set), which both must
// reject. Every operation's JSON bodies and responses get the same treatment for their samples.

const fixtureFiles = readdirSync(FIXTURES).filter((f) => /\.(ya?ml|json)$/.test(f));
const edgeDir = path.join(SHARED_SPECS, 'edge');
const sharedFiles = hasShared
  ? readdirSync(edgeDir)
      .flatMap((entry) => (statSync(path.join(edgeDir, entry)).isDirectory() ? [path.join(entry, 'full.yaml')] : [entry]))
      .filter((f) => /\.(ya?ml|json)$/.test(f) && !fixtureFiles.includes(f))
  : [];
const specs = [...fixtureFiles.map((f) => ['fixtures/zod', path.join(FIXTURES, f)] as const), ...sharedFiles.map((f) => ['shared edge', path.join(edgeDir, f)] as const)];

/** Schemas no value satisfies (so there is nothing to sample): both backends must reject every probe instead. */
const UNSATISFIABLE: Record<string, string> = {
  'full.yaml#AdditionalPropertiesUnknownIssue3': 'allOf of `type: string` and `type: object`',
  'full.yaml#ModelWithAnyOfConstantSizeArrayAndIntersect': 'two items, each an allOf of `type: number` and `type: string`',
};
const PROBES: unknown[] = ['x', '', 0, 1.5, true, null, {}, [], [0, 0], ['a', 'a'], { entries: {} }];

interface Outcome {
  accepted: number;
  rejected: number;
  unsampled: string[];
  failures: string[];
}

async function exercise(file: string): Promise<Outcome> {
  const ir = await loadIr(file);
  const dir = scratch(`zod-edge-${path.basename(file).replace(/\W+/g, '-')}`);
  const { code, file: schemasFile } = writeSchemas(ir, dir);
  const backends = new Backends(ir, await importModule(schemasFile), code);
  const builder = new ZodExprBuilder(ir.schemas, allOperations(ir));
  const sampler = new Sampler(builder);
  const outcome: Outcome = { accepted: 0, rejected: 0, unsampled: [], failures: [] };
  const expectParse = (subject: Subject, value: unknown, want: boolean, what: string): void => {
    try {
      const ok = backends.parse(subject, value).success;
      if (ok !== want) outcome.failures.push(`${what}: ${want ? 'rejected' : 'accepted'} ${show(value)}`);
      else if (want) outcome.accepted++;
      else outcome.rejected++;
    } catch (error) {
      outcome.failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  for (const named of ir.schemas) {
    const schema = builder.schemaOf(named.name) ?? named.schema;
    const samples = validSamples(sampler, schema);
    if (samples.length === 0) {
      outcome.unsampled.push(`${path.basename(file)}#${named.originalName}`);
      for (const probe of PROBES) expectParse(named.name, probe, false, `${named.name} (unsatisfiable)`);
      continue;
    }
    const shapes = [named.name, ...(named.requestName ? [named.requestName] : []), ...(named.responseName ? [named.responseName] : [])];
    for (const value of samples) for (const shape of shapes) expectParse(shape, value, true, `${shape} sample`);
    for (const { what, value } of samples.flatMap((s) => mutations(builder, schema, s))) expectParse(named.name, value, false, `${named.name} ${what}`);
  }

  for (const operation of operationsOf(ir)) {
    const body = operation.requestBody?.content ?? [];
    const responses = operation.responses.flatMap((r) => r.content.map((media) => ({ media, status: r.status })));
    for (const media of body.filter((m) => m.encoding === 'json' && !m.streaming)) {
      for (const value of validSamples(sampler, media.schema)) expectParse({ operation: operation.name, body: media.mediaType }, value, true, `${operation.name} body`);
    }
    for (const { media, status } of responses.filter((r) => r.media.encoding === 'json' && !r.media.streaming)) {
      for (const value of validSamples(sampler, media.schema)) expectParse({ operation: operation.name, response: status, mediaType: media.mediaType }, value, true, `${operation.name} ${status}`);
    }
  }
  return outcome;
}

function operationsOf(ir: IrDocument): IrDocument['operations'] {
  return [...ir.operations, ...ir.webhooks];
}

function validSamples(sampler: Sampler, schema: IrSchema): unknown[] {
  const found = [sampler.sample(schema, 'minimal'), sampler.sample(schema, 'full'), ...(schema.nullable ? [null] : [])].filter((v) => v !== NONE);
  return found.filter((v, i) => found.findIndex((other) => show(other) === show(v)) === i);
}

function mutations(builder: ZodExprBuilder, schema: IrSchema, sample: unknown): Array<{ what: string; value: unknown }> {
  const out: Array<{ what: string; value: unknown }> = [];
  const top = acceptedTypes(builder, schema);
  const wrongTop = top ? wrongValue(top) : undefined;
  if (top && wrongTop !== undefined) out.push({ what: 'wrong type', value: wrongTop });
  const stringEnum = (s: IrSchema): boolean => s.kind === 'enum' && s.values.every((v) => typeof v === 'string');
  if (stringEnum(schema)) out.push({ what: 'enum value out of set', value: 'not a member' });
  const objectLike = schema.kind === 'object' || (schema.kind === 'intersection' && builder.isObjectLike({ ...schema, nullable: false }, 'full'));
  if (!objectLike || !isRecord(sample)) return out;
  const properties = schema.kind === 'object' ? schema.properties : builder.flatProperties({ ...schema, nullable: false });
  for (const property of properties) {
    if (!Object.prototype.hasOwnProperty.call(sample, property.name)) continue;
    const without = Object.fromEntries(Object.entries(sample).filter(([key]) => key !== property.name));
    if (property.required) out.push({ what: `missing required ${property.name}`, value: without });
    const accepted = acceptedTypes(builder, property.schema);
    const wrong = accepted ? wrongValue(accepted) : undefined;
    if (accepted && wrong !== undefined) out.push({ what: `wrong type at ${property.name}`, value: { ...without, [property.name]: wrong } });
    const target = property.schema.kind === 'ref' ? builder.schemaOf(property.schema.name) : property.schema;
    if (target && stringEnum(target)) out.push({ what: `enum out of set at ${property.name}`, value: { ...without, [property.name]: 'not a member' } });
  }
  return out;
}

describe.each(specs)('%s %s', (where, file) => {
  test('samples pass, mutations fail, in both backends', async (context) => {
    let outcome: Outcome;
    try {
      outcome = await exercise(file);
    } catch (error) {
      // The contract check (duplicate operationIds, path templates without their parameters) refuses some of
      // hey-api's deliberately odd documents before any schema is read: visibly skipped, not passed.
      if (error instanceof ConcordError && error.code === 'SPEC_CONTRACT') return context.skip(`refused by the contract check: ${error.message.split('\n')[0] ?? ''}`);
      throw error;
    }
    if (process.env['ZOD_EDGE_STATS']) console.log(`${path.basename(file)}: ${outcome.accepted} accepted, ${outcome.rejected} rejected`);
    expect(outcome.failures).toEqual([]);
    // The fixtures were picked for their schemas: each must exercise both directions.
    if (where === 'fixtures/zod') {
      expect(outcome.accepted).toBeGreaterThan(0);
      expect(outcome.rejected).toBeGreaterThan(0);
    }
    expect(outcome.unsampled.filter((key) => !(key in UNSATISFIABLE))).toEqual([]);
  });
});
