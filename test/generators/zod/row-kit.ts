import type { Subject } from './harness.js';

/**
 * One case of the schema-to-zod translation: the component schemas it needs (names are unique across all rows
 * of a version, so each version's rows share one document and one generated file), what is validated, and the
 * values that must pass and fail. `output` pins the parsed result (compared after a JSON round trip, which is
 * what goes over the wire: ignored keys are left `undefined` and vanish); `code` pins what the printed const says.
 */
export interface Row {
  name: string;
  version: '3.0' | '3.1';
  schemas?: Record<string, unknown>;
  paths?: Record<string, unknown>;
  subject: Subject;
  valid: unknown[];
  invalid: unknown[];
  output?: Array<{ input: unknown; want: unknown }>;
  code?: { has?: string[]; lacks?: string[] };
}

export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
export const str = { type: 'string' };
export const int = { type: 'integer' };
