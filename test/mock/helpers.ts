import { decodeResponseBody } from '../../templates/runtime/http.js';
import type { BodyEncoding } from '../../templates/runtime/operation-spec.js';
/** Shared pieces for the mock tests: the shared corpus, credentials for an operation, client-like decoding. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { startMockServer, type MockServer, type MockServerOptions } from '../../src/mock/index.js';
import path from 'node:path';
import type { IrDocument, IrOperation } from '../../src/ir/types.js';

export const SHARED_SPECS = path.resolve(process.cwd(), '../shared/specs');
export const HAVE_SHARED = existsSync(path.join(SHARED_SPECS, 'INDEX.tsv'));

/** Root documents listed in the corpus index (first column), as absolute paths. */
export function corpus(): string[] {
  if (!HAVE_SHARED) return [];
  return readFileSync(path.join(SHARED_SPECS, 'INDEX.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t')[0] ?? '')
    .filter((file) => file !== '')
    .map((file) => path.join(SHARED_SPECS, file));
}

/** Headers and query that satisfy the first security alternative of an operation. */
export function credentials(ir: IrDocument, operation: IrOperation): { headers: Record<string, string>; query: string } {
  const headers: Record<string, string> = {};
  const query: string[] = [];
  for (const entry of operation.security[0] ?? []) {
    const scheme = ir.securitySchemes.find((s) => s.key === entry.scheme);
    if (!scheme) continue;
    if (scheme.kind === 'http-basic') headers['authorization'] = 'Basic dXNlcjpwYXNz';
    else if (scheme.kind === 'http-other') headers['authorization'] = `${scheme.scheme} token`;
    else if (scheme.kind === 'api-key' && scheme.in === 'header') headers[scheme.name.toLowerCase()] = 'key';
    else if (scheme.kind === 'api-key' && scheme.in === 'query') query.push(`${encodeURIComponent(scheme.name)}=key`);
    else if (scheme.kind === 'api-key') headers['cookie'] = `${scheme.name}=key`;
    else if (scheme.kind === 'hmac') headers[scheme.header.toLowerCase()] = 'sig';
    else if (scheme.kind !== 'mutual-tls') headers['authorization'] = 'Bearer token';
  }
  return { headers, query: query.join('&') };
}

/** Decodes a response body exactly as the generated client does (the same function). */
export async function decodeLikeClient(response: Response, encoding: BodyEncoding | undefined): Promise<unknown> {
  return decodeResponseBody(response, encoding);
}

export function matchDeclared<T>(responses: ReadonlyArray<{ status: string } & T>, status: number): ({ status: string } & T) | undefined {
  return responses.find((r) => r.status === String(status)) ?? responses.find((r) => r.status === `${String(status)[0]}XX`) ?? responses.find((r) => r.status === 'default');
}

export interface ClientResult {
  ok: boolean;
  status: number;
  data?: unknown;
  error?: unknown;
  response: Response;
}
export type ClientCall = (input?: Record<string, unknown>, options?: Record<string, unknown>) => Promise<ClientResult>;
export interface ClientModule {
  createClient(options: Record<string, unknown>): Record<string, ClientCall>;
}

/**
 * Generates code for `spec` into `.tmp/<unique>` inside the repository (so the generated files' `zod` import
 * resolves from node_modules) and returns the directory; the caller removes it.
 */
export async function generateInto(spec: string, targets: Array<'types' | 'zod' | 'client' | 'mock' | 'msw'>, label: string): Promise<string> {
  const { generate } = await import('../../src/generate.js');
  const out = path.resolve(process.cwd(), '.tmp', `mock-${label}-${process.pid}-${Date.now().toString(36)}`);
  await generate({ spec, out, targets, format: false, validate: false });
  return out;
}

export async function importClient(dir: string): Promise<ClientModule> {
  return (await import(path.join(dir, 'client.ts'))) as ClientModule;
}

/** Calls by operation name, failing clearly when the generated client lacks one. */
export function op(client: Record<string, ClientCall>, name: string): ClientCall {
  const call = client[name];
  if (call === undefined) throw new Error(`generated client has no operation ${name}`);
  return call;
}

export interface ClientAgainstMock<Module extends { createClient(options: Record<string, unknown>): unknown }> {
  /** The generated module (`index.ts`): createClient and the error classes it exports. */
  readonly mod: Module;
  /** `mod.createClient({ baseUrl: mock.url })`. */
  readonly api: ReturnType<Module['createClient']>;
  readonly mock: MockServer;
}

/**
 * Generates types + zod + client for `spec` and starts a mock of the same contract, once for the describe block (or
 * file) that calls this; both are removed after its tests. Read the fields inside tests or later hooks.
 */
export function useClientAgainstMock<Module extends { createClient(options: Record<string, unknown>): unknown }>(
  spec: string,
  label: string,
  mockOptions: Omit<MockServerOptions, 'spec'> = {},
): ClientAgainstMock<Module> {
  let dir = '';
  let state: { mod: Module; api: ReturnType<Module['createClient']>; mock: MockServer } | undefined;
  let mock: MockServer | undefined;
  beforeAll(async () => {
    dir = await generateInto(spec, ['types', 'zod', 'client'], label);
    const mod = (await import(path.join(dir, 'index.ts'))) as Module;
    mock = await startMockServer({ ...mockOptions, spec });
    state = { mod, api: mod.createClient({ baseUrl: mock.url }) as ReturnType<Module['createClient']>, mock };
  }, 60_000);
  afterAll(async () => {
    await mock?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const ready = () => {
    if (state === undefined) throw new Error('the generated client is read before beforeAll generated it');
    return state;
  };
  return {
    get mod() {
      return ready().mod;
    },
    get api() {
      return ready().api;
    },
    get mock() {
      return ready().mock;
    },
  };
}
