import { ConcordError } from '../../errors.js';
import { escapePointerToken, resolvePointer } from '../../load/parse.js';
import type { Diagnostic } from '../../load/diagnostics.js';
import type { OpenApiDocument } from '../../load/load.js';
import type { IrNamedSchema, JsonPointer } from '../types.js';
import { NameRegistry } from '../naming.js';

export type JsonObject = Record<string, unknown>;

/** State shared by the builders of one document. */
export interface BuildContext {
  doc: OpenApiDocument;
  file: string;
  diagnostics: Diagnostic[];
  /** `/components/schemas/<key>` -> identifier. */
  componentNames: Map<string, string>;
  /** Schemas hoisted out of non-component positions because they recurse. */
  hoisted: IrNamedSchema[];
  hoistedNames: Map<string, string>;
  schemaNames: NameRegistry;
  /** Pointers of non-component refs currently being inlined (to detect cycles through them). */
  inlineStack: string[];
  /** Cache of built non-component ref targets. */
  idempotencyHeader: string;
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function child(pointer: JsonPointer, ...tokens: Array<string | number>): JsonPointer {
  // Called for every node of the document: no array per call, and escaping only when a token needs it.
  let out = pointer;
  for (const token of tokens) {
    const text = typeof token === 'number' ? String(token) : token;
    out += '/' + (text.includes('~') || text.includes('/') ? escapePointerToken(text) : text);
  }
  return out;
}

export { resolvePointer };

export function refToPointer(ref: string): JsonPointer | undefined {
  if (!ref.startsWith('#')) return undefined;
  const fragment = ref.slice(1);
  if (!fragment.includes('%')) return fragment;
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * Follow `$ref` chains for non-schema objects (parameters, responses, request bodies, headers, path items).
 * Returns the target and the pointer it lives at; a broken ref is an error with the referencing location.
 */
export function deref(ctx: BuildContext, node: unknown, pointer: JsonPointer): { node: JsonObject; pointer: JsonPointer } {
  let current = node;
  let at = pointer;
  const seen = new Set<string>();
  while (isObject(current) && typeof current['$ref'] === 'string') {
    const ref = current['$ref'];
    const target = refToPointer(ref);
    if (target === undefined || seen.has(target)) {
      throw new ConcordError('SPEC_REF', `$ref "${ref}" ${target === undefined ? 'is not an internal reference after bundling' : 'is circular'}.`, {
        location: { file: ctx.file, pointer: at },
      });
    }
    seen.add(target);
    const resolved = resolvePointer(ctx.doc, target);
    if (resolved === undefined) {
      throw new ConcordError('SPEC_REF', `$ref "${ref}" points at nothing.`, { location: { file: ctx.file, pointer: at } });
    }
    current = resolved;
    at = target;
  }
  if (!isObject(current)) {
    throw new ConcordError('SPEC_INVALID', `Expected an object here, found ${current === null ? 'null' : typeof current}.`, {
      location: { file: ctx.file, pointer: at },
    });
  }
  return { node: current, pointer: at };
}

export function warn(ctx: BuildContext, code: string, message: string, pointer: JsonPointer): void {
  ctx.diagnostics.push({ level: 'warning', code, message, file: ctx.file, pointer });
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
