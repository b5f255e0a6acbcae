import type { HttpMethod, IrOperation, IrRetryPolicy, IrSecurityRequirement, IrServer, JsonPointer } from '../types.js';
import { NameRegistry, operationNameFromPath, valueIdentifier } from '../naming.js';
import { buildParameters } from './parameter.js';
import { buildRequestBody, buildResponses } from './content.js';
import { buildSecurityRequirements } from './security.js';
import { decideIdempotency, type IdempotencyOptions } from './idempotency.js';
import { child, deref, isObject, optionalString, type BuildContext, type JsonObject } from './context.js';
import { retryPolicyFromContract } from '../../../templates/runtime/retry-contract.js';

export const METHODS: HttpMethod[] = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'];

export interface OperationScope {
  ctx: BuildContext;
  names: NameRegistry;
  defaultSecurity: IrSecurityRequirement[];
  idempotency: IdempotencyOptions;
  /** Prefix for names of operations without an operationId (webhooks, callbacks). */
  namePrefix?: string;
  /** Operation names, operationIds or `METHOD /path` strings that config marks as critical (alerts per operation). */
  critical?: ReadonlySet<string>;
  /** The document's retry policy, for operations without their own. */
  retry?: IrRetryPolicy;
}

/** Every operation of a paths-like map (`paths`, `webhooks`, a callback), in document order. */
export function buildOperations(scope: OperationScope, paths: unknown, pointer: JsonPointer): IrOperation[] {
  if (!isObject(paths)) return [];
  const out: IrOperation[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    if (path.startsWith('x-')) continue;
    const { node: item, pointer: itemPointer } = deref(scope.ctx, rawItem, child(pointer, path));
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      out.push(buildOperation(scope, method, path, item, op, itemPointer, child(itemPointer, method)));
    }
    // OpenAPI 3.2: methods beyond the fixed ones (PURGE, LINK, ...), keyed by their exact (upper-case) name.
    const additional = item['additionalOperations'];
    if (isObject(additional)) {
      for (const [name, op] of Object.entries(additional)) {
        if (!isObject(op) || !/^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$/.test(name) || METHODS.includes(name.toLowerCase())) continue;
        out.push(buildOperation(scope, name.toLowerCase(), path, item, op, itemPointer, child(itemPointer, 'additionalOperations', name)));
      }
    }
  }
  return out;
}

function buildOperation(scope: OperationScope, method: HttpMethod, path: string, item: JsonObject, op: JsonObject, itemPointer: JsonPointer, pointer: JsonPointer): IrOperation {
  const { ctx } = scope;
  const operationId = optionalString(op['operationId']);
  const base = operationId !== undefined && valueIdentifier(operationId) !== 'operation' ? valueIdentifier(operationId) : operationNameFromPath(method, path);
  const name = scope.names.claim(scope.namePrefix ? valueIdentifier(`${scope.namePrefix} ${base}`) : base);
  const parameters = buildParameters(ctx, item['parameters'], op['parameters'], itemPointer, pointer);
  const requestBody = buildRequestBody(ctx, op['requestBody'], child(pointer, 'requestBody'));
  const operation: IrOperation = {
    name,
    method,
    path,
    deprecated: op['deprecated'] === true,
    tags: Array.isArray(op['tags']) ? op['tags'].filter((t): t is string => typeof t === 'string') : [],
    parameters,
    responses: buildResponses(ctx, op['responses'], child(pointer, 'responses')),
    security: buildSecurityRequirements(op['security']) ?? scope.defaultSecurity,
    idempotency: decideIdempotency(method, name, path, parameters, op['x-idempotency'] ?? item['x-idempotency'], scope.idempotency),
    callbacks: [],
    pointer,
  };
  if (operationId !== undefined) operation.operationId = operationId;
  if (requestBody) operation.requestBody = requestBody;
  const summary = optionalString(op['summary']) ?? optionalString(item['summary']);
  if (summary !== undefined) operation.summary = summary;
  const description = optionalString(op['description']) ?? optionalString(item['description']);
  if (description !== undefined) operation.description = description;
  const marked = scope.critical;
  if (op['x-concord-critical'] === true || (marked !== undefined && (marked.has(name) || (operationId !== undefined && marked.has(operationId)) || marked.has(`${method.toUpperCase()} ${path}`))))
    operation.critical = true;
  const retry = buildRetryPolicy(op['x-concord-retries'] ?? op['x-speakeasy-retries']) ?? scope.retry;
  if (retry) operation.retry = retry;
  if (operation.responses.some((r) => r.status.startsWith('2') && r.content.some((m) => m.stream !== undefined))) {
    operation.stream = { resumable: (op['x-concord-resumable'] ?? item['x-concord-resumable']) === true };
  }
  const servers = buildServers(op['servers'] ?? item['servers']);
  if (servers) operation.servers = servers;
  if (isObject(op['callbacks'])) {
    for (const [callbackName, rawCallback] of Object.entries(op['callbacks'])) {
      const { node, pointer: callbackPointer } = deref(ctx, rawCallback, child(pointer, 'callbacks', callbackName));
      const operations = buildOperations({ ...scope, namePrefix: `${name} ${callbackName}` }, node, callbackPointer);
      operation.callbacks.push({ name: callbackName, operations });
    }
  }
  return operation;
}

/** Speakeasy's `x-speakeasy-retries` shape, also accepted as `x-concord-retries`: read by the runtime's own parser. */
export function buildRetryPolicy(raw: unknown): IrRetryPolicy | undefined {
  return retryPolicyFromContract(raw);
}

export function buildServers(raw: unknown): IrServer[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.filter(isObject).map((server) => {
    const variables: IrServer['variables'] = {};
    if (isObject(server['variables'])) {
      for (const [key, value] of Object.entries(server['variables'])) {
        if (!isObject(value)) continue;
        const enumValues = Array.isArray(value['enum']) ? value['enum'].map(String) : undefined;
        variables[key] = { default: String(value['default'] ?? ''), ...(enumValues ? { enum: enumValues } : {}) };
      }
    }
    const description = optionalString(server['description']);
    return { url: optionalString(server['url']) ?? '/', variables, ...(description === undefined ? {} : { description }) };
  });
}
