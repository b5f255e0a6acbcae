import type { IrOperation } from '../../ir/types.js';
import { PACKAGE_NAME } from '../../emit/header.js';
import { safeComment } from '../print/doc.js';
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
 * `msw.ts`: MSW v2 handlers, one per operation, answered by concord's mock engine (the pipeline `concord mock`
 * runs), so they behave like the contract's server: stateful by default (a POST's body comes back with an id a
 * later GET by that id returns; an unknown id answers the contract's 404), requests are validated (the contract's
 * 400/422 with a real problem body), credentials are required where the contract says (401), keyed writes replay.
 * Literal paths come before templated ones so `/pets/mine` is not caught by `/pets/:id`.
 */
export const mswGenerator: Generator = ({ ir, targets }) => {
  const operations = ir.operations
    .filter((op) => METHODS.has(op.method))
    .sort((a, b) => paramCount(a.path) - paramCount(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method < b.method ? -1 : 1));
  // With the mock target the document is already in mock.ts; otherwise it travels here.
  const shared = targets.has('mock');
  const lines: string[] = [
    `import { http, type HttpHandler } from 'msw';`,
    `import { createMockHandler, type MockHandlerOptions } from '${PACKAGE_NAME}/mock';`,
    ...(shared ? [`import { contractDocument } from './mock.js';`] : []),
    '',
    ...(shared
      ? []
      : [
          `const DOCUMENT_JSON = ${JSON.stringify(JSON.stringify(ir.bundledDocument))};`,
          '',
          `function contractDocument(): Record<string, unknown> {`,
          `  return JSON.parse(DOCUMENT_JSON) as Record<string, unknown>;`,
          `}`,
          '',
        ]),
    `export type MockHandlersOptions = Omit<MockHandlerOptions, 'spec'>;`,
    '',
    `/**`,
    ` * A fresh set of handlers with its own state (create one per test for isolation). Stateful unless`,
    ` * \`{ stateful: false }\`; \`seed\`, \`chaos\`, \`validate\` as for \`concord mock\`.`,
    ` */`,
    `export function createHandlers(options: MockHandlersOptions = {}): HttpHandler[] {`,
    `  const handler = createMockHandler({ stateful: true, ...options, spec: contractDocument() });`,
    `  const respond = async ({ request }: { request: Request }): Promise<Response> => (await handler)(request);`,
    `  return [`,
  ];
  for (const operation of operations) lines.push(handlerLine(operation));
  lines.push(
    '  ];',
    '}',
    '',
    `/** One handler per operation; spread them into \`setupServer(...handlers)\`. */`,
    `export const handlers: HttpHandler[] = createHandlers();`,
    '',
  );
  return { files: [{ path: 'msw.ts', content: lines.join('\n') }], runtime: [], exports: [] };
};

function handlerLine(operation: IrOperation): string {
  const doc = `    /** ${operation.method.toUpperCase()} ${safeComment(operation.path)} (${safeComment(operation.operationId ?? operation.name)}) */`;
  return `${doc}\n    http.${operation.method}(${JSON.stringify(mswPath(operation.path))}, respond),`;
}
