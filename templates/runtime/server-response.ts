/**
 * A handler's answer checked against the contract (declared status, media type, body schema) and turned into a
 * raw response; problem+json responses; conversions between raw and web responses.
 */
import {
  issuesToProblemIssues,
  problem,
  problemText,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type ProblemIssue,
} from './problem.js';
import { encodeBody } from './server-body.js';
import type { HandlerResult, RawResponse, RouteSpec, ServerMediaSpec } from './server-types.js';

export const PROBLEM_RESPONSE_INVALID = 'urn:concord:problem:response-invalid';
export const PROBLEM_HANDLER_FAILED = 'urn:concord:problem:handler-failed';

export function problemRaw(details: ProblemDetails, headers: Array<[string, string]> = []): RawResponse {
  return {
    status: details.status,
    headers: [['content-type', PROBLEM_CONTENT_TYPE], ...headers],
    body: problemText(details),
  };
}

/** Declared response for a status: exact code, then `4XX`-style range, then `default`. */
export function declaredResponse(
  route: RouteSpec,
  status: number,
): { key: string; media: readonly ServerMediaSpec[] } | undefined {
  for (const key of [String(status), `${String(status)[0]}XX`, 'default']) {
    const media = route.responses[key];
    if (media !== undefined) return { key, media };
  }
  return undefined;
}

function isHandlerResult(value: unknown): value is HandlerResult {
  if (typeof value !== 'object' || value === null) return false;
  const status = Reflect.get(value, 'status');
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599;
}

export type ResponseCheck =
  { ok: true; response: RawResponse } | { ok: false; status: number | null; reason: string; issues: ProblemIssue[] };

function headerList(headers: unknown): Array<[string, string]> {
  if (typeof headers !== 'object' || headers === null) return [];
  return Object.entries(headers).flatMap(([name, value]): Array<[string, string]> =>
    value === undefined || value === null ? [] : [[name, String(value)]],
  );
}

/**
 * With `validate`, a status, media type or body the contract does not declare is refused (the caller answers 500
 * and reports it); without, the handler's answer goes out as it is.
 */
export function checkResponse(route: RouteSpec, result: unknown, validate: boolean): ResponseCheck {
  if (!isHandlerResult(result)) {
    return {
      ok: false,
      status: null,
      reason: 'The handler did not return { status, body } with a status between 100 and 599',
      issues: [],
    };
  }
  const declared = declaredResponse(route, result.status);
  if (validate && declared === undefined) {
    return {
      ok: false,
      status: result.status,
      reason: `Status ${result.status} is not declared for ${route.id}`,
      issues: [],
    };
  }
  const list = declared?.media ?? [];
  const media = result.contentType === undefined ? list[0] : list.find((m) => m.mediaType === result.contentType);
  if (validate) {
    if (result.contentType !== undefined && media === undefined && list.length > 0) {
      return {
        ok: false,
        status: result.status,
        reason: `Media type ${result.contentType} is not declared for ${route.id} ${declared?.key ?? ''}`,
        issues: [],
      };
    }
    if (list.length === 0 && result.body !== undefined) {
      return {
        ok: false,
        status: result.status,
        reason: `Response ${declared?.key ?? result.status} of ${route.id} declares no body`,
        issues: [],
      };
    }
    const schema =
      media === undefined || declared === undefined
        ? undefined
        : route.schemas.responses[declared.key]?.[media.mediaType];
    if (schema !== undefined && media?.streaming !== true) {
      const parsed = schema.safeParse(result.body);
      if (!parsed.success) {
        return {
          ok: false,
          status: result.status,
          reason: `The response body does not match the contract of ${route.id} ${declared?.key ?? ''}`,
          issues: issuesToProblemIssues(parsed.error.issues, '/body'),
        };
      }
    }
  }
  const encoded = encodeBody(media, result.body, result.contentType);
  const headers = headerList(result.headers);
  if (encoded.contentType !== undefined && !headers.some(([name]) => name.toLowerCase() === 'content-type'))
    headers.unshift(['content-type', encoded.contentType]);
  const bodyless = result.status === 204 || result.status === 304 || result.status < 200;
  return { ok: true, response: { status: result.status, headers, body: bodyless ? null : encoded.body } };
}

export function toWebResponse(raw: RawResponse, method: string): Response {
  const empty = method === 'HEAD' || raw.status === 204 || raw.status === 304 || raw.status === 205 || raw.status < 200;
  return new Response(empty ? null : raw.body, { status: raw.status, headers: raw.headers });
}

export async function fromWebResponse(response: Response): Promise<RawResponse> {
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, name) => headers.push([name, value]));
  const bytes = response.body === null ? null : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers, body: bytes };
}
