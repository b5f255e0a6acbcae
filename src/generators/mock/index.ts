import type { Generator } from '../registry.js';
import { PACKAGE_NAME } from '../../emit/header.js';

/**
 * `mock.ts`: `startMock(options)` starts concord's mock server for the contract this output was generated from.
 * The bundled document travels inside the file (as a JSON string, parsed once on first use), so the mock needs
 * neither the original spec file nor its `$ref`ed neighbours at test time.
 */
export const mockGenerator: Generator = ({ ir }) => {
  const json = JSON.stringify(ir.bundledDocument);
  const content = [
    `import { startMockServer, type MockServer, type MockServerOptions } from '${PACKAGE_NAME}/mock';`,
    '',
    `const DOCUMENT_JSON = ${JSON.stringify(json)};`,
    '',
    `let parsed: Record<string, unknown> | undefined;`,
    '',
    `/** The bundled OpenAPI document this output was generated from. */`,
    `export function contractDocument(): Record<string, unknown> {`,
    `  parsed ??= JSON.parse(DOCUMENT_JSON) as Record<string, unknown>;`,
    `  return parsed;`,
    `}`,
    '',
    `export type StartMockOptions = Omit<MockServerOptions, 'spec'>;`,
    '',
    `/**`,
    ` * Starts concord's mock server for this contract on 127.0.0.1 (a free port unless \`port\` is given), stateful`,
    ` * unless \`{ stateful: false }\`: a created resource is echoed with an id that a later GET by that id returns.`,
    ` * \`const mock = await startMock(); const api = createClient({ baseUrl: mock.url }); ... await mock.close();\``,
    ` */`,
    `export function startMock(options: StartMockOptions = {}): Promise<MockServer> {`,
    `  return startMockServer({ stateful: true, ...options, spec: contractDocument() });`,
    `}`,
    '',
  ].join('\n');
  return { files: [{ path: 'mock.ts', content }], runtime: [], exports: [] };
};
