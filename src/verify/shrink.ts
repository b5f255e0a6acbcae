import type { IrOperation } from '../ir/types.js';
import type { VerifyContext } from './context.js';
import type { WireResponse } from './transport.js';
import { cloneValues, type RequestValues } from './values.js';
import { encodeRequest, readBack, type EncodedRequest } from './wire.js';

/**
 * Shrinks a failing request to a minimal one that still fails the same way: drop optional parameters, then
 * the optional body, then body properties and array items, then shorten strings. A candidate is tried only if
 * it is still valid against the request validators, so the shrunk request is one the contract allows.
 */

type Step = (values: RequestValues) => RequestValues | undefined;

const MAX_SHRINK_REQUESTS = 40;

function jsonPaths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = [], depth = 0): Array<Array<string | number>> {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      jsonPaths(item, [...prefix, i], out, depth + 1);
    });
    return out;
  }
  for (const [key, item] of Object.entries(value)) {
    out.push([...prefix, key]);
    jsonPaths(item, [...prefix, key], out, depth + 1);
  }
  return out;
}

function parentAt(root: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = root;
  for (const key of path.slice(0, -1)) current = (current as Record<string | number, unknown>)[key];
  return current;
}

function removeAt(values: RequestValues, path: ReadonlyArray<string | number>): RequestValues | undefined {
  const next = cloneValues(values);
  if (!next.body) return undefined;
  const parent = parentAt(next.body.value, path);
  const last = path[path.length - 1];
  if (last === undefined || parent === null || typeof parent !== 'object') return undefined;
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Record<string, unknown>)[last];
  return next;
}

function shortenAt(values: RequestValues, path: ReadonlyArray<string | number>): RequestValues | undefined {
  const next = cloneValues(values);
  if (!next.body) return undefined;
  const parent = parentAt(next.body.value, path) as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last === undefined) return undefined;
  const current = parent[last];
  if (typeof current !== 'string' || current.length <= 1) return undefined;
  parent[last] = current.slice(0, Math.floor(current.length / 2));
  return next;
}

function steps(operation: IrOperation, values: RequestValues): Step[] {
  const out: Step[] = [];
  for (const p of operation.parameters) {
    if (!p.required && Object.hasOwn(values[p.in], p.name)) {
      out.push((v) => {
        const next = cloneValues(v);
        delete next[p.in][p.name];
        return next;
      });
    }
  }
  if (values.body && operation.requestBody?.required !== true) {
    out.push((v) => {
      const next = cloneValues(v);
      delete next.body;
      return next;
    });
  }
  if (values.body) {
    // Deepest first within a level would cost more tries; shallow removals take whole subtrees at once.
    const paths = jsonPaths(values.body.value).sort((a, b) => a.length - b.length);
    for (const path of paths) out.push((v) => removeAt(v, path));
    for (const path of paths) out.push((v) => shortenAt(v, path));
  }
  return out;
}

export interface Shrunk {
  encoded: EncodedRequest;
  response: WireResponse | undefined;
  requests: number;
}

export async function shrinkRequest(
  ctx: VerifyContext,
  operation: IrOperation,
  start: { encoded: EncodedRequest; response: WireResponse | undefined },
  attempt: (values: RequestValues) => Promise<{ encoded: EncodedRequest; response: WireResponse | undefined; fails: boolean } | undefined>,
): Promise<Shrunk> {
  let best = start;
  let requests = 0;
  let improved = true;
  while (improved && requests < MAX_SHRINK_REQUESTS) {
    improved = false;
    for (const step of steps(operation, best.encoded.values)) {
      if (requests >= MAX_SHRINK_REQUESTS) break;
      const candidate = step(best.encoded.values);
      if (!candidate) continue;
      const encoded = await encodeRequest(ctx, operation, candidate);
      if (!encoded || !(await readBack(ctx, operation, encoded)).valid) continue;
      requests++;
      const result = await attempt(candidate);
      if (result?.fails) {
        best = { encoded: result.encoded, response: result.response };
        improved = true;
        break;
      }
    }
  }
  return { ...best, requests };
}
