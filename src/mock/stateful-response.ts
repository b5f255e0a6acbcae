import type { IrMediaType, IrOperation, IrResponse, IrSchema } from '../ir/types.js';
import { problem, PROBLEM_TYPES } from '../../templates/runtime/problem.js';
import { createRng, fakeValid, hashSeed } from './fake/index.js';
import type { SchemaResolver } from './schema-resolver.js';
import type { Responder } from './respond.js';
import type { Collection, Item, StatefulHelpers, StatefulResult } from './stateful.js';
import type { MockResponse } from './types.js';
import { problemOut } from './problem-out.js';
import { linkHeader, type MockPage } from './paginate.js';
import { contractError } from './contract-error.js';

/** Turns the stateful store's outcomes into declared responses (or problem+json when the contract has none). */

type Selected = { response: IrResponse; status: number };

export interface StatefulResponseDeps {
  responder: Responder;
  resolver: SchemaResolver;
  /** Renders a declared response the ordinary way (examples or generated data). */
  answer(operation: IrOperation, selected: Selected): MockResponse;
}

function successJson(operation: IrOperation | undefined): { response: IrResponse; media: IrMediaType } | undefined {
  const response = operation?.responses.find((r) => r.status.startsWith('2') && r.content.some((m) => m.encoding === 'json'));
  const media = response?.content.find((m) => m.encoding === 'json');
  return response && media ? { response, media } : undefined;
}

export function statefulHelpers(responder: Responder, seed: number): StatefulHelpers {
  const firstExample = (operation: IrOperation | undefined): unknown => {
    const found = successJson(operation);
    return found ? responder.examples(found.media)[0]?.value : undefined;
  };
  return {
    seedItems(collection: Collection) {
      const out: unknown[] = [];
      const list = firstExample(collection.operations.list);
      if (Array.isArray(list)) out.push(...list);
      else if (list !== null && typeof list === 'object') out.push(...(Object.values(list).find(Array.isArray) ?? []));
      const read = firstExample(collection.operations.read);
      if (read !== null && typeof read === 'object' && !Array.isArray(read)) {
        const id = collection.idProperty;
        const duplicate = id !== undefined && out.some((item) => item !== null && typeof item === 'object' && (item as Item)[id] === (read as Item)[id]);
        if (!duplicate) out.push(read);
      }
      return out;
    },
    baseItem(collection: Collection, n: number) {
      const operation = successJson(collection.operations.read) ? collection.operations.read : collection.operations.create;
      const found = successJson(operation);
      if (!operation || !found) return undefined;
      const validator = responder.validatorFor(operation, found.response, found.media);
      const { value } = fakeValid(responder.generator, found.media.schema, validator, hashSeed(seed, 'base', collection.template, n), { minimal: true });
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Item) : undefined;
    },
    fakeId(schema: IrSchema, n: number) {
      return responder.generator.generate(schema, createRng(hashSeed(seed, 'id', n)));
    },
  };
}

function pick(operation: IrOperation, preferred: string[]): Selected | undefined {
  for (const status of preferred) {
    const found = operation.responses.find((r) => r.status === status);
    if (found) return { response: found, status: Number(status) };
  }
  const success = operation.responses.find((r) => /^2\d\d$/.test(r.status));
  if (success) return { response: success, status: Number(success.status) };
  const range = operation.responses.find((r) => r.status === '2XX');
  return range ? { response: range, status: 200 } : undefined;
}

function render(deps: StatefulResponseDeps, operation: IrOperation, selected: Selected, accept: string | undefined, requestPath: string, value: unknown): MockResponse {
  const plan = deps.responder.plan(operation, selected, accept);
  if ('title' in plan) return problemOut({ ...plan, instance: requestPath });
  if (!plan.media || plan.media.encoding !== 'json' || !plan.contentType) return { status: plan.status, headers: {}, body: undefined };
  const headers: Record<string, string> = { 'content-type': plan.contentType };
  const validator = deps.responder.validatorFor(operation, plan.response, plan.media);
  // Stored data is checked before it is served, so the mock never answers outside the contract: data that no longer
  // fits (a request could not make it so, but a seed example could) is replaced by the declared response's own.
  if (validator && !validator.safeParse(value).success) {
    const fallback = deps.answer(operation, selected);
    fallback.headers['x-concord-mock-warning'] = 'stored data does not match the response schema; generated data served';
    return fallback;
  }
  return { status: plan.status, headers, body: JSON.stringify(value) };
}

function setPath(target: Item, path: readonly string[], value: unknown): void {
  let current = target;
  path.forEach((key, index) => {
    if (index === path.length - 1) {
      if (value === undefined) delete current[key];
      else Object.defineProperty(current, key, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    const next = current[key];
    const copy: Item = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Item) } : {};
    Object.defineProperty(current, key, { value: copy, enumerable: true, writable: true, configurable: true });
    current = copy;
  });
}

/** A page in the contract's pagination style: items, `has_more` and the next cursor where the IR says they go. */
function shapePage(deps: StatefulResponseDeps, operation: IrOperation, selected: Selected, accept: string | undefined, page: MockPage, seed: number): unknown {
  const pagination = operation.pagination;
  const plan = deps.responder.plan(operation, selected, accept);
  if (!pagination || 'title' in plan || !plan.media || plan.media.encoding !== 'json') return undefined;
  if (pagination.items.length === 0) return page.items;
  const validator = deps.responder.validatorFor(operation, plan.response, plan.media);
  const base = fakeValid(deps.responder.generator, plan.media.schema, validator, seed).value;
  const out: Item = base !== null && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Item) } : {};
  setPath(out, pagination.items, page.items);
  if (pagination.hasMore) setPath(out, pagination.hasMore, page.hasMore);
  if (pagination.nextCursor?.from === 'field') {
    setPath(out, pagination.nextCursor.path, page.nextCursor);
    // A required (non-nullable) cursor field at the end: an empty string, which clients read as "no more".
    if (page.nextCursor === undefined && validator && !validator.safeParse(out).success) setPath(out, pagination.nextCursor.path, '');
  }
  return out;
}

/** A list shaped like the declared response: the array itself, or a wrapper object whose one array holds it. */
function shapeList(deps: StatefulResponseDeps, operation: IrOperation, selected: Selected, accept: string | undefined, items: Item[], seed: number): unknown {
  const plan = deps.responder.plan(operation, selected, accept);
  if ('title' in plan || !plan.media || plan.media.encoding !== 'json') return undefined;
  const schema = deps.resolver.resolve(plan.media.schema);
  if (schema.kind === 'array') return items.slice(0, schema.maxItems ?? items.length);
  if (schema.kind !== 'object') return undefined;
  const arrays = schema.properties.filter((p) => deps.resolver.resolve(p.schema).kind === 'array');
  const [holder] = arrays;
  if (arrays.length !== 1 || holder === undefined) return undefined;
  const validator = deps.responder.validatorFor(operation, plan.response, plan.media);
  const base = fakeValid(deps.responder.generator, plan.media.schema, validator, seed).value;
  if (base === null || typeof base !== 'object') return undefined;
  const out: Item = { ...(base as Item) };
  Object.defineProperty(out, holder.name, { value: items, enumerable: true, writable: true, configurable: true });
  return out;
}

export function statefulResponse(deps: StatefulResponseDeps, operation: IrOperation, result: StatefulResult, accept: string | undefined, requestPath: string, basePath: string, seed: number): MockResponse | undefined {
  switch (result.kind) {
    case 'skip':
      return undefined;
    case 'not-found': {
      return contractError({ ...deps, seed }, operation, problem(404, { type: PROBLEM_TYPES.notFound, detail: `No item with id "${result.id}".`, instance: requestPath }), accept);
    }
    case 'deleted': {
      const selected = pick(operation, ['204', '200', '202']);
      return selected ? deps.answer(operation, selected) : { status: 204, headers: {}, body: undefined };
    }
    case 'item': {
      const selected = pick(operation, result.created ? ['201', '200'] : ['200', '201']);
      if (!selected) return undefined;
      const out = render(deps, operation, selected, accept, requestPath, result.value);
      if (result.location !== undefined) out.headers['location'] = `${basePath}${result.location}`;
      return out;
    }
    case 'list': {
      const selected = pick(operation, ['200']);
      if (!selected) return undefined;
      const listSeed = hashSeed(seed, 'list', operation.name);
      const value = result.page ? shapePage(deps, operation, selected, accept, result.page, listSeed) : shapeList(deps, operation, selected, accept, result.items, listSeed);
      if (value === undefined) return undefined;
      const out = render(deps, operation, selected, accept, requestPath, value);
      if (result.page?.nextQuery && operation.pagination?.linkHeader === true) out.headers['link'] = linkHeader(`${basePath}${requestPath}`, result.page.nextQuery);
      return out;
    }
  }
}
