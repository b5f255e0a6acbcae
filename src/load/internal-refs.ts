import { resolvePointer } from './parse.js';

// A `#/...` pointer the ref resolver keeps exactly as written: no characters a URL fragment would percent-encode
// or decode, so its canonical form (what bundling writes back into `$ref`) is the string itself.
const PLAIN_POINTER = /^#(\/[A-Za-z0-9_.~-]+)+$/;

/**
 * True when bundling `root` would change nothing: every `$ref` in it is a plain internal pointer whose target is
 * reached through plain values (no `$ref` on the way or at the end). Bundling such a document only rewrites each
 * `$ref` to its own canonical form, and walks the whole document once per reference to find out (1.8 s on the
 * Kubernetes contract), so the loader skips it. Anything else (a file or URL ref, a ref through a ref, an encoded
 * pointer) goes through the bundler as before.
 */
export function onlyPlainInternalRefs(root: unknown): boolean {
  const checked = new Map<string, boolean>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    const ref = record['$ref'];
    // A non-string `$ref` is no reference to the resolver (Kubernetes has a property named `$ref`): plain data.
    if (typeof ref === 'string') {
      let plain = checked.get(ref);
      if (plain === undefined) {
        plain = PLAIN_POINTER.test(ref) && reachedPlainly(root, ref);
        checked.set(ref, plain);
      }
      if (!plain) return false;
    }
    for (const key in record) {
      const value = record[key];
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return true;
}

/** The pointer's target exists, and neither it nor any value on the way to it is itself a `$ref`. */
function reachedPlainly(root: unknown, ref: string): boolean {
  const tokens = ref.slice(2).split('/');
  for (let i = 0; i <= tokens.length; i++) {
    const value = i === 0 ? root : resolvePointer(root, `#/${tokens.slice(0, i).join('/')}`);
    if (value === null || typeof value !== 'object') return false;
    if (Object.prototype.hasOwnProperty.call(value, '$ref')) return false;
  }
  return true;
}
