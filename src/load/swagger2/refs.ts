import { decodeFragment, isRecord, unescapeSegment, warn } from './context.js';
import type { UpgradeContext } from './context.js';

/**
 * Rewrites every recorded `$ref` from its 2.0 target to the 3.0 location of the same node, by the longest
 * prefix in `ctx.moved` (so `#/definitions/A/properties/b` follows `/definitions` -> `/components/schemas`).
 * Targets that do not exist in the converted document are reported at the 2.0 location of the ref.
 */
export function rewriteRefs(ctx: UpgradeContext, document: unknown): void {
  // Many refs name the same target (Kubernetes: thousands of refs, a few hundred definitions): map each once.
  // Rewriting a ref changes only the string, so whether a walk meets a `$ref` (see `exists`) stays the same.
  const rewritten = new Map<string, { rewrite: string | undefined; found: boolean }>();
  for (const { holder, pointer } of ctx.pendingRefs) {
    const ref = holder['$ref'];
    if (typeof ref !== 'string') continue;
    let known = rewritten.get(ref);
    if (known === undefined) {
      const target = decodeFragment(ref);
      if (target === undefined) {
        warn(ctx, pointer, `external $ref "${ref}" left as is; bundle ${ctx.file ?? 'the document'} before upgrading it`);
        continue;
      }
      const mapped = mapPointer(ctx.moved, target);
      known = { rewrite: mapped === undefined ? undefined : `#${encodeFragment(mapped)}`, found: exists(document, mapped ?? target) };
      rewritten.set(ref, known);
    }
    if (!known.found) warn(ctx, pointer, `$ref "${ref}" points at nothing in the converted document`);
    if (known.rewrite !== undefined) holder['$ref'] = known.rewrite;
  }
}

export function mapPointer(moved: ReadonlyMap<string, string>, pointer: string): string | undefined {
  const segments = pointer.split('/');
  for (let length = segments.length; length > 1; length -= 1) {
    const to = moved.get(segments.slice(0, length).join('/'));
    if (to !== undefined) return [to, ...segments.slice(length)].join('/');
  }
  return undefined;
}

/** Percent-encodes what a URI fragment cannot hold, keeping the characters RFC 3986 allows there readable. */
export function encodeFragment(pointer: string): string {
  return pointer
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%(24|26|2B|2C|3B|3D|3A|40)/gi, (escape) => decodeURIComponent(escape)))
    .join('/');
}

/**
 * True when the pointer reaches a node. A walk that runs into another `$ref` cannot be judged without resolving it,
 * so it counts as existing.
 */
function exists(root: unknown, pointer: string): boolean {
  if (pointer === '') return true;
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const token = unescapeSegment(raw);
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(token) || Number(token) >= node.length) return false;
      node = node[Number(token)];
    } else if (isRecord(node)) {
      if (!Object.hasOwn(node, token)) return typeof node['$ref'] === 'string';
      node = node[token];
    } else {
      return false;
    }
  }
  return true;
}
