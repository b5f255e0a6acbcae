/**
 * The request body at the door of the provider router: read within the byte limit (413), match the declared media
 * type (415), decode within the parse limits (400 malformed, 422 limit exceeded), validate against the contract
 * (422). Nothing here runs a handler or claims an idempotency key: a refusal leaves no trace.
 */
import { LimitExceededError, type ParseLimits } from './parse-limits.js';
import { issuesToProblemIssues, problem, PROBLEM_TYPES, type ProblemDetails, type ProblemIssue } from './problem.js';
import { decodeBody, MalformedBodyError, matchMediaType } from './server-body.js';
import { BodyTooLargeError, type RawRequest, type RouteSpec, type ServerMediaSpec } from './server-types.js';
import { withDirection, type FormatPolicy } from './zod-helpers.js';

export type BodyRead =
  | { kind: 'refused'; details: ProblemDetails; headers: Array<[string, string]>; issues: ProblemIssue[] }
  | { kind: 'invalid'; issues: ProblemIssue[] }
  | { kind: 'empty'; bytes: Uint8Array<ArrayBuffer> }
  | { kind: 'body'; value: unknown; mediaType: string; bytes: Uint8Array<ArrayBuffer> };

function refused(
  status: number,
  type: string,
  detail: string,
  instance: string,
  extra: Record<string, unknown> = {},
  headers: Array<[string, string]> = [],
): BodyRead {
  const pointer = typeof extra['pointer'] === 'string' ? extra['pointer'] : '/body';
  return {
    kind: 'refused',
    details: problem(status, { type, detail, instance, ...extra }),
    headers,
    issues: [{ pointer, message: detail }],
  };
}

export async function readRequestBody(
  spec: RouteSpec,
  raw: RawRequest,
  limits: Readonly<Required<ParseLimits>>,
  instance: string,
  formats: FormatPolicy,
  validate = true,
): Promise<BodyRead> {
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await raw.body(limits.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return refused(413, PROBLEM_TYPES.tooLarge, error.message, instance, {
      limit: 'maxBodyBytes',
      max: limits.maxBodyBytes,
    });
  }
  if (spec.body.length === 0 || bytes.length === 0) {
    if (spec.body.length > 0 && spec.bodyRequired)
      return { kind: 'invalid', issues: [{ pointer: '/body', message: 'A request body is required' }] };
    return { kind: 'empty', bytes };
  }
  const contentType = raw.header('content-type') ?? '';
  const media = matchMediaType(spec.body, contentType) ?? (validate ? undefined : guessMedia(contentType));
  if (media === undefined) {
    const accepted = spec.body.map((m) => m.mediaType);
    return refused(
      415,
      PROBLEM_TYPES.unsupportedMediaType,
      `Content-Type "${contentType.slice(0, 200)}" is not accepted here`,
      instance,
      { accepted },
      [['accept', accepted.join(', ')]],
    );
  }
  let value: unknown;
  try {
    value = await decodeBody(media, contentType, bytes, limits);
  } catch (error) {
    if (error instanceof LimitExceededError)
      return refused(422, PROBLEM_TYPES.limitExceeded, error.message, instance, {
        pointer: error.pointer,
        limit: error.limit,
        max: error.max,
      });
    if (!(error instanceof MalformedBodyError)) throw error;
    return refused(400, PROBLEM_TYPES.malformed, error.message, instance, { pointer: '/body' });
  }
  const schema = validate ? spec.schemas.body?.[media.mediaType] : undefined;
  let parsed:
    | { success: true; data: unknown }
    | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
  try {
    parsed =
      schema === undefined
        ? { success: true, data: value }
        : withDirection('incoming', formats, () => schema.safeParse(value));
  } catch (error) {
    // A validator that overflows the stack on a value within the limits (a very deep recursive schema).
    if (!(error instanceof RangeError)) throw error;
    return refused(422, PROBLEM_TYPES.limitExceeded, 'The body is too deeply nested to validate', instance, {
      pointer: '/body',
    });
  }
  if (!parsed.success) return { kind: 'invalid', issues: issuesToProblemIssues(parsed.error.issues, '/body') };
  return { kind: 'body', value: parsed.data, mediaType: media.mediaType, bytes };
}

/** Without validation an undeclared media type is still read: as JSON when it says so, else as text. */
function guessMedia(contentType: string): ServerMediaSpec {
  const json = /json/i.test(contentType);
  return {
    mediaType: contentType.split(';')[0]?.trim() || 'application/octet-stream',
    encoding: json ? 'json' : 'text',
  };
}
