import type { IrOperation } from '../../ir/types.js';
import { Responder, serialize } from '../../mock/respond.js';
import { ValidatorRegistry } from '../../validate/registry.js';
import { safeComment } from '../zod/generate.js';
import { printJson } from '../zod/print-expr.js';
import type { Generator } from '../registry.js';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** `/pets/{petId}` -> `* /pets/:petId` (any origin and base path); parameter names reduced to word characters. */
export function mswPath(path: string): string {
  return `*${path.replace(/\{([^{}]+)\}/g, (_whole, name: string) => `:${name.replace(/\W/g, '_') || 'param'}`)}`;
}

function paramCount(path: string): number {
  return (path.match(/\{/g) ?? []).length;
}

/**
 * `msw.ts`: MSW v2 handlers, one per operation, answering its first success response with the contract's first
 * example that passes the response validator, else seeded generated data that does (seed 1, so the file is the
 * same bytes on every run). Literal paths come before templated ones so `/pets/mine` is not caught by `/pets/:id`.
 */
export const mswGenerator: Generator = ({ ir }) => {
  const responder = new Responder(ir, new ValidatorRegistry(ir), 1);
  const operations = ir.operations
    .filter((op) => METHODS.has(op.method))
    .sort((a, b) => paramCount(a.path) - paramCount(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : 1));
  const lines: string[] = [
    `import { http, HttpResponse } from 'msw';`,
    '',
    `/** One handler per operation; spread them into \`setupServer(...handlers)\` or \`setupWorker(...handlers)\`. */`,
    `export const handlers = [`,
  ];
  for (const operation of operations) lines.push(handler(responder, operation));
  lines.push('];', '');
  return { files: [{ path: 'msw.ts', content: lines.join('\n') }], runtime: [], exports: [] };
};

function handler(responder: Responder, operation: IrOperation): string {
  const doc = `  /** ${operation.method.toUpperCase()} ${safeComment(operation.path)} (${safeComment(operation.operationId ?? operation.name)}) */`;
  const route = JSON.stringify(mswPath(operation.path));
  const selected = responder.selectResponse(operation, undefined);
  const fallback = `${doc}\n  http.${operation.method}(${route}, () => new HttpResponse(null, { status: 204 })),`;
  if ('title' in selected) return fallback;
  const plan = responder.plan(operation, selected, undefined);
  if ('title' in plan) return fallback;
  const status = plan.status;
  if (plan.media === undefined || plan.contentType === undefined) return `${doc}\n  http.${operation.method}(${route}, () => new HttpResponse(null, { status: ${status} })),`;
  const produced = responder.body(operation, plan, new Map(), operation.path);
  if ('title' in produced) return fallback;
  const init = `{ status: ${status}, headers: { 'Content-Type': ${JSON.stringify(plan.contentType)} } }`;
  if (plan.media.encoding === 'json' && !plan.media.streaming) {
    return `${doc}\n  http.${operation.method}(${route}, () => HttpResponse.json(${printJson(produced.value ?? null)}, ${init})),`;
  }
  return `${doc}\n  http.${operation.method}(${route}, () => new HttpResponse(${JSON.stringify(serialize(produced.value, plan.media))}, ${init})),`;
}
