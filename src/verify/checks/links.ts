import type { IrLink, IrOperation } from '../../ir/types.js';
import type { VerifyContext } from '../context.js';
import type { OperationRun } from '../operation-run.js';
import { generateCase, setParam, type RequestValues } from '../values.js';
import { acceptFor, encodeRequest } from '../wire.js';
import { judgeResponse, matchDeclared } from './response.js';
import type { PositiveCase } from './positive.js';
import { freshKey } from './positive.js';

/**
 * `stateful`, from the contract's `links`: each 2xx answer that declares links is followed by the linked call,
 * its parameters filled from runtime expressions (`$response.body#/id`, `$request.path.name`, ...). The linked
 * answer goes through the response checks, and must be a declared, non-5xx status.
 */

interface Exchange {
  values: RequestValues;
  url: string;
  method: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function pointerGet(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root;
  let current = root;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** One runtime expression (OpenAPI 3, "Runtime Expressions"); undefined when it names nothing. */
export function evaluate(expression: string, exchange: Exchange): unknown {
  if (expression === '$url') return exchange.url;
  if (expression === '$method') return exchange.method;
  if (expression === '$statusCode') return exchange.status;
  const body = /^\$(request|response)\.body(?:#(.*))?$/.exec(expression);
  if (body) return pointerGet(body[1] === 'request' ? exchange.values.body?.value : exchange.body, body[2] ?? '');
  const part = /^\$request\.(path|query|header)\.(.+)$/.exec(expression);
  if (part) {
    const location = part[1] as 'path' | 'query' | 'header';
    const name = part[2] as string;
    const values = exchange.values[location];
    const key = Object.keys(values).find((k) => (location === 'header' ? k.toLowerCase() === name.toLowerCase() : k === name));
    return key === undefined ? undefined : values[key];
  }
  const header = /^\$response\.header\.(.+)$/.exec(expression);
  if (header) return exchange.headers[(header[1] as string).toLowerCase()];
  return undefined;
}

/** A link parameter value: a whole expression, a string with `{expressions}` inside, or a constant. */
function valueOf(raw: unknown, exchange: Exchange): unknown {
  if (typeof raw !== 'string') return raw;
  if (raw.startsWith('$')) return evaluate(raw, exchange);
  if (!raw.includes('{$')) return raw;
  let missing = false;
  const text = raw.replace(/\{(\$[^}]+)\}/g, (_whole, expr: string) => {
    const value = evaluate(expr, exchange);
    if (value === undefined) missing = true;
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
  return missing ? undefined : text;
}

function targetOf(ctx: VerifyContext, link: IrLink): IrOperation | undefined {
  if (link.operationId !== undefined) return ctx.ir.operations.find((op) => op.operationId === link.operationId);
  const ref = link.operationRef;
  if (ref === undefined || !ref.startsWith('#')) return undefined;
  return ctx.ir.operations.find((op) => op.pointer === decodeURIComponent(ref.slice(1)));
}

function linkedValues(ctx: VerifyContext, target: IrOperation, link: IrLink, exchange: Exchange): RequestValues | undefined {
  const values = generateCase(ctx, target, 1);
  for (const [key, raw] of Object.entries(link.parameters)) {
    const qualified = /^(path|query|header|cookie)\.(.+)$/.exec(key);
    const param = target.parameters.find((p) => (qualified ? p.in === qualified[1] && p.name === qualified[2] : p.name === key));
    if (!param) continue;
    const value = valueOf(raw, exchange);
    if (value === undefined) return undefined;
    setParam(values, param.in, param.name, value);
  }
  if (link.requestBody !== undefined && values.body) values.body.value = valueOf(link.requestBody, exchange);
  return values;
}

function json(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function runLinks(ctx: VerifyContext, runs: ReadonlyMap<IrOperation, OperationRun>, source: OperationRun, cases: readonly PositiveCase[]): Promise<void> {
  const operation = source.operation;
  for (const declared of operation.responses) {
    if (!declared.links) continue;
    const origin = cases.find((c) => c.response !== undefined && c.response.status < 300 && matchDeclared(operation, c.response.status) === declared);
    if (!origin?.response) continue;
    const exchange: Exchange = { values: origin.encoded.values, url: origin.encoded.wire.url, method: origin.encoded.wire.method, status: origin.response.status, headers: origin.response.headers, body: json(origin.response.body) };
    for (const link of declared.links) {
      const target = targetOf(ctx, link);
      const targetRun = target ? runs.get(target) : undefined;
      if (!target || !targetRun) continue;
      const values = linkedValues(ctx, target, link, exchange);
      if (!values) {
        source.skip(`link ${link.name}: an expression names nothing in the ${declared.status} answer`);
        continue;
      }
      const encoded = await encodeRequest(ctx, target, values, freshKey(ctx, target, `link-${link.name}`));
      if (!encoded) continue;
      const result = await targetRun.send(encoded.wire);
      if (!result.ok) continue;
      for (const verdict of judgeResponse(ctx, target, acceptFor(target), result.response)) {
        targetRun.tally(verdict.check, verdict.passed);
        if (!verdict.passed) targetRun.fail({ check: verdict.check, message: `${verdict.message ?? verdict.check} (following link ${link.name} from ${operation.operationId ?? operation.name})`, pointer: verdict.pointer ?? '', contractPointer: verdict.contractPointer ?? target.pointer, request: encoded.wire, response: result.response, requestsToFind: 2 });
      }
      const passed = result.response.status < 500 && (target.responses.length === 0 || matchDeclared(target, result.response.status) !== undefined);
      source.tally('stateful', passed);
      if (!passed) source.fail({ check: 'stateful', message: `following link ${link.name} to ${target.operationId ?? target.name} got ${result.response.status}`, pointer: '/status', contractPointer: link.pointer, request: encoded.wire, response: result.response, requestsToFind: 2 });
    }
  }
}
