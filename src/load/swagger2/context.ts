/**
 * Shared state of one Swagger 2.0 -> OpenAPI 3.0 upgrade. Conversion builds fresh objects and never touches the
 * input; `$ref` strings are copied verbatim and recorded in `pendingRefs`, then rewritten in one pass at the end,
 * because a ref may point at a node (a path's response schema, say) that is only placed later in the walk.
 */

export type JsonObject = Record<string, unknown>;

export interface UpgradeWarning {
  message: string;
  /** RFC 6901 pointer into the Swagger 2.0 document. */
  pointer: string;
}

export interface PendingRef {
  /** The output object whose `$ref` still holds the 2.0 string. */
  holder: JsonObject;
  /** Where the ref sat in the 2.0 document, for warnings. */
  pointer: string;
}

export interface ServerBase {
  host: string | undefined;
  basePath: string;
  schemes: string[];
}

export interface UpgradeContext {
  readonly source: JsonObject;
  readonly file: string | undefined;
  readonly warnings: UpgradeWarning[];
  /** 2.0 pointer -> 3.0 pointer for every node whose location changed; looked up by longest prefix. */
  readonly moved: Map<string, string>;
  readonly pendingRefs: PendingRef[];
  readonly consumes: readonly string[];
  readonly produces: readonly string[];
  readonly server: ServerBase;
  /** Guards against a (non-bundled, dereferenced) input whose objects contain themselves. */
  readonly active: WeakSet<object>;
}

export const DEFAULT_MEDIA_TYPE = 'application/json';

export function isRecord(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isExtension(key: string): boolean {
  return key.startsWith('x-');
}

export function warn(ctx: UpgradeContext, pointer: string, message: string): void {
  ctx.warnings.push({ message, pointer });
}

function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Appends unescaped segments to an RFC 6901 pointer. */
export function ptr(base: string, ...segments: Array<string | number>): string {
  return segments.reduce<string>((acc, segment) => `${acc}/${escapeSegment(segment)}`, base);
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A non-empty list of strings, or undefined: an empty `consumes` means "not said", like an absent one. */
export function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === 'string');
  return strings.length > 0 ? strings : undefined;
}

/** Output node with a `$ref` that is rewritten by the final pass. */
export function refNode(ctx: UpgradeContext, ref: string, pointer: string): JsonObject {
  const holder: JsonObject = { $ref: ref };
  ctx.pendingRefs.push({ holder, pointer });
  return holder;
}

/**
 * Deep copy of a value that is not a 2.0 structure we understand (extensions, info, tags). Internal `$ref`s in it
 * are still rewritten, so no `#/definitions/...` survives anywhere.
 */
export function copyValue(ctx: UpgradeContext, value: unknown, pointer: string): unknown {
  if (Array.isArray(value)) return value.map((item, index) => copyValue(ctx, item, ptr(pointer, index)));
  if (!isRecord(value)) return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) out[key] = copyValue(ctx, item, ptr(pointer, key));
  if (typeof out['$ref'] === 'string' && out['$ref'].startsWith('#/')) ctx.pendingRefs.push({ holder: out, pointer });
  return out;
}

/** Copies the `x-` keys of `from` onto `to`. */
export function copyExtensions(ctx: UpgradeContext, from: JsonObject, to: JsonObject, pointer: string): void {
  for (const [key, value] of Object.entries(from)) {
    if (isExtension(key)) to[key] = copyValue(ctx, value, ptr(pointer, key));
  }
}

/** Walks an RFC 6901 pointer (already URI-decoded) through a JSON tree. */
export function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = unescapeSegment(raw);
    if (Array.isArray(node)) {
      node = /^\d+$/.test(token) ? node[Number(token)] : undefined;
    } else if (isRecord(node) && Object.hasOwn(node, token)) {
      node = node[token];
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

export function decodeFragment(ref: string): string | undefined {
  if (!ref.startsWith('#')) return undefined;
  try {
    return decodeURIComponent(ref.slice(1));
  } catch {
    return ref.slice(1);
  }
}

export interface Resolved {
  value: JsonObject;
  /** 2.0 pointer of the object finally reached. */
  pointer: string;
  /** The first `$ref` followed, if any. */
  ref: string | undefined;
}

/** Follows internal `$ref` chains in the 2.0 document (parameters, responses) to the object they name. */
export function resolveInSource(ctx: UpgradeContext, node: unknown, pointer: string): Resolved | undefined {
  let current: unknown = node;
  let at = pointer;
  let firstRef: string | undefined;
  const seen = new Set<string>();
  while (isRecord(current) && typeof current['$ref'] === 'string') {
    const ref = current['$ref'];
    firstRef ??= ref;
    const target = decodeFragment(ref);
    if (target === undefined) {
      warn(ctx, at, `external $ref "${ref}" cannot be followed; bundle ${ctx.file ?? 'the document'} first`);
      return undefined;
    }
    if (seen.has(target)) {
      warn(ctx, at, `$ref "${ref}" is circular`);
      return undefined;
    }
    seen.add(target);
    const next = resolvePointer(ctx.source, target);
    if (next === undefined) {
      warn(ctx, at, `$ref "${ref}" points at nothing`);
      return undefined;
    }
    current = next;
    at = target;
  }
  return isRecord(current) ? { value: current, pointer: at, ref: firstRef } : undefined;
}
