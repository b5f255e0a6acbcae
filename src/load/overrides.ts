import { ConcordError } from '../errors.js';
import { resolvePointer, unescapePointerToken } from './parse.js';

/**
 * Repairs for faults in a contract the user cannot edit (a vendor's document). Applied to the parsed root document
 * before it is checked, so the repaired document is what every target and the mock see (and what the spec hash
 * covers). The contract check prints the override that would repair each fault it finds.
 */
export interface ContractOverrides {
  /** `METHOD /path` (as written in the document) -> the operationId to use instead. */
  operationIds?: Record<string, string> | undefined;
  /**
   * `/path/{template}` (or `*` for every path) -> { template name -> the path parameter it stands for }; a parameter
   * no operation declares is declared as a required string.
   */
  pathParameters?: Record<string, Record<string, string>> | undefined;
  /** JSON pointer in the root document -> the value to put there (any other fault: a type, a `$ref`); null removes. */
  patch?: Record<string, unknown> | undefined;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export function hasOverrides(overrides: ContractOverrides | undefined): overrides is ContractOverrides {
  return overrides !== undefined && Object.values(overrides).some((value) => isRecord(value) && Object.keys(value).length > 0);
}

/** Apply overrides in place. An override that names nothing in the document is a config error, not a silent no-op. */
export function applyOverrides(document: Record<string, unknown>, overrides: ContractOverrides, file: string, swagger2 = false): void {
  const patches = Object.entries(overrides.patch ?? {});
  for (const [pointer, value] of patches) if (value !== null) setAt(document, pointer, value, file);
  // Removals last and from the highest index down, so removing parameters/0 does not shift parameters/1 away.
  const removals = patches.filter(([, value]) => value === null).map(([pointer]) => pointer);
  for (const pointer of removals.sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))) setAt(document, pointer, undefined, file);
  const paths = isRecord(document['paths']) ? document['paths'] : {};
  for (const [key, operationId] of Object.entries(overrides.operationIds ?? {})) {
    const match = /^([a-z]+)\s+(\S+)$/i.exec(key.trim());
    const item = match?.[2] === undefined ? undefined : paths[match[2]];
    const operation = isRecord(item) ? item[(match?.[1] ?? '').toLowerCase()] : undefined;
    if (!isRecord(operation)) throw unmatched(`overrides.operationIds: no operation "${key}" in the document`, file);
    operation['operationId'] = operationId;
  }
  for (const [template, mapping] of Object.entries(overrides.pathParameters ?? {})) {
    const keys = template === '*' ? Object.keys(paths).filter((k) => Object.keys(mapping).some((from) => k.includes(`{${from}}`))) : [template];
    if (template !== '*' && !isRecord(paths[template])) throw unmatched(`overrides.pathParameters: no path "${template}" in the document`, file);
    for (const key of keys) mapTemplate(document, paths, key, mapping, swagger2, file);
  }
}

/**
 * `{from}` in the path stands for the path parameter `to`. The template is renamed (not the parameter: a parameter
 * may be a shared component other paths use as it is); a parameter `to` the operations do not declare is declared
 * as a required string, which is what a template segment is on the wire.
 */
function mapTemplate(document: Record<string, unknown>, paths: Record<string, unknown>, template: string, mapping: Record<string, string>, swagger2: boolean, file: string): void {
  let renamed = template;
  for (const [from, to] of Object.entries(mapping)) {
    if (!renamed.includes(`{${from}}`)) throw unmatched(`overrides.pathParameters: "${template}" has no {${from}}`, file);
    renamed = renamed.replace(`{${from}}`, `{${to}}`);
  }
  const item = paths[template];
  if (!isRecord(item)) return;
  for (const to of Object.values(mapping)) {
    const declared = (list: unknown): boolean => Array.isArray(list) && list.some((p) => {
      const ref = isRecord(p) ? p['$ref'] : undefined;
      const parameter = typeof ref === 'string' ? resolvePointer(document, ref) : p;
      return isRecord(parameter) && parameter['in'] === 'path' && parameter['name'] === to;
    });
    const operations = HTTP_METHODS.map((m) => item[m]).filter(isRecord);
    if (declared(item['parameters']) || (operations.length > 0 && operations.every((op) => declared(op['parameters'])))) continue;
    const parameter = swagger2 ? { name: to, in: 'path', required: true, type: 'string' } : { name: to, in: 'path', required: true, schema: { type: 'string' } };
    item['parameters'] = [...(Array.isArray(item['parameters']) ? item['parameters'] : []), parameter];
  }
  if (renamed === template) return;
  const entries = Object.entries(paths).map(([k, v]): [string, unknown] => [k === template ? renamed : k, v]);
  for (const key of Object.keys(paths)) delete paths[key];
  for (const [k, v] of entries) paths[k] = v;
}

function setAt(document: Record<string, unknown>, pointer: string, value: unknown, file: string): void {
  const tokens = pointer.replace(/^#/, '').split('/').slice(1).map(unescapePointerToken);
  const last = tokens.pop();
  const parent = resolvePointer(document, tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
  if (last === undefined || parent === null || typeof parent !== 'object') throw unmatched(`overrides.patch: "${pointer}" names no place in the document`, file);
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete (parent as Record<string, unknown>)[last];
  } else if (Array.isArray(parent)) parent[Number(last)] = value;
  else (parent as Record<string, unknown>)[last] = value;
}

function unmatched(message: string, file: string): ConcordError {
  return new ConcordError('CONFIG_INVALID', `${message}.`, {
    ...(file ? { location: { file } } : {}),
    hint: 'An override must name a place that exists in the document; copy the one the error message suggests.',
  });
}
