import { isDeepStrictEqual } from 'node:util';
import type { IrOperation } from '../../ir/types.js';
import { StatefulStore, type Collection } from '../../mock/stateful.js';
import type { VerifyContext } from '../context.js';
import type { OperationRun } from '../operation-run.js';
import type { WireResponse } from '../transport.js';
import { generateCase, setParam, type RequestValues } from '../values.js';
import { acceptFor, encodeRequest, readBack, type EncodedRequest } from '../wire.js';
import { judgeResponse } from './response.js';
import { freshKey } from './positive.js';

/**
 * `stateful`: CRUD inferred from paths exactly as the stateful mock infers it (`/pets` + `/pets/{petId}`):
 * create -> read returns what was created -> list contains it -> update -> read shows the update -> delete ->
 * read is 404.
 */

type Item = Record<string, unknown>;

export function collectionsOf(ctx: VerifyContext): Collection[] {
  const store = new StatefulStore(ctx.ir, ctx.resolver, { seedItems: () => [], baseItem: () => undefined, fakeId: () => undefined });
  const out = new Set<Collection>();
  for (const op of ctx.ir.operations) {
    const found = store.roleOf(op);
    if (found && found.collection.operations.create && found.collection.operations.read) out.add(found.collection);
  }
  return [...out];
}

const isItem = (v: unknown): v is Item => v !== null && typeof v === 'object' && !Array.isArray(v);

function json(response: WireResponse | undefined): unknown {
  if (!response) return undefined;
  try {
    return JSON.parse(Buffer.from(response.body).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A valid body-carrying case for `operation` (the first of a few seeds that has one). */
async function validWithBody(ctx: VerifyContext, operation: IrOperation, parent: Record<string, unknown>): Promise<RequestValues | undefined> {
  for (let index = 1; index < 8; index++) {
    const values = generateCase(ctx, operation, index);
    if (operation.requestBody && (!values.body || !isItem(values.body.value))) continue;
    for (const [name, value] of Object.entries(parent)) if (Object.hasOwn(values.path, name)) setParam(values, 'path', name, value);
    const encoded = await encodeRequest(ctx, operation, values, freshKey(ctx, operation, `probe${index}`));
    if (encoded && (await readBack(ctx, operation, encoded)).valid) return values;
  }
  return undefined;
}

/** Fields of `expected` that `actual` carries must be equal there; returns the first that is not. */
function firstDifference(expected: Item, actual: Item): string | undefined {
  for (const [key, value] of Object.entries(expected)) {
    if (Object.hasOwn(actual, key) && !isDeepStrictEqual(actual[key], value)) return key;
  }
  return undefined;
}

function listContains(body: unknown, idProperty: string, id: unknown, depth = 0): boolean {
  if (depth > 3) return false;
  if (Array.isArray(body)) return body.some((item) => (isItem(item) && String(item[idProperty]) === String(id)) || listContains(item, idProperty, id, depth + 1));
  if (isItem(body)) return Object.values(body).some((v) => listContains(v, idProperty, id, depth + 1));
  return false;
}

/**
 * Answers inside a sequence are answers to valid requests too: the response checks judge them, on the run of
 * the operation that was called (a read after create reaches ids random reads never hit).
 */
function judgeInSequence(ctx: VerifyContext, runs: ReadonlyMap<IrOperation, OperationRun>, operation: IrOperation, encoded: EncodedRequest, response: WireResponse, steps: number): void {
  const target = runs.get(operation);
  if (!target) return;
  for (const verdict of judgeResponse(ctx, operation, acceptFor(operation), response)) {
    target.tally(verdict.check, verdict.passed);
    if (!verdict.passed) {
      target.fail({ check: verdict.check, message: `${verdict.message ?? verdict.check} (in a CRUD sequence)`, pointer: verdict.pointer ?? '', contractPointer: verdict.contractPointer ?? operation.pointer, request: encoded.wire, response, requestsToFind: steps });
    }
  }
}

export async function runStateful(ctx: VerifyContext, runs: ReadonlyMap<IrOperation, OperationRun>, collection: Collection): Promise<void> {
  const ops = collection.operations;
  const create = ops.create as IrOperation;
  const read = ops.read as IrOperation;
  const run = runs.get(create);
  if (!run) return;
  const idParam = collection.itemTemplate ? /\{([^{}]+)\}$/.exec(collection.itemTemplate)?.[1] : undefined;
  if (!idParam) return;
  let steps = 0;
  let last: EncodedRequest | undefined;
  const call = async (operation: IrOperation, values: RequestValues): Promise<WireResponse | undefined> => {
    const encoded = await encodeRequest(ctx, operation, values, freshKey(ctx, operation, `st${steps}`));
    if (!encoded) return undefined;
    steps++;
    last = encoded;
    const result = await run.send(encoded.wire);
    if (result.ok) judgeInSequence(ctx, runs, operation, encoded, result.response, steps);
    return result.ok ? result.response : undefined;
  };
  const fail = (message: string, pointer: string, operation: IrOperation, response: WireResponse | undefined): void => {
    run.tally('stateful', false);
    if (last) run.fail({ check: 'stateful', message, pointer, contractPointer: operation.pointer, request: last.wire, response, requestsToFind: steps });
  };
  const ok = (r: WireResponse | undefined): boolean => r !== undefined && r.status >= 200 && r.status < 300;

  const created = await validWithBody(ctx, create, {});
  if (!created) return run.skip(`stateful: no valid create request for ${collection.template}`);
  const parent = { ...created.path };
  const r1 = await call(create, created);
  if (!r1 || !ok(r1)) return fail(`create (${create.method.toUpperCase()} ${collection.template}) got ${r1?.status ?? 'no answer'}`, '/status', create, r1);
  const createdBody = json(r1);
  const sent = isItem(created.body?.value) ? created.body.value : {};
  const location = r1.headers['location']?.split('/').pop();
  const id = collection.idProperty !== undefined && isItem(createdBody) && createdBody[collection.idProperty] !== undefined ? createdBody[collection.idProperty] : location !== undefined ? decodeURIComponent(location) : undefined;
  if (id === undefined) return run.skip(`stateful: the create answer of ${collection.template} names no id (no ${collection.idProperty ?? 'id'} property, no Location)`);
  const itemValues = (): RequestValues => {
    const values: RequestValues = { path: { ...parent }, query: {}, header: {}, cookie: {} };
    setParam(values, 'path', idParam, id);
    return values;
  };
  const readBackItem = async (expected: Item, after: string): Promise<boolean> => {
    const r = await call(read, itemValues());
    if (!r || !ok(r)) {
      fail(`read after ${after} got ${r?.status ?? 'no answer'}; expected the item`, '/status', read, r);
      return false;
    }
    const body = json(r);
    const differs = isItem(body) ? firstDifference(expected, body) : '(not an object)';
    if (differs !== undefined) {
      fail(`read after ${after} returned other data than was ${after === 'create' ? 'created' : 'written'}: ${differs}`, `/body/${differs}`, read, r);
      return false;
    }
    return true;
  };
  if (!(await readBackItem({ ...sent, ...(isItem(createdBody) ? createdBody : {}) }, 'create'))) return;
  run.tally('stateful', true);

  if (ops.list && collection.idProperty !== undefined) {
    const values: RequestValues = { path: { ...parent }, query: {}, header: {}, cookie: {} };
    const r = await call(ops.list, values);
    if (!r || !ok(r) || !listContains(json(r), collection.idProperty, id)) return fail(`list of ${collection.template} does not contain the created item (${collection.idProperty}=${String(id)})`, '/body', ops.list, r);
    run.tally('stateful', true);
  }

  const writer = ops.replace ?? ops.update;
  if (writer) {
    const update = await validWithBody(ctx, writer, parent);
    if (update && isItem(update.body?.value)) {
      setParam(update, 'path', idParam, id);
      if (collection.idProperty !== undefined && Object.hasOwn(update.body.value, collection.idProperty)) update.body.value[collection.idProperty] = id;
      const r = await call(writer, update);
      if (!ok(r)) return fail(`update (${writer.method.toUpperCase()} ${collection.itemTemplate ?? ''}) got ${r?.status ?? 'no answer'}`, '/status', writer, r);
      if (!(await readBackItem(update.body.value, 'update'))) return;
      run.tally('stateful', true);
    }
  }

  if (ops.delete) {
    const r = await call(ops.delete, itemValues());
    if (!ok(r)) return fail(`delete got ${r?.status ?? 'no answer'}`, '/status', ops.delete, r);
    const after = await call(read, itemValues());
    if (after?.status !== 404 && after?.status !== 410) return fail(`read after delete got ${after?.status ?? 'no answer'}; expected 404`, '/status', read, after);
    run.tally('stateful', true);
  }
}
