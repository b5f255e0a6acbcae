import SwaggerParser from '@apidevtools/swagger-parser';
import type { Diagnostic } from './diagnostics.js';
import type { OpenApiDocument } from './load.js';

export interface AjvDetail {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * Structural validation against the OpenAPI JSON schema. Real APIs are rarely valid by the letter, so every finding
 * is a warning here; the IR builder raises errors for the problems that make generation impossible.
 */
export async function validateStructure(document: OpenApiDocument, file: string): Promise<Diagnostic[]> {
  try {
    await SwaggerParser.validate(structuredClone(document) as never, VALIDATE_OPTIONS as never);
    return [];
  } catch (error) {
    return summariseValidation({ details: (error as { details?: AjvDetail[] }).details, message: error instanceof Error ? error.message : String(error) }, file);
  }
}

// Circular refs stay `$ref`s while the schema is checked (the parser does that anyway); `ignore` also skips the
// parser's second, full dereference of a cyclic document after the check, whose result nothing reads (~1 s on
// Kubernetes). The 3.x "spec" checks that follow are a no-op in the parser.
export const VALIDATE_OPTIONS = { resolve: { external: false }, dereference: { circular: 'ignore' } } as const;

/** What a failed validation left: ajv's findings, or only a message. */
export interface ValidationFailure {
  details?: AjvDetail[] | undefined;
  message: string;
}

export function summariseValidation(failure: ValidationFailure, file: string): Diagnostic[] {
  if (!Array.isArray(failure.details)) return [{ level: 'warning', code: 'SPEC_VALIDATION', message: failure.message.split('\n')[0] ?? failure.message, file }];
  return summarise(failure.details, file);
}

// ajv reports each failing oneOf branch; the branch noise ("must have required property '$ref'", "must match
// exactly one schema in oneOf") hides the one useful line, so keep the most specific message per location.
function summarise(details: AjvDetail[], file: string): Diagnostic[] {
  const byPointer = new Map<string, string[]>();
  for (const detail of details) {
    if (detail.keyword === 'oneOf' || detail.keyword === 'anyOf' || detail.params?.['missingProperty'] === '$ref') continue;
    const pointer = detail.instancePath ?? '';
    let message = detail.message ?? 'is invalid';
    if (detail.keyword === 'additionalProperties' && typeof detail.params?.['additionalProperty'] === 'string') {
      message = `has unknown property "${detail.params['additionalProperty']}"`;
    }
    if (detail.keyword === 'enum' && Array.isArray(detail.params?.['allowedValues'])) continue;
    const list = byPointer.get(pointer) ?? [];
    if (!list.includes(message)) list.push(message);
    byPointer.set(pointer, list);
  }
  return [...byPointer.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([pointer, messages]) => ({ level: 'warning' as const, code: 'SPEC_VALIDATION', message: messages.join('; '), file, pointer }));
}
