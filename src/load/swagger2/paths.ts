import { copyValue, decodeFragment, isExtension, isRecord, ptr, refNode, resolveInSource, stringList, warn } from './context.js';
import type { JsonObject, Resolved, UpgradeContext } from './context.js';
import { bodyRequest, convertParameter, formRequest, setIfAbsent } from './parameters.js';
import { convertResponses } from './responses.js';
import { buildServers } from './servers.js';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);
const COPIED_OPERATION_KEYS = new Set(['tags', 'summary', 'description', 'externalDocs', 'operationId', 'deprecated', 'security']);

interface ParamEntry {
  entry: unknown;
  /** Where the list item sits in the 2.0 document. */
  pointer: string;
  resolved: Resolved | undefined;
}

export function convertPaths(ctx: UpgradeContext, paths: unknown): JsonObject {
  const out: JsonObject = {};
  if (!isRecord(paths)) {
    warn(ctx, '/paths', '`paths` must be a map; no operations converted');
    return out;
  }
  for (const [key, item] of Object.entries(paths)) {
    const at = ptr('/paths', key);
    if (isExtension(key)) out[key] = copyValue(ctx, item, at);
    else if (!key.startsWith('/')) warn(ctx, at, 'path must start with "/"; dropped');
    else out[key] = convertPathItem(ctx, item, at);
  }
  return out;
}

function convertPathItem(ctx: UpgradeContext, item: unknown, pointer: string): JsonObject {
  const out: JsonObject = {};
  if (!isRecord(item)) {
    warn(ctx, pointer, 'path item is not an object; dropped');
    return out;
  }
  const entries = parameterEntries(ctx, item['parameters'], ptr(pointer, 'parameters'));
  const shared = entries.filter(isBodyLike);
  for (const [key, value] of Object.entries(item)) {
    const at = ptr(pointer, key);
    if (key === '$ref' && typeof value === 'string') {
      out['$ref'] = value;
      ctx.pendingRefs.push({ holder: out, pointer: at });
    } else if (key === 'parameters') {
      const parameters = convertParameterList(ctx, entries, at);
      if (parameters.length > 0) out['parameters'] = parameters;
    } else if (METHODS.has(key)) {
      out[key] = convertOperation(ctx, value, at, shared);
    } else if (isExtension(key)) {
      out[key] = copyValue(ctx, value, at);
    } else {
      warn(ctx, at, `"${key}" is not a path item field; dropped`);
    }
  }
  return out;
}

function parameterEntries(ctx: UpgradeContext, list: unknown, pointer: string): ParamEntry[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    warn(ctx, pointer, '`parameters` must be a list; dropped');
    return [];
  }
  return list.map((entry, index) => {
    const at = ptr(pointer, index);
    if (isRecord(entry) && !isPlainRef(entry)) return { entry, pointer: at, resolved: { value: entry, pointer: at, ref: undefined } };
    return { entry, pointer: at, resolved: resolveInSource(ctx, entry, at) };
  });
}

/** A `$ref` list item; one that also carries `in` is an (invalid but common) inline parameter typed by the ref. */
function isPlainRef(entry: unknown): entry is JsonObject & { $ref: string } {
  return isRecord(entry) && typeof entry['$ref'] === 'string' && typeof entry['in'] !== 'string';
}

function locationOf(entry: ParamEntry): unknown {
  return entry.resolved?.value['in'];
}

function isBodyLike(entry: ParamEntry): boolean {
  const location = locationOf(entry);
  return location === 'body' || location === 'formData';
}

/** Query, header and path parameters; a parameter reached through `$ref` stays a reference. */
function convertParameterList(ctx: UpgradeContext, entries: readonly ParamEntry[], outPointer: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const entry of entries) {
    if (isBodyLike(entry)) continue;
    const raw = entry.entry;
    if (isPlainRef(raw)) {
      if (entry.resolved !== undefined && typeof locationOf(entry) !== 'string') {
        warn(ctx, entry.pointer, `$ref "${raw.$ref}" does not point at a parameter; dropped`);
      } else {
        out.push(refNode(ctx, raw.$ref, ptr(entry.pointer, '$ref')));
      }
      continue;
    }
    if (entry.resolved === undefined) {
      warn(ctx, entry.pointer, 'parameter is not an object; dropped');
      continue;
    }
    const converted = convertParameter(ctx, entry.resolved.value, entry.pointer);
    if (converted === undefined) continue;
    const at = ptr(outPointer, out.length);
    setIfAbsent(ctx.moved, entry.pointer, at);
    setIfAbsent(ctx.moved, ptr(entry.pointer, 'items'), ptr(at, 'schema', 'items'));
    out.push(converted);
  }
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function convertOperation(ctx: UpgradeContext, operation: unknown, pointer: string, shared: readonly ParamEntry[]): JsonObject {
  const out: JsonObject = {};
  if (!isRecord(operation)) {
    warn(ctx, pointer, 'operation is not an object; dropped');
    return out;
  }
  const consumes = stringList(operation['consumes']) ?? ctx.consumes;
  const produces = stringList(operation['produces']) ?? ctx.produces;
  const entries = parameterEntries(ctx, operation['parameters'], ptr(pointer, 'parameters'));
  const requestBody = buildRequestBody(ctx, mergeBodyLike(shared, entries.filter(isBodyLike)), consumes, ptr(pointer, 'requestBody'));
  let bodyPlaced = requestBody === undefined;
  const placeBody = (): void => {
    if (!bodyPlaced && requestBody !== undefined) out['requestBody'] = requestBody;
    bodyPlaced = true;
  };
  for (const [key, value] of Object.entries(operation)) {
    const at = ptr(pointer, key);
    if (COPIED_OPERATION_KEYS.has(key) || isExtension(key)) {
      out[key] = copyValue(ctx, value, at);
    } else if (key === 'parameters') {
      const parameters = convertParameterList(ctx, entries, at);
      if (parameters.length > 0) out['parameters'] = parameters;
      placeBody();
    } else if (key === 'responses') {
      placeBody();
      out['responses'] = convertResponses(ctx, value, at, produces);
    } else if (key === 'schemes') {
      const schemes = stringList(value);
      if (schemes !== undefined && ctx.server.host !== undefined && !sameList(schemes, ctx.server.schemes)) {
        out['servers'] = buildServers({ ...ctx.server, schemes });
      }
    } else if (key !== 'consumes' && key !== 'produces') {
      warn(ctx, at, `"${key}" is not an operation field; dropped`);
    }
  }
  placeBody();
  return out;
}

function entryKey(entry: ParamEntry): string {
  return `${String(locationOf(entry))}:${String(entry.resolved?.value['name'])}`;
}

/** Operation-level parameters override path-level ones with the same name and location. */
function mergeBodyLike(shared: readonly ParamEntry[], own: readonly ParamEntry[]): ParamEntry[] {
  const overridden = new Set(own.map(entryKey));
  return [...shared.filter((entry) => !overridden.has(entryKey(entry))), ...own];
}

function buildRequestBody(ctx: UpgradeContext, entries: readonly ParamEntry[], consumes: readonly string[], outPointer: string): JsonObject | undefined {
  const bodies = entries.filter((entry) => locationOf(entry) === 'body');
  const forms = entries.filter((entry) => locationOf(entry) === 'formData');
  const body = bodies[bodies.length - 1];
  for (const extra of bodies.slice(0, -1)) {
    warn(ctx, extra.pointer, 'an operation can have only one body parameter; this one is ignored');
  }
  if (body?.resolved !== undefined) {
    for (const form of forms) warn(ctx, form.pointer, 'body and formData parameters cannot be combined; form parameter ignored');
    return bodyFromEntry(ctx, body.resolved, body.pointer, consumes, outPointer);
  }
  if (forms.length === 0) return undefined;
  const fields = forms.flatMap((entry) => (entry.resolved === undefined ? [] : [{ param: entry.resolved.value, pointer: entry.resolved.pointer }]));
  return formRequest(ctx, fields, consumes, outPointer);
}

/**
 * A body parameter reached through `#/parameters/X` reuses `#/components/requestBodies/X` when the operation
 * consumes exactly what the document does (the component was built with those media types); otherwise it is inlined.
 */
function bodyFromEntry(ctx: UpgradeContext, resolved: Resolved, pointer: string, consumes: readonly string[], outPointer: string): JsonObject {
  if (resolved.ref !== undefined) {
    const target = decodeFragment(resolved.ref);
    const component = target === undefined ? undefined : ctx.moved.get(target);
    if (component?.startsWith('/components/requestBodies/') === true && sameList(consumes, ctx.consumes)) {
      return refNode(ctx, resolved.ref, ptr(pointer, '$ref'));
    }
  }
  return bodyRequest(ctx, resolved.value, resolved.pointer, consumes, outPointer);
}
