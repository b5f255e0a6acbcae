import type { Level } from '../types.js';

/**
 * Which oasdiff checks each concord rule covers, oasdiff's level where it differs from concord's, and the written
 * reason when concord's level is higher. oasdiff's ERR is breaking, WARN warning, INFO info. The check ids and
 * levels are oasdiff's published checks list as known to this project (no network here to re-read it); they are
 * listed in docs/diff-rules.md, which a test keeps in step with this file.
 *
 * concord's profile never goes below oasdiff's level, so it flags a superset; it goes above where yesterday's
 * generated client would throw or stop compiling. The generated client validates every response with the zod
 * schema of the old contract, so a response that may now carry values the old schema rejects is breaking for it.
 */

export interface OasdiffMapping {
  ids: string[];
  /** oasdiff's level per direction, when it differs from concord's (concord's then carries `reason`). */
  request?: Level;
  response?: Level;
  document?: Level;
  reason?: string;
}

const CLIENT_VALIDATES = "concord's generated client validates responses against the old schema and throws on values it did not allow";

export const OASDIFF: Record<string, OasdiffMapping> = {
  // paths
  'path-added': { ids: ['endpoint-added'] },
  'path-removed': { ids: ['api-path-removed-without-deprecation'] },
  'deprecated-path-removed': { ids: ['api-path-removed-with-deprecation'], request: 'info', reason: 'a client generated before the deprecation still calls it and gets 404' },
  'operation-added': { ids: ['endpoint-added'] },
  'operation-removed': { ids: ['api-removed-without-deprecation'] },
  'deprecated-operation-removed': { ids: ['api-removed-with-deprecation'], request: 'info', reason: 'a client generated before the deprecation still calls it and fails' },
  'operation-deprecated': { ids: ['endpoint-deprecated'] },
  'operation-renamed': { ids: ['api-operation-id-removed', 'api-operation-id-added'], request: 'info', reason: 'the generated function is named after the operationId: code calling the old name no longer compiles' },
  // parameters
  'parameter-added-required': { ids: ['new-required-request-parameter'] },
  'parameter-added-optional': { ids: ['new-optional-request-parameter'] },
  'parameter-removed': { ids: ['request-parameter-removed'] },
  'deprecated-parameter-removed': { ids: ['request-parameter-removed-with-deprecation'] },
  'parameter-moved': { ids: ['request-parameter-removed', 'new-required-request-parameter'] },
  'parameter-became-required': { ids: ['request-parameter-became-required'] },
  'parameter-became-optional': { ids: ['request-parameter-became-optional'] },
  'parameter-style-changed': { ids: ['request-parameter-style-changed', 'request-parameter-explode-changed'] },
  'parameter-deprecated': { ids: ['request-parameter-deprecated'] },
  'path-parameter-renamed': { ids: [], reason: 'the generated input type names path parameters: `{ path: { petId } }` no longer compiles as `{ path: { id } }`' },
  'parameter-default-changed': { ids: ['request-parameter-default-value-changed', 'request-parameter-default-value-added', 'request-parameter-default-value-removed'] },
  // request body
  'request-body-added-required': { ids: ['request-body-added-required'] },
  'request-body-added-optional': { ids: ['request-body-added-optional'] },
  'request-body-removed': { ids: ['request-body-removed'] },
  'request-body-became-required': { ids: ['request-body-became-required'] },
  'request-body-became-optional': { ids: ['request-body-became-optional'] },
  'request-media-type-added': { ids: ['request-body-media-type-added'] },
  'request-media-type-removed': { ids: ['request-body-media-type-removed'] },
  // responses
  'response-success-status-added': { ids: ['response-success-status-added'], response: 'info', reason: 'code written against the old success type does not handle the new status' },
  'response-success-status-removed': { ids: ['response-success-status-removed'] },
  'response-non-success-status-added': { ids: ['response-non-success-status-added'] },
  'response-non-success-status-removed': { ids: ['response-non-success-status-removed'] },
  'response-media-type-added': { ids: ['response-media-type-added'] },
  'response-media-type-removed': { ids: ['response-media-type-removed'] },
  'response-header-added': { ids: ['response-header-added'] },
  'response-header-removed': { ids: ['required-response-header-removed'] },
  'response-optional-header-removed': { ids: ['optional-response-header-removed'] },
  'response-header-became-optional': { ids: ['response-header-became-optional'] },
  // schema
  'type-changed': { ids: ['request-property-type-changed', 'request-body-type-changed', 'request-parameter-type-changed', 'response-property-type-changed', 'response-body-type-changed', 'response-header-type-changed'] },
  'format-changed': { ids: ['request-property-format-changed', 'request-parameter-format-changed', 'response-property-format-changed', 'response-body-format-changed'] },
  'property-added-required': { ids: ['new-required-request-property', 'response-required-property-added'] },
  'property-added-optional': { ids: ['new-optional-request-property', 'response-optional-property-added'] },
  'required-property-removed': { ids: ['request-property-removed', 'response-required-property-removed'] },
  'optional-property-removed': { ids: ['request-property-removed', 'response-optional-property-removed'] },
  'property-became-required': { ids: ['request-property-became-required', 'response-property-became-required'] },
  'property-became-optional': { ids: ['request-property-became-optional', 'response-property-became-optional'] },
  'property-became-read-only': { ids: ['request-read-only-property-enum-value-removed', 'request-property-became-read-only'] },
  'property-became-write-only': { ids: ['response-property-became-write-only'] },
  'nullable-added': { ids: ['request-property-became-nullable', 'request-body-became-nullable', 'response-property-became-nullable', 'response-body-became-nullable'] },
  'nullable-removed': { ids: ['request-property-became-not-nullable', 'request-body-became-not-nullable', 'request-parameter-became-not-nullable', 'response-property-became-not-nullable'] },
  'enum-value-added': { ids: ['request-property-enum-value-added', 'request-parameter-enum-value-added', 'response-property-enum-value-added', 'response-mediatype-enum-value-added'], response: 'warning', reason: CLIENT_VALIDATES },
  'enum-value-removed': { ids: ['request-property-enum-value-removed', 'request-parameter-enum-value-removed', 'request-body-enum-value-removed', 'response-property-enum-value-removed'] },
  'constraint-tightened': {
    ids: [
      'request-property-max-decreased', 'request-property-min-increased', 'request-property-max-length-decreased', 'request-property-min-length-increased', 'request-property-max-items-decreased', 'request-property-min-items-increased',
      'request-parameter-max-decreased', 'request-parameter-min-increased', 'request-parameter-max-length-decreased', 'request-parameter-min-length-increased', 'request-parameter-max-items-decreased', 'request-parameter-min-items-increased',
      'request-body-max-decreased', 'request-body-min-increased', 'request-body-max-length-decreased', 'request-body-min-length-increased', 'request-body-max-items-decreased', 'request-body-min-items-increased',
      'request-property-max-set', 'request-property-min-set', 'request-parameter-max-set', 'request-parameter-min-set', 'request-body-max-set', 'request-body-min-set', 'request-property-max-length-set', 'request-parameter-max-length-set', 'request-body-max-length-set',
      'request-property-multiple-of-changed', 'request-property-type-specialized',
    ],
  },
  'constraint-loosened': {
    ids: [
      'response-property-max-increased', 'response-property-min-decreased', 'response-property-max-length-increased', 'response-property-min-length-decreased', 'response-property-max-items-increased', 'response-property-min-items-decreased',
      'response-body-max-increased', 'response-body-min-decreased', 'response-body-max-length-increased', 'response-body-min-length-decreased', 'response-body-max-items-increased', 'response-body-min-items-decreased',
      'response-property-max-length-unset', 'response-body-max-length-unset', 'request-property-type-generalized', 'request-parameter-type-generalized', 'response-property-type-generalized',
    ],
    response: 'warning',
    reason: CLIENT_VALIDATES,
  },
  'pattern-changed': { ids: ['request-property-pattern-added', 'request-property-pattern-changed', 'request-parameter-pattern-added', 'request-parameter-pattern-changed', 'response-property-pattern-changed'], response: 'warning', reason: CLIENT_VALIDATES },
  'additional-properties-closed': { ids: ['request-property-additional-properties-set-to-false', 'request-body-additional-properties-set-to-false'] },
  'additional-properties-opened': { ids: ['response-property-additional-properties-changed', 'response-body-additional-properties-changed'], response: 'warning', reason: 'a closed object is generated as a strict zod object, which throws on the new keys' },
  'default-changed': { ids: ['request-property-default-value-changed', 'request-body-default-value-changed', 'response-property-default-value-changed', 'response-body-default-value-changed'], request: 'info', reason: 'a client that omits the value silently gets different behaviour' },
  'union-member-added': { ids: ['request-property-one-of-added', 'request-property-any-of-added', 'request-body-one-of-added', 'response-property-one-of-added', 'response-property-any-of-added', 'response-body-one-of-added'], response: 'info', reason: CLIENT_VALIDATES },
  'union-member-removed': { ids: ['request-property-one-of-removed', 'request-property-any-of-removed', 'request-body-one-of-removed', 'response-property-one-of-removed', 'response-body-one-of-removed'] },
  'all-of-member-added': { ids: ['request-property-all-of-added', 'request-body-all-of-added', 'response-property-all-of-added', 'response-body-all-of-added'] },
  'all-of-member-removed': { ids: ['request-property-all-of-removed', 'request-body-all-of-removed', 'response-property-all-of-removed', 'response-body-all-of-removed'], response: 'warning', reason: CLIENT_VALIDATES },
  'discriminator-added': { ids: ['request-property-discriminator-added', 'request-body-discriminator-added', 'response-property-discriminator-added', 'response-body-discriminator-added'] },
  'discriminator-removed': { ids: ['request-property-discriminator-removed', 'request-body-discriminator-removed', 'response-property-discriminator-removed', 'response-body-discriminator-removed'] },
  'discriminator-property-changed': { ids: ['request-property-discriminator-property-name-changed', 'request-body-discriminator-property-name-changed', 'response-property-discriminator-property-name-changed', 'response-body-discriminator-property-name-changed'] },
  'discriminator-mapping-added': { ids: ['request-property-discriminator-mapping-added', 'request-body-discriminator-mapping-added', 'response-property-discriminator-mapping-added', 'response-body-discriminator-mapping-added'], response: 'warning', reason: CLIENT_VALIDATES },
  'discriminator-mapping-removed': { ids: ['request-property-discriminator-mapping-deleted', 'request-body-discriminator-mapping-deleted', 'response-property-discriminator-mapping-deleted', 'response-body-discriminator-mapping-deleted'] },
  'extensible-enum-value-added': { ids: [] },
  'extensible-enum-value-removed': { ids: ['request-property-x-extensible-enum-value-removed', 'request-parameter-x-extensible-enum-value-removed'] },
  'content-encoding-changed': { ids: [] },
  'content-schema-changed': { ids: [] },
  // security
  'security-requirement-added': { ids: ['api-security-added', 'api-global-security-added'] },
  'security-requirement-removed': { ids: ['api-security-removed', 'api-global-security-removed'] },
  'security-scope-added': { ids: ['api-security-scope-added', 'api-global-security-scope-added'] },
  'security-scope-removed': { ids: ['api-security-scope-removed', 'api-global-security-scope-removed'] },
  'security-scheme-scope-added': { ids: ['api-security-component-oauth-scope-added'] },
  'security-scheme-scope-removed': { ids: ['api-security-component-oauth-scope-removed'] },
  'security-scheme-added': { ids: ['api-security-component-added'] },
  'security-scheme-removed': { ids: ['api-security-component-removed'] },
  'security-scheme-changed': {
    ids: ['api-security-component-type-changed', 'api-security-component-security-scheme-in-changed', 'api-security-component-security-scheme-name-changed', 'api-security-component-oauth-url-changed', 'api-security-component-oauth-token-url-changed', 'api-security-component-scheme-changed', 'api-security-component-open-id-connect-url-changed'],
  },
  // deprecation and sunset
  'operation-reactivated': { ids: ['endpoint-reactivated'] },
  'component-schema-removed': { ids: ['api-schema-removed'], document: 'info', reason: 'the generated types.ts exports every component schema: code importing the removed type no longer compiles' },
  'parameter-removed-before-sunset': { ids: ['request-parameter-removed-before-sunset'] },
  'operation-removed-before-sunset': { ids: ['api-removed-before-sunset', 'api-path-removed-before-sunset'] },
  'operation-sunset-invalid': { ids: ['api-deprecated-sunset-parse', 'api-path-sunset-parse'] },
  'operation-sunset-missing': { ids: ['api-deprecated-sunset-missing'] },
  'operation-sunset-too-soon': { ids: ['api-sunset-date-too-small'] },
  'operation-sunset-moved-earlier': { ids: ['api-sunset-date-changed-too-small'] },
  'operation-stability-invalid': { ids: ['api-invalid-stability-level'] },
  'operation-stability-decreased': { ids: ['api-stability-decreased'] },
  // webhooks, callbacks, servers
  'webhook-added': { ids: [] },
  'webhook-removed': { ids: [] },
  'callback-added': { ids: ['request-callback-added'] },
  'callback-removed': { ids: ['request-callback-removed'] },
  'server-added': { ids: [] },
  'server-removed': { ids: [] },
  // versioning
  'version-not-bumped-major': { ids: [] },
  'version-not-bumped-minor': { ids: [] },
};
