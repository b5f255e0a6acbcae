import { problemText, PROBLEM_CONTENT_TYPE, type ProblemDetails } from '../../templates/runtime/problem.js';
import type { MockResponse } from './types.js';

export function problemOut(details: ProblemDetails, headers: Record<string, string> = {}): MockResponse {
  return { status: details.status, headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE }, body: problemText(details) };
}
