import type { HttpMethod, IrOperation, IrParameter } from '../types.js';

export interface IdempotencyOptions {
  /** Header that carries keys (default `Idempotency-Key`). */
  header: string;
  /** operation names or `METHOD /path` strings that config marks as keyed. */
  keyed: ReadonlySet<string>;
}

/**
 * One decision, used by client, mock and server alike (DESIGN.md, Idempotency):
 * safe methods -> safe; PUT/DELETE -> idempotent; a declared key header, `x-idempotency: true` or config -> keyed;
 * any other write -> none. `x-idempotency: false` opts a write out of keying.
 */
export function decideIdempotency(method: HttpMethod, name: string, path: string, parameters: IrParameter[], extension: unknown, options: IdempotencyOptions): IrOperation['idempotency'] {
  const header = options.header;
  const declared = parameters.find((p) => p.in === 'header' && p.name.toLowerCase() === header.toLowerCase());
  if (declared) return { mode: 'keyed', header: declared.name, required: declared.required, source: 'header-parameter' };
  if (extension === true || (typeof extension === 'object' && extension !== null && (extension as Record<string, unknown>)['enabled'] !== false)) {
    const required = typeof extension === 'object' && extension !== null && (extension as Record<string, unknown>)['required'] === true;
    return { mode: 'keyed', header, required, source: 'x-idempotency' };
  }
  if (options.keyed.has(name) || options.keyed.has(`${method.toUpperCase()} ${path}`)) return { mode: 'keyed', header, required: false, source: 'config' };
  if (method === 'get' || method === 'head' || method === 'options' || method === 'trace' || method === 'query') return { mode: 'safe', header, required: false, source: 'method' };
  if (method === 'put' || method === 'delete') return { mode: 'idempotent', header, required: false, source: 'method' };
  return { mode: 'none', header, required: false, source: 'method' };
}
