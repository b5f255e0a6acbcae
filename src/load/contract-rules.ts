import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { operationNameFromPath } from '../ir/naming.js';
import { escapePointerToken, resolvePointer, unescapePointerToken } from './parse.js';
import { NAME_MAPS } from './protect-refs.js';
import { closest } from './suggest.js';
import { HTTP_METHODS } from './overrides.js';

/** A fault that makes a contract unusable for generation or mocking. */
export interface ContractProblem {
  kind: 'broken-ref' | 'duplicate-operation-id' | 'path-template' | 'unknown-type';
  /** JSON pointer of the offending node in the root document. */
  pointer: string;
  message: string;
  /** "did you mean `NewPayment`?" */
  suggestion?: string;
  /** Config `overrides` entry that repairs the fault without editing the document (for vendors' contracts). */
  override?: Record<string, unknown>;
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const at = (pointer: string, key: string | number): string => `${pointer}/${escapePointerToken(String(key))}`;
const DATA_KEYS = new Set(['example', 'examples', 'default', 'const', 'enum']);

/**
 * Every `$ref` that resolves to nothing in this document (`#/...`) or names a local file that does not exist (when
 * `file` is a local path), with the closest existing name. Refs inside data (examples, defaults) and x- skipped.
 */
export function brokenRefs(doc: Json, file?: string): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const seen = new WeakSet<object>();
  // One shared trail, turned into a pointer only for a problem: this walk visits every node of the contract.
  const trail: Array<string | number> = [];
  const pointer = (): string => trail.map((key) => `/${escapePointerToken(String(key))}`).join('');
  const walk = (node: unknown, parentKey: string | undefined): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        trail.push(i);
        walk(item, undefined);
        trail.pop();
      });
      return;
    }
    const record = node as Json;
    const ref = record['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#') && resolvePointer(doc, ref) === undefined) problems.push(refProblem(doc, ref, pointer()));
    else if (typeof ref === 'string' && file !== undefined && !ref.startsWith('#')) {
      const missing = missingFileProblem(ref, file, pointer());
      if (missing) problems.push(missing);
    }
    const names = parentKey !== undefined && NAME_MAPS.has(parentKey);
    for (const key in record) {
      if (!names && (DATA_KEYS.has(key) || key.startsWith('x-'))) continue;
      const value = record[key];
      if (value === null || typeof value !== 'object') continue;
      trail.push(key);
      walk(value, names ? undefined : key);
      trail.pop();
    }
  };
  walk(doc, undefined);
  return problems;
}

function missingFileProblem(ref: string, file: string, pointer: string): ContractProblem | undefined {
  const filePart = ref.split('#')[0] ?? '';
  if (filePart === '' || /^[a-z][a-z0-9+.-]*:/i.test(filePart)) return undefined;
  let target: string;
  try {
    target = path.resolve(path.dirname(file), decodeURIComponent(filePart));
  } catch {
    return undefined;
  }
  if (existsSync(target)) return undefined;
  const dir = path.dirname(target);
  const siblings = existsSync(dir) ? readdirSync(dir) : [];
  const guess = closest(path.basename(target), siblings);
  const problem: ContractProblem = { kind: 'broken-ref', pointer: at(pointer, '$ref'), message: `$ref "${ref}" names a file that does not exist (${path.relative(process.cwd(), target) || target}).` };
  if (guess !== undefined) {
    const fixed = ref.replace(path.basename(filePart), guess);
    problem.suggestion = `did you mean \`${guess}\`?`;
    problem.override = { patch: { [problem.pointer]: fixed } };
  }
  return problem;
}

function refProblem(doc: Json, ref: string, pointer: string): ContractProblem {
  const tokens = ref.slice(1).split('/').slice(1);
  let parent: unknown = doc;
  let depth = 0;
  for (; depth < tokens.length - 1; depth++) {
    const next = resolvePointer(parent, `/${tokens[depth] ?? ''}`);
    if (next === undefined) break;
    parent = next;
  }
  const missing = unescapePointerToken(tokens[depth] ?? '');
  const guess = isRecord(parent) ? closest(missing, Object.keys(parent)) : undefined;
  const problem: ContractProblem = { kind: 'broken-ref', pointer: at(pointer, '$ref'), message: `$ref "${ref}" points at nothing ("${missing}" does not exist).` };
  if (guess !== undefined) {
    const fixed = `#/${[...tokens.slice(0, depth), escapePointerToken(guess)].join('/')}`;
    problem.suggestion = `did you mean \`${guess}\`?`;
    problem.override = { patch: { [problem.pointer]: fixed } };
  }
  return problem;
}

/** Operations in document order: [method, path, pointer of the operation, operation]. */
function operations(doc: Json): Array<[string, string, string, Json]> {
  const out: Array<[string, string, string, Json]> = [];
  for (const section of ['paths', 'webhooks']) {
    const items = doc[section];
    if (!isRecord(items)) continue;
    for (const [path, raw] of Object.entries(items)) {
      const item = pathItem(doc, raw);
      for (const method of HTTP_METHODS) {
        const operation = item?.[method];
        if (isRecord(operation)) out.push([method, path, at(at(`/${section}`, path), method), operation]);
      }
    }
  }
  return out;
}

function pathItem(doc: Json, raw: unknown): Json | undefined {
  const ref = isRecord(raw) ? raw['$ref'] : undefined;
  const resolved = typeof ref === 'string' && ref.startsWith('#') ? resolvePointer(doc, ref) : raw;
  return isRecord(resolved) ? resolved : undefined;
}

export function duplicateOperationIds(doc: Json): ContractProblem[] {
  const first = new Map<string, string>();
  const problems: ContractProblem[] = [];
  for (const [method, path, pointer, operation] of operations(doc)) {
    const id = operation['operationId'];
    if (typeof id !== 'string') continue;
    const label = `${method.toUpperCase()} ${path}`;
    const earlier = first.get(id);
    if (earlier === undefined) {
      first.set(id, label);
      continue;
    }
    const rename = operationNameFromPath(method, path);
    problems.push({
      kind: 'duplicate-operation-id',
      pointer: at(pointer, 'operationId'),
      message: `operationId "${id}" of ${label} is already used by ${earlier}; operationIds must be unique.`,
      suggestion: `rename it, e.g. \`${rename}\``,
      override: { operationIds: { [label]: rename } },
    });
  }
  return problems;
}

interface PathParameter {
  name: string;
  pointer: string;
}

const isExternal = (node: unknown): boolean => isRecord(node) && typeof node['$ref'] === 'string' && !node['$ref'].startsWith('#');

/** Path parameters of a list; undefined when one entry is in another file (the bundler reads it; we cannot tell). */
function pathParameters(doc: Json, list: unknown, pointer: string): PathParameter[] | undefined {
  if (!Array.isArray(list)) return [];
  const out: PathParameter[] = [];
  for (const [index, raw] of list.entries()) {
    if (isExternal(raw)) return undefined;
    const ref = isRecord(raw) ? raw['$ref'] : undefined;
    const parameter = typeof ref === 'string' ? resolvePointer(doc, ref) : raw;
    if (isRecord(parameter) && parameter['in'] === 'path' && typeof parameter['name'] === 'string') out.push({ name: parameter['name'], pointer: at(pointer, index) });
  }
  return out;
}

/** `{name}` in a path with no `in: path` parameter of that name, and path parameters the template does not name. */
export function pathTemplateMismatches(doc: Json): ContractProblem[] {
  const paths = doc['paths'];
  if (!isRecord(paths)) return [];
  const problems: ContractProblem[] = [];
  for (const [path, raw] of Object.entries(paths)) {
    const item = pathItem(doc, raw);
    if (!item) continue;
    const itemPointer = at('/paths', path);
    const template = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    const shared = pathParameters(doc, item['parameters'], at(itemPointer, 'parameters'));
    if (shared === undefined) continue;
    const missing = new Set<string>();
    const extra = new Map<string, PathParameter>();
    for (const method of HTTP_METHODS) {
      if (!isRecord(item[method]) || isExternal(item[method])) continue;
      const own = pathParameters(doc, item[method]['parameters'], at(at(itemPointer, method), 'parameters'));
      if (own === undefined) continue;
      const declared = [...shared.filter((s) => !own.some((o) => o.name === s.name)), ...own];
      for (const name of template) if (!declared.some((p) => p.name === name)) missing.add(name);
      for (const parameter of declared) if (!template.includes(parameter.name)) extra.set(parameter.pointer, parameter);
    }
    problems.push(...templateProblems(path, itemPointer, [...missing], [...extra.values()]));
  }
  return problems;
}

/** The declared parameter a template name most likely means: a close spelling, or `{id}` for `paymentId`. */
function partner(name: string, extra: PathParameter[]): string | undefined {
  const names = extra.map((p) => p.name);
  return closest(name, names) ?? names.find((n) => n.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(n.toLowerCase()));
}

function templateProblems(path: string, itemPointer: string, missing: string[], extra: PathParameter[]): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const paired = new Set<string>();
  for (const name of missing) {
    const guess = partner(name, extra);
    const problem: ContractProblem = { kind: 'path-template', pointer: itemPointer, message: `{${name}} in "${path}" has no \`in: path\` parameter named "${name}".` };
    if (guess !== undefined) {
      paired.add(guess);
      problem.suggestion = `did you mean \`${guess}\`?`;
      problem.override = { pathParameters: { [path]: { [name]: guess } } };
    } else {
      problem.suggestion = `declare a path parameter "${name}"`;
      problem.override = { pathParameters: { [path]: { [name]: name } } };
    }
    problems.push(problem);
  }
  for (const parameter of extra) {
    if (paired.has(parameter.name)) continue;
    problems.push({
      kind: 'path-template',
      pointer: parameter.pointer,
      message: `path parameter "${parameter.name}" does not appear in "${path}".`,
      suggestion: `add {${parameter.name}} to the path, or remove the parameter`,
      override: { patch: { [parameter.pointer]: null } },
    });
  }
  return problems;
}
