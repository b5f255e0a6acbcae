import type { IrOperation, IrResponse } from '../ir/types.js';
import { PROBLEM_TYPES, type ProblemDetails } from '../../templates/runtime/problem.js';
import { fakeValid, hashSeed } from './fake/index.js';
import type { SchemaResolver } from './schema-resolver.js';
import type { Responder } from './respond.js';
import { problemOut } from './problem-out.js';
import type { MockResponse } from './types.js';

/**
 * Error answers the contract declares. The status is the declared one closest to the failure (an invalid body
 * answers 422 where the contract declares 422, else 400), and the body is the declared error schema holding the
 * real problem: its `title`/`detail`/`status` (or `message`/`error`/`code`) say what actually went wrong, never
 * seeded filler text. Without a declared error response the answer is RFC 9457 problem+json.
 */
export interface ContractErrorDeps {
  responder: Responder;
  resolver: SchemaResolver;
  seed: number;
}

/** Declared statuses to try, most specific first, per failure. */
function candidates(details: ProblemDetails): string[] {
  const status = String(details.status);
  const onBody = typeof details['pointer'] === 'string' && details['pointer'].startsWith('/body') || JSON.stringify(details['errors'] ?? details['issues'] ?? '').includes('"/body');
  // The pipeline refuses a body outside the schema with 422, parameters with 400: either is what the contract
  // declares for invalid input.
  if (details.status === 400 || (details.status === 422 && details.type === PROBLEM_TYPES.validation)) return onBody ? ['422', '400', '4XX', 'default'] : ['400', '422', '4XX', 'default'];
  return [status, `${status[0] ?? '4'}XX`, 'default'];
}

function declared(operation: IrOperation, details: ProblemDetails): { response: IrResponse; status: number } | undefined {
  for (const status of candidates(details)) {
    const response = operation.responses.find((r) => r.status === status);
    if (response) return { response, status: /^\d{3}$/.test(status) ? Number(status) : details.status };
  }
  return undefined;
}

export function contractError(deps: ContractErrorDeps, operation: IrOperation, details: ProblemDetails, accept: string | undefined, headers: Record<string, string> = {}): MockResponse {
  const selected = declared(operation, details);
  if (!selected) return problemOut(details, headers);
  const actual: ProblemDetails = { ...details, status: selected.status };
  const plan = deps.responder.plan(operation, selected, accept);
  if ('title' in plan || plan.media === undefined || plan.contentType === undefined || plan.media.encoding !== 'json') return problemOut(actual, headers);
  const validator = deps.responder.validatorFor(operation, plan.response, plan.media);
  const seed = hashSeed(deps.seed, 'error', operation.name, selected.status);
  const base = fakeValid(deps.responder.generator, plan.media.schema, validator, seed, { minimal: true });
  if (!base.valid || base.value === null || typeof base.value !== 'object' || Array.isArray(base.value)) return problemOut(actual, headers);
  const schema = deps.resolver.resolve(plan.media.schema);
  const declaredKeys = schema.kind === 'object' ? schema.properties.map((p) => p.name) : [];
  const body = overlay(base.value as Record<string, unknown>, declaredKeys, actual, (value) => validator === undefined || validator.safeParse(value).success);
  return { status: selected.status, headers: { ...headers, 'content-type': plan.contentType }, body: JSON.stringify(body) };
}

/** Field names error schemas use for the same facts, and where each fact comes from. */
const FIELDS: Array<[RegExp, (p: ProblemDetails) => unknown]> = [
  [/^type$/, (p) => p.type],
  [/^title$/, (p) => p.title],
  [/^(status|statusCode|status_code|code)$/, (p) => p.status],
  [/^(detail|details|message|msg|error|error_description|errorMessage|description|reason)$/, (p) => p.detail ?? p.title],
  [/^(code|error_code|errorCode)$/, (p) => p.type.replace(/^.*[:/]/, '').replace(/-/g, '_')],
  [/^instance$/, (p) => p.instance],
  [/^(errors|issues|invalid_params|invalidParams)$/, (p) => p['errors'] ?? p['issues']],
  [/^pointer$/, (p) => p['pointer']],
];

/**
 * Lay the real problem over a valid generated error object, one field at a time, keeping each replacement only
 * while the whole still validates (a `code` that must be an integer takes the status, one that must be a string
 * takes the problem type's slug).
 */
function overlay(base: Record<string, unknown>, declaredKeys: readonly string[], details: ProblemDetails, valid: (value: unknown) => boolean): Record<string, unknown> {
  let out: Record<string, unknown> = { ...base };
  // Optional properties the minimal base left out are filled too, but only ones the schema declares.
  for (const key of new Set([...Object.keys(base), ...declaredKeys])) {
    for (const [pattern, source] of FIELDS) {
      if (!pattern.test(key)) continue;
      const value = source(details);
      if (value === undefined) continue;
      const next = { ...out, [key]: value };
      if (valid(next)) {
        out = next;
        break;
      }
    }
  }
  return out;
}
