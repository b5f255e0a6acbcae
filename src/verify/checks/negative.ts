import type { IrOperation, IrParameter, IrSchema } from '../../ir/types.js';
import { routeTable, type VerifyContext } from '../context.js';
import { pathFits, prepareRoute } from '../../../templates/runtime/server-checks.js';
import type { OperationRun } from '../operation-run.js';
import { cloneValues, sendsParameter, setParam, type RequestValues } from '../values.js';
import { encodeRequest, readBack, type EncodedRequest } from '../wire.js';
import { freshKey } from './positive.js';

/**
 * `negative-rejected`: requests that break the contract in one place each (wrong type, missing required field
 * or parameter, out-of-range number, bad enum value, malformed JSON, oversized string) must get a 4xx. Each
 * starts from the minimal valid request, so the one broken thing is the whole difference. A mutation the
 * validators would still accept (a string where any string goes) is dropped before it is sent.
 */

export type MutationKind = 'wrong-type' | 'missing-required' | 'out-of-range' | 'bad-enum' | 'malformed-json' | 'oversized-string';

export interface Mutation {
  kind: MutationKind;
  /** Where in the request: `/query/limit`, `/body/name`. */
  where: string;
  values: RequestValues;
}

/** At least one of each kind fits in the smallest budget; larger --max-requests allow more places. */
const MIN_NEGATIVE = 8;

/** Values that break a schema, one per kind that applies. */
function badValues(ctx: VerifyContext, schema: IrSchema): Array<{ kind: MutationKind; value: unknown }> {
  const s = ctx.resolver.resolve(schema);
  const out: Array<{ kind: MutationKind; value: unknown }> = [];
  switch (s.kind) {
    case 'integer':
    case 'number':
      out.push({ kind: 'wrong-type', value: 'not-a-number' });
      if (s.maximum !== undefined) out.push({ kind: 'out-of-range', value: s.maximum + (s.kind === 'integer' ? 1 : Math.max(1, Math.abs(s.maximum))) });
      else if (s.exclusiveMaximum !== undefined) out.push({ kind: 'out-of-range', value: s.exclusiveMaximum });
      if (s.minimum !== undefined) out.push({ kind: 'out-of-range', value: s.minimum - (s.kind === 'integer' ? 1 : Math.max(1, Math.abs(s.minimum))) });
      else if (s.exclusiveMinimum !== undefined) out.push({ kind: 'out-of-range', value: s.exclusiveMinimum });
      break;
    case 'boolean':
      out.push({ kind: 'wrong-type', value: 'not-a-boolean' });
      break;
    case 'string':
      out.push({ kind: 'wrong-type', value: 12345 });
      if (s.maxLength !== undefined) out.push({ kind: 'oversized-string', value: 'x'.repeat(s.maxLength + 1) });
      break;
    case 'enum':
      out.push({ kind: 'bad-enum', value: s.baseType === 'integer' || s.baseType === 'number' ? 987654321 : 'concord-not-in-enum' });
      break;
    case 'array':
    case 'object':
      out.push({ kind: 'wrong-type', value: 'not-an-object-or-array' });
      break;
    default:
      break;
  }
  return out;
}

function parameterMutations(ctx: VerifyContext, operation: IrOperation, base: RequestValues): Mutation[] {
  const out: Mutation[] = [];
  for (const p of operation.parameters) {
    if (!sendsParameter(operation, p)) continue;
    const where = `/${p.in}/${p.name}`;
    if (p.required && p.in !== 'path') {
      const values = cloneValues(base);
      delete values[p.in][p.name];
      out.push({ kind: 'missing-required', where, values });
    }
    for (const bad of paramBadValues(ctx, p)) {
      const values = cloneValues(base);
      setParam(values, p.in, p.name, bad.value);
      out.push({ kind: bad.kind, where, values });
    }
  }
  return out;
}

function paramBadValues(ctx: VerifyContext, p: IrParameter): Array<{ kind: MutationKind; value: unknown }> {
  // On the wire every parameter is text: a number where a string goes is still a valid string.
  return badValues(ctx, p.schema).filter((b) => !(b.kind === 'wrong-type' && typeof b.value === 'number'));
}

function bodyMutations(ctx: VerifyContext, operation: IrOperation, base: RequestValues): Mutation[] {
  const out: Mutation[] = [];
  const body = base.body;
  if (!body) return out;
  if (operation.requestBody?.required === true) {
    const values = cloneValues(base);
    delete values.body;
    out.push({ kind: 'missing-required', where: '/body', values });
  }
  if (body.media.encoding === 'json') {
    const values = cloneValues(base);
    delete values.body;
    values.rawBody = { contentType: body.media.mediaType.includes('*') ? 'application/json' : body.media.mediaType, text: '{"concord": "malformed' };
    out.push({ kind: 'malformed-json', where: '/body', values });
  }
  const value = body.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    for (const bad of badValues(ctx, body.media.schema)) {
      const values = cloneValues(base);
      if (values.body) values.body.value = bad.value;
      out.push({ kind: bad.kind, where: '/body', values });
    }
    return out;
  }
  for (const property of ctx.builder.flatProperties(body.media.schema)) {
    if (property.schema.readOnly === true || property.name === '__proto__') continue;
    const where = `/body/${property.name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (property.required && Object.hasOwn(value, property.name)) {
      const values = cloneValues(base);
      delete (values.body?.value as Record<string, unknown>)[property.name];
      out.push({ kind: 'missing-required', where, values });
    }
    for (const bad of badValues(ctx, property.schema)) {
      const values = cloneValues(base);
      Object.defineProperty(values.body?.value, property.name, { value: bad.value, enumerable: true, writable: true, configurable: true });
      out.push({ kind: bad.kind, where, values });
    }
  }
  return out;
}

/** One mutation per kind and place, interleaved by kind so a cap keeps every kind. */
function interleave(mutations: Mutation[]): Mutation[] {
  const byKind = new Map<MutationKind, Mutation[]>();
  for (const m of mutations) byKind.set(m.kind, [...(byKind.get(m.kind) ?? []), m]);
  const out: Mutation[] = [];
  for (let i = 0; out.length < mutations.length; i++) for (const list of byKind.values()) if (list[i]) out.push(list[i] as Mutation);
  return out;
}

/** Every single-place break of `base`, interleaved by kind (not yet checked against the validators). */
export function negativeMutations(ctx: VerifyContext, operation: IrOperation, base: RequestValues): Mutation[] {
  return interleave([...parameterMutations(ctx, operation, base), ...bodyMutations(ctx, operation, base)]);
}

/**
 * A broken path parameter can make the URL another operation's (`/journals/{number}` and `/journals/{id}` share a
 * route): the request is then valid, for that operation, and no reason for a 4xx.
 */
function routesElsewhere(ctx: VerifyContext, operation: IrOperation, url: string): boolean {
  const table = routeTable(ctx);
  const base = new URL(ctx.baseUrl).pathname.replace(/\/$/, '');
  const found = table.match(operation.method, new URL(url).pathname.slice(base.length) || '/');
  if (found === undefined) return false;
  const own = table.specOf(operation);
  const settings = { validateRequests: true, formats: 'outgoing' as const, schemes: new Map(), verifiers: undefined, realm: '' };
  return found.specs.some((spec) => spec !== own && pathFits(prepareRoute(spec, settings), found.params, settings));
}

/** The mutations worth sending: ones the validators reject as a provider receives them, up to the budget. */
async function selectNegative(ctx: VerifyContext, operation: IrOperation, base: RequestValues): Promise<Array<{ mutation: Mutation; encoded: EncodedRequest }>> {
  const chosen: Array<{ mutation: Mutation; encoded: EncodedRequest }> = [];
  for (const mutation of negativeMutations(ctx, operation, base)) {
    if (chosen.length >= Math.max(MIN_NEGATIVE, ctx.maxRequests)) break;
    const encoded = await encodeRequest(ctx, operation, mutation.values, freshKey(ctx, operation, `n${chosen.length}-${mutation.kind}`));
    if (!encoded || (await readBack(ctx, operation, encoded, 'received')).valid) continue;
    if (mutation.where.startsWith('/path/') && routesElsewhere(ctx, operation, encoded.wire.url)) continue;
    chosen.push({ mutation, encoded });
  }
  return chosen;
}

export async function runNegative(ctx: VerifyContext, run: OperationRun, base: RequestValues): Promise<void> {
  const operation = run.operation;
  const chosen = await selectNegative(ctx, operation, base);
  if (chosen.length === 0) return run.skip('no contract-breaking request applies (nothing the validators would reject)');
  // Sent side by side; judged in order, so the reported one (and its count) does not depend on timing.
  const results = await Promise.all(chosen.map(({ encoded }) => run.send(encoded.wire)));
  results.forEach((result, index) => {
    const { mutation, encoded } = chosen[index] as { mutation: Mutation; encoded: EncodedRequest };
    const status = result.ok ? result.response.status : 0;
    const passed = status >= 400 && status < 500;
    run.tally('negative-rejected', passed);
    if (passed) return;
    run.fail({
      check: 'negative-rejected',
      message: `${mutation.kind} at ${mutation.where}: expected a 4xx, got ${result.ok ? status : `no answer (${result.error})`}`,
      pointer: '/status',
      contractPointer: mutation.where.startsWith('/body') ? (operation.requestBody?.pointer ?? operation.pointer) : (operation.parameters.find((p) => `/${p.in}/${p.name}` === mutation.where)?.pointer ?? operation.pointer),
      request: encoded.wire,
      response: result.ok ? result.response : undefined,
      requestsToFind: index + 1,
    });
  });
}
