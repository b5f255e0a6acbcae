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

/** One create -> read -> list -> update -> read -> delete -> read run over a collection; each step a method. */
class CrudSequence {
  private steps = 0;
  private last: EncodedRequest | undefined;
  private parent: Record<string, unknown> = {};
  private id: unknown;

  constructor(
    private readonly ctx: VerifyContext,
    private readonly runs: ReadonlyMap<IrOperation, OperationRun>,
    private readonly run: OperationRun,
    private readonly collection: Collection,
    private readonly idParam: string,
  ) {}

  private async call(operation: IrOperation, values: RequestValues): Promise<WireResponse | undefined> {
    const encoded = await encodeRequest(this.ctx, operation, values, freshKey(this.ctx, operation, `st${this.steps}`));
    if (!encoded) return undefined;
    this.steps++;
    this.last = encoded;
    const result = await this.run.send(encoded.wire);
    if (!result.ok) return undefined;
    judgeInSequence(this.ctx, this.runs, operation, encoded, result.response, this.steps);
    return result.response;
  }

  /** Records a failed step; returns false so callers can `return this.fail(...)`. */
  private fail(message: string, pointer: string, operation: IrOperation, response: WireResponse | undefined): false {
    this.run.tally('stateful', false);
    if (this.last) this.run.fail({ check: 'stateful', message, pointer, contractPointer: operation.pointer, request: this.last.wire, response, requestsToFind: this.steps });
    return false;
  }

  private pass(): true {
    this.run.tally('stateful', true);
    return true;
  }

  private itemValues(): RequestValues {
    const values: RequestValues = { path: { ...this.parent }, query: {}, header: {}, cookie: {} };
    setParam(values, 'path', this.idParam, this.id);
    return values;
  }

  async create(): Promise<Item | undefined> {
    const { collection } = this;
    const create = collection.operations.create as IrOperation;
    const created = await validWithBody(this.ctx, create, {});
    if (!created) return void this.run.skip(`stateful: no valid create request for ${collection.template}`);
    this.parent = { ...created.path };
    const response = await this.call(create, created);
    if (!response || !ok(response)) return void this.fail(`create (${create.method.toUpperCase()} ${collection.template}) got ${response?.status ?? 'no answer'}`, '/status', create, response);
    const body = json(response);
    const location = response.headers['location']?.split('/').pop();
    const fromBody = collection.idProperty !== undefined && isItem(body) ? body[collection.idProperty] : undefined;
    this.id = fromBody ?? (location !== undefined ? decodeURIComponent(location) : undefined);
    if (this.id === undefined) return void this.run.skip(`stateful: the create answer of ${collection.template} names no id (no ${collection.idProperty ?? 'id'} property, no Location)`);
    return { ...(isItem(created.body?.value) ? created.body.value : {}), ...(isItem(body) ? body : {}) };
  }

  /** Read the item; every field of `expected` the answer carries must be equal. */
  async read(expected: Item, after: string): Promise<boolean> {
    const read = this.collection.operations.read as IrOperation;
    const response = await this.call(read, this.itemValues());
    if (!response || !ok(response)) return this.fail(`read after ${after} got ${response?.status ?? 'no answer'}; expected the item`, '/status', read, response);
    const body = json(response);
    const differs = isItem(body) ? firstDifference(expected, body) : '(not an object)';
    if (differs !== undefined) return this.fail(`read after ${after} returned other data than was ${after === 'create' ? 'created' : 'written'}: ${differs}`, `/body/${differs}`, read, response);
    return this.pass();
  }

  async list(): Promise<boolean> {
    const { list } = this.collection.operations;
    const idProperty = this.collection.idProperty;
    if (!list || idProperty === undefined) return true;
    const response = await this.call(list, { path: { ...this.parent }, query: {}, header: {}, cookie: {} });
    if (!response || !ok(response) || !listContains(json(response), idProperty, this.id)) return this.fail(`list of ${this.collection.template} does not contain the created item (${idProperty}=${String(this.id)})`, '/body', list, response);
    return this.pass();
  }

  async update(): Promise<boolean> {
    const { replace, update } = this.collection.operations;
    const writer = replace ?? update;
    const values = writer ? await validWithBody(this.ctx, writer, this.parent) : undefined;
    if (!writer || !values || !isItem(values.body?.value)) return true;
    setParam(values, 'path', this.idParam, this.id);
    const idProperty = this.collection.idProperty;
    if (idProperty !== undefined && Object.hasOwn(values.body.value, idProperty)) values.body.value[idProperty] = this.id;
    const response = await this.call(writer, values);
    if (!ok(response)) return this.fail(`update (${writer.method.toUpperCase()} ${this.collection.itemTemplate ?? ''}) got ${response?.status ?? 'no answer'}`, '/status', writer, response);
    // A merge patch merges nested objects: only its scalar and array members must read back as sent.
    const written = writer === replace ? values.body.value : Object.fromEntries(Object.entries(values.body.value).filter(([, v]) => !isItem(v)));
    return this.read(written, 'update');
  }

  async remove(): Promise<boolean> {
    const remove = this.collection.operations.delete;
    const read = this.collection.operations.read as IrOperation;
    if (!remove) return true;
    const response = await this.call(remove, this.itemValues());
    if (!ok(response)) return this.fail(`delete got ${response?.status ?? 'no answer'}`, '/status', remove, response);
    const after = await this.call(read, this.itemValues());
    if (after?.status !== 404 && after?.status !== 410) return this.fail(`read after delete got ${after?.status ?? 'no answer'}; expected 404`, '/status', read, after);
    return this.pass();
  }
}

const ok = (r: WireResponse | undefined): boolean => r !== undefined && r.status >= 200 && r.status < 300;

export async function runStateful(ctx: VerifyContext, runs: ReadonlyMap<IrOperation, OperationRun>, collection: Collection): Promise<void> {
  const run = runs.get(collection.operations.create as IrOperation);
  const idParam = collection.itemTemplate ? /\{([^{}]+)\}$/.exec(collection.itemTemplate)?.[1] : undefined;
  if (!run || !idParam) return;
  const sequence = new CrudSequence(ctx, runs, run, collection, idParam);
  const created = await sequence.create();
  if (!created) return;
  if (!(await sequence.read(created, 'create'))) return;
  if (!(await sequence.list())) return;
  if (!(await sequence.update())) return;
  await sequence.remove();
}
