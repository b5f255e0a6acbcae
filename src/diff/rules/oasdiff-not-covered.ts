import { expand } from './oasdiff-map.js';

/**
 * oasdiff checks no concord rule reports, each with the reason why (listed in docs/diff-rules.md). Together with
 * oasdiff-map.ts this accounts for every id in docs/oasdiff-checks.tsv; test/diff/oasdiff-catalogue.test.ts keeps
 * it that way.
 */

export interface NotCovered {
  ids: string[];
  reason: string;
}

const x = (...patterns: string[]): string[] => patterns.flatMap(expand);

export const NOT_COVERED: NotCovered[] = [
  {
    ids: x('request-read-only-property-{enum-value-removed,max-decreased,exclusive-max-decreased,max-length-decreased,min-increased,exclusive-min-increased,max-items-decreased,max-properties-decreased}'),
    reason: 'a readOnly property is not part of the request (the generated request type omits it), so concord compares it on the response side only, where the same change is reported by the generic rule',
  },
  {
    ids: x('response-write-only-property-{enum-value-added,became-optional,became-required}', 'response-{optional,required}-write-only-property-{added,removed}'),
    reason: 'a writeOnly property is not part of the response (the generated response type omits it), so concord compares it on the request side only',
  },
  {
    ids: x('request-{optional,required}-property-became-{write-only,not-write-only}'),
    reason: 'writeOnly does not change what a client sends; the property stays in the generated request type',
  },
  {
    ids: x('response-{optional,required}-property-became-{read-only,not-read-only}'),
    reason: 'readOnly does not change what a server sends; the property stays in the generated response type',
  },
  {
    ids: ['api-security-component-oauth-scope-changed'],
    reason: "a scope's description changed: documentation only; scopes offered are compared by name (security-scheme-scope-added/-removed) and scopes required per operation (security-scope-added/-removed)",
  },
];
