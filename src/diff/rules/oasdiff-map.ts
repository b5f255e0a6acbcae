import type { Direction, Level } from '../types.js';

/**
 * Which oasdiff checks each concord rule reports, per direction. oasdiff's catalogue (ids and levels, ERR = breaking,
 * WARN = warning, INFO = info) is docs/oasdiff-checks.tsv, read from oasdiff's checker source; test/diff/oasdiff-
 * catalogue.test.ts proves that every catalogue id is mapped here or listed in oasdiff-not-covered.ts, that every id
 * here is in the catalogue, and that concord's level is never below oasdiff's for any id it maps.
 *
 * concord's profile goes above oasdiff's level where yesterday's generated client would throw or stop compiling: it
 * validates every response with the zod schema of the old contract, so a response that may now carry values the
 * old schema rejects is breaking for it. Each such difference carries its written reason.
 */

export interface DirectionMapping {
  /** The oasdiff checks this rule reports in this direction; the first is its main check. */
  ids: string[];
  /** oasdiff's level for the main check, when below concord's: the level the oasdiff profile reports. */
  level?: Level;
  /** Why concord's level is above oasdiff's for some of `ids` (required wherever it is). */
  reason?: string;
}

export type OasdiffMapping = Partial<Record<Direction, DirectionMapping>>;

/** `a-{b,c}-d` -> `a-b-d`, `a-c-d`: oasdiff's ids come in body/property/parameter and added/removed families. */
export function expand(pattern: string): string[] {
  const match = /\{([^{}]*)\}/.exec(pattern);
  if (!match) return [pattern];
  const [whole, list = ''] = match;
  return list.split(',').flatMap((option) => expand(pattern.replace(whole, option)));
}

const x = (...patterns: string[]): string[] => patterns.flatMap(expand);
const on = (...patterns: string[]): DirectionMapping => ({ ids: x(...patterns) });

const CLIENT_VALIDATES = "concord's generated client validates responses against the old schema and throws on values it did not allow";
const TYPE_LOST = "the generated response type no longer has the property, so code reading it stops compiling";
const READ_BACK = 'a client generated before the change still sends the property; the server now ignores or rejects it';

/** Request-side tightening: fewer values accepted (oasdiff ERR), and the response-side mirror (oasdiff INFO). */
const TIGHTENED_REQUEST = x(
  'request-{body,property,parameter}-{max-decreased,min-increased,max-length-decreased,min-length-increased,max-items-decreased,min-items-increased,max-set,min-set,exclusive-max-set,exclusive-min-set,exclusive-max-decreased,exclusive-min-increased,max-length-set,min-items-set}',
  'request-{body,property}-{max-items-set,max-properties-decreased,max-properties-set,min-properties-increased,unique-items-set,multiple-of-set,multiple-of-changed,const-added,prefix-items-removed}',
  'request-{body,property}-{contains-added,min-contains-increased,max-contains-decreased,dependent-required-added,dependent-required-changed,dependent-schema-added,pattern-property-added,property-names-added}',
  'request-{body,property}-{unevaluated-items-added,unevaluated-properties-added,if-added,then-added,else-added,content-schema-added}',
  'request-{body,property,parameter}-became-enum', 'request-header-property-became-enum', 'request-{property,parameter}-pattern-added',
  'request-parameter-property-type-specialized', 'request-body-media-type-schema-added', 'request-body-media-type-item-schema-added',
  'request-{body,property}-schema-became-false',
);
const TIGHTENED_RESPONSE = x(
  'response-{body,property}-{type-specialized,multiple-of-specialized,const-added,prefix-items-removed,contains-added,min-contains-increased,max-contains-decreased}',
  'response-{body,property}-{dependent-required-added,dependent-schema-added,pattern-property-added,property-names-added,unevaluated-items-added,unevaluated-properties-added}',
  'response-{body,property}-{if-added,then-added,else-added,content-schema-added}', 'response-header-type-specialized', 'response-property-pattern-added', 'response-body-media-type-schema-added',
  'response-body-media-type-item-schema-added', 'response-property-schema-became-false',
);
/** Loosening: more values valid, harmless to senders (oasdiff INFO) and breaking for receivers (oasdiff ERR). */
const LOOSENED_REQUEST = x(
  'request-{body,property,parameter}-{max-increased,min-decreased,max-length-increased,min-length-decreased,exclusive-max-increased,exclusive-min-decreased}',
  'request-{body,property,parameter}-max-items-increased', 'request-parameter-min-items-decreased',
  'request-{body,property}-{max-properties-increased,unique-items-unset,multiple-of-unset,multiple-of-generalized,const-removed,prefix-items-added,type-generalized}',
  'request-{body,property}-{contains-removed,min-contains-decreased,max-contains-increased,dependent-required-removed,dependent-schema-removed,pattern-property-removed,property-names-removed}',
  'request-{body,property}-{unevaluated-items-removed,unevaluated-properties-removed,if-removed,then-removed,else-removed,content-schema-removed}',
  'request-{property,parameter}-pattern-removed', 'request-parameter-type-generalized', 'request-parameter-property-type-generalized', 'request-body-media-type-schema-removed',
  'request-body-media-type-item-schema-removed', 'request-{body,property}-schema-became-not-false',
);
const LOOSENED_RESPONSE = x(
  'response-{body,property}-{max-increased,min-decreased,max-length-increased,min-length-decreased,max-items-increased,min-items-decreased,exclusive-max-increased,exclusive-min-decreased}',
  'response-{body,property}-{max-length-unset,min-items-unset,max-properties-increased,min-properties-decreased,unique-items-unset,multiple-of-unset,multiple-of-changed,const-removed,prefix-items-added,type-generalized}',
  'response-{body,property}-{contains-removed,min-contains-decreased,max-contains-increased,dependent-required-removed,dependent-required-changed,dependent-schema-removed,pattern-property-removed,property-names-removed}',
  'response-{body,property}-{unevaluated-items-removed,unevaluated-properties-removed,if-removed,then-removed,else-removed,content-schema-removed}',
  'response-property-pattern-removed', 'response-header-type-generalized', 'response-body-media-type-schema-removed',
  'response-body-media-type-item-schema-{removed,removed-untyped}', 'response-property-schema-became-not-false',
);

export const OASDIFF: Record<string, OasdiffMapping> = {
  // paths
  'path-added': { request: on('endpoint-added') },
  'path-removed': { request: on('api-path-removed-without-deprecation') },
  'deprecated-path-removed': { request: { ids: ['api-path-removed-with-deprecation'], level: 'info', reason: 'a client generated before the deprecation still calls it and gets 404' } },
  'operation-added': { request: on('endpoint-added') },
  'operation-removed': { request: on('api-removed-without-deprecation') },
  'deprecated-operation-removed': { request: { ids: ['api-removed-with-deprecation'], level: 'info', reason: 'a client generated before the deprecation still calls it and fails' } },
  'operation-deprecated': { request: on('endpoint-deprecated', 'endpoint-deprecated-with-sunset') },
  'operation-renamed': { request: { ids: ['api-operation-id-removed', 'api-operation-id-added'], level: 'info', reason: 'the generated function is named after the operationId: code calling the old name no longer compiles' } },
  'operation-tag-added': { request: on('api-tag-added') },
  'operation-tag-removed': { request: on('api-tag-removed') },
  // parameters
  'parameter-added-required': { request: on('new-required-request-parameter', 'new-request-path-parameter', 'new-required-request-default-parameter-to-existing-path') },
  'parameter-added-optional': { request: on('new-optional-request-parameter', 'new-optional-request-default-parameter-to-existing-path') },
  'parameter-removed': { request: on('request-parameter-removed') },
  'deprecated-parameter-removed': { request: on('request-parameter-removed-with-deprecation') },
  'parameter-moved': { request: { ids: ['new-required-request-parameter', 'request-parameter-removed', 'new-optional-request-parameter'], reason: 'clients send the parameter in the old place, where the server no longer looks for it' } },
  'parameter-became-required': { request: on('request-parameter-became-required') },
  'parameter-became-optional': { request: on('request-parameter-became-optional') },
  'parameter-style-changed': { request: on('request-parameter-style-changed', 'request-parameter-explode-changed') },
  'parameter-deprecated': { request: on('request-parameter-deprecated') },
  'parameter-became-allow-reserved': { request: on('request-parameter-became-allow-reserved') },
  'parameter-became-not-allow-reserved': { request: on('request-parameter-became-not-allow-reserved') },
  'parameter-default-changed': { request: { ids: x('request-parameter-default-value-{changed,added,removed}'), level: 'info', reason: 'a client that omits the parameter silently gets different behaviour' } },
  // request body
  'request-body-added-required': { request: on('request-body-added-required') },
  'request-body-added-optional': { request: on('request-body-added-optional') },
  'request-body-removed': { request: on('request-body-removed') },
  'request-body-became-required': { request: on('request-body-became-required') },
  'request-body-became-optional': { request: on('request-body-became-optional') },
  'request-media-type-added': { request: on('request-body-media-type-added') },
  'request-media-type-removed': { request: on('request-body-media-type-removed') },
  // responses
  'response-success-status-added': { response: { ids: ['response-success-status-added'], level: 'info', reason: 'code written against the old success type does not handle the new status' } },
  'response-success-status-removed': { response: on('response-success-status-removed') },
  'response-non-success-status-added': { response: on('response-non-success-status-added') },
  'response-non-success-status-removed': { response: on('response-non-success-status-removed') },
  'response-media-type-added': { response: on('response-media-type-added') },
  // oasdiff pairs `application/json` with `application/problem+json` and calls it a rename; concord pairs media types
  // by exact name (or the name without parameters), so a rename is this removal plus response-media-type-added.
  'response-media-type-removed': { response: { ids: x('response-media-type-removed', 'response-media-type-name-{generalized,specialized,changed}'), reason: 'the generated client matches responses by media type name, so any rename means the old name is never seen again' } },
  'response-header-added': { response: on('response-header-added') },
  'response-header-removed': { response: on('required-response-header-removed') },
  'response-optional-header-removed': { response: on('optional-response-header-removed') },
  'response-header-became-optional': { response: on('response-header-became-optional') },
  // schema
  'type-changed': {
    // A position that moves between `items` and a prefix entry of another type is a type change at that position.
    request: { ids: x('request-{body,property,parameter}-type-changed', 'request-parameter-property-type-changed', 'request-{body,property}-type-compatible', 'request-{body,property}-prefix-items-{added,removed}'), reason: 'a value of the old type is rejected whatever the media type (oasdiff lets loosely typed ones such as XML swap types), and the generated input type changed' },
    response: { ids: x('response-{body,property,header}-type-{changed,compatible}', 'response-{body,property}-prefix-items-{added,removed}'), reason: 'oasdiff lets a loosely typed media type (XML) swap types; the generated client parses and validates the old type whatever the media type' },
  },
  // oasdiff reports a format change under its type-changed checks.
  'format-changed': { request: on('request-{body,property,parameter}-type-changed'), response: on('response-{body,property,header}-type-changed') },
  'property-added-required': {
    request: {
      ids: ['new-required-request-property', 'new-required-request-property-with-default', 'new-required-request-header-property', 'request-required-property-became-not-read-only'],
      reason: 'a readOnly property that becomes a required request property is one clients generated before never send, so they are rejected',
    },
    response: on('response-required-property-added'),
  },
  'property-added-optional': { request: on('new-optional-request-property', 'request-optional-property-became-not-read-only'), response: on('response-optional-property-added') },
  'property-became-not-write-only': { response: { ids: x('response-{required,optional}-property-became-not-write-only'), reason: 'concord warns whether or not the property is required: a hidden field appearing in responses deserves a look either way' } },
  'required-property-removed': { request: on('request-property-removed'), response: on('response-required-property-removed') },
  'optional-property-removed': { request: on('request-property-removed'), response: { ids: ['response-optional-property-removed'], level: 'info', reason: TYPE_LOST } },
  'property-became-required': { request: on('request-property-became-required', 'request-property-became-required-with-default', 'request-header-property-became-required'), response: on('response-property-became-required') },
  'property-became-optional': { request: on('request-property-became-optional'), response: on('response-property-became-optional') },
  'property-became-read-only': { request: { ids: x('request-{optional,required}-property-became-read-only'), level: 'info', reason: READ_BACK } },
  'property-became-write-only': { response: { ids: x('response-{optional,required}-property-became-write-only'), level: 'info', reason: TYPE_LOST } },
  'nullable-added': { request: on('request-{body,property,parameter,parameter-property}-became-nullable'), response: on('response-{body,property,header}-became-nullable') },
  'nullable-removed': { request: on('request-{body,property,parameter,parameter-property}-became-not-nullable'), response: on('response-{body,property,header}-became-not-nullable') },
  // const is read as an enum of one value: a changed const is a value removed and a value added.
  'enum-value-added': {
    request: on('request-{property,parameter,parameter-property}-enum-value-added'),
    response: { ids: x('response-property-enum-value-added', 'response-{body,property}-const-changed'), level: 'warning', reason: CLIENT_VALIDATES },
  },
  'enum-value-removed': {
    request: on('request-{property,body,parameter,parameter-property}-enum-value-removed', 'request-{body,property}-const-changed'),
    response: on('response-property-enum-value-removed', 'response-mediatype-enum-value-removed'),
  },
  'constraint-tightened': { request: { ids: TIGHTENED_REQUEST }, response: { ids: TIGHTENED_RESPONSE } },
  'constraint-loosened': { request: { ids: LOOSENED_REQUEST }, response: { ids: LOOSENED_RESPONSE } },
  'pattern-changed': {
    request: { ids: x('request-{property,parameter}-pattern-changed', 'request-{property,parameter}-pattern-generalized'), level: 'warning', reason: 'concord cannot prove the new pattern accepts every string the old one did, so it treats any replacement as possibly rejecting what clients send' },
    response: { ids: ['response-property-pattern-changed'], level: 'warning', reason: CLIENT_VALIDATES },
  },
  'default-changed': {
    request: { ids: x('request-{body,property}-default-value-{changed,added,removed}'), level: 'info', reason: 'a client that omits the value silently gets different behaviour' },
    response: on('response-{body,property}-default-value-{changed,added,removed}'),
  },
  'union-member-added': {
    request: on('request-{body,property}-{one-of,any-of}-added', 'request-{body,property,parameter,parameter-property}-list-of-types-widened'),
    response: on('response-{body,property}-{one-of,any-of}-added', 'response-{body,property}-list-of-types-widened'),
  },
  'schema-wrapped-in-one-of': { request: on('request-body-wrapped-in-one-of'), response: on('response-body-wrapped-in-one-of') },
  'union-member-removed': {
    request: on('request-{body,property}-{one-of,any-of}-removed', 'request-{body,property,parameter,parameter-property}-list-of-types-narrowed'),
    response: on('response-{body,property}-{one-of,any-of}-removed', 'response-{body,property}-list-of-types-narrowed'),
  },
  'all-of-member-added': { request: on('request-{body,property}-all-of-added'), response: on('response-{body,property}-all-of-added') },
  'all-of-member-removed': { request: on('request-{body,property}-all-of-removed'), response: on('response-{body,property}-all-of-removed') },
  'all-of-annotation-added': { request: on('request-{body,property}-all-of-added-annotation-only'), response: on('response-{body,property}-all-of-added-annotation-only') },
  'all-of-annotation-removed': { request: on('request-{body,property}-all-of-removed-annotation-only'), response: on('response-{body,property}-all-of-removed-annotation-only') },
  'discriminator-added': { request: { ids: x('request-{body,property}-discriminator-added'), level: 'info', reason: 'clients must now send the discriminating property with a mapped value' }, response: on('response-{body,property}-discriminator-added') },
  'discriminator-removed': { request: on('request-{body,property}-discriminator-removed'), response: { ids: x('response-{body,property}-discriminator-removed'), level: 'info', reason: 'the generated client narrows the union by the discriminating property, which no longer decides it' } },
  'discriminator-property-changed': {
    request: { ids: x('request-{body,property}-discriminator-property-name-changed'), level: 'info', reason: 'clients send the old property and the server cannot pick the alternative' },
    response: { ids: x('response-{body,property}-discriminator-property-name-changed'), level: 'info', reason: 'the generated client switches on the old property, which no longer decides the alternative' },
  },
  'discriminator-mapping-added': { request: on('request-{body,property}-discriminator-mapping-added'), response: { ids: x('response-{body,property}-discriminator-mapping-added'), level: 'info', reason: CLIENT_VALIDATES } },
  'discriminator-mapping-removed': { request: { ids: x('request-{body,property}-discriminator-mapping-deleted'), level: 'info', reason: 'clients sending the removed value are rejected' }, response: on('response-{body,property}-discriminator-mapping-deleted') },
  'discriminator-mapping-changed': { request: on('request-{body,property}-discriminator-mapping-changed'), response: on('response-{body,property}-discriminator-mapping-changed') },
  'extensible-enum-value-removed': { request: on('request-{property,parameter}-x-extensible-enum-value-removed') },
  'content-encoding-changed': { request: on('request-{body,property}-content-{media-type,encoding}-changed'), response: on('response-{body,property}-content-{media-type,encoding}-changed') },
  // security
  'security-requirement-added': { request: on('api-security-added', 'api-global-security-added') },
  'security-requirement-removed': { request: on('api-security-removed', 'api-global-security-removed') },
  'security-scope-added': { request: on('api-security-scope-added', 'api-global-security-scope-added') },
  'security-scope-removed': { request: on('api-security-scope-removed', 'api-global-security-scope-removed') },
  'security-scheme-scope-added': { request: on('api-security-component-oauth-scope-added') },
  'security-scheme-scope-removed': { request: { ids: ['api-security-component-oauth-scope-removed'], level: 'info', reason: 'clients that ask for tokens with the removed scope may be refused by the authorization server' } },
  'security-scheme-added': { request: on('api-security-component-added') },
  'security-scheme-removed': { request: { ids: ['api-security-component-removed'], level: 'info', reason: 'the generated client\'s `auth` option loses the scheme, so code configuring it no longer compiles' } },
  'security-scheme-changed': { request: { ids: ['api-security-component-type-changed', 'api-security-component-oauth-url-changed', 'api-security-component-oauth-token-url-changed'], level: 'info', reason: 'the generated client sends credentials the way the old scheme said, and they are rejected' } },
  // deprecation and sunset
  'operation-reactivated': { request: on('endpoint-reactivated') },
  'operation-removed-before-sunset': { request: on('api-removed-before-sunset', 'api-path-removed-before-sunset') },
  'operation-sunset-invalid': { request: on('api-deprecated-sunset-parse', 'api-path-sunset-parse') },
  'operation-sunset-missing': { request: on('api-deprecated-sunset-missing') },
  'operation-sunset-too-soon': { request: on('api-sunset-date-too-small') },
  'operation-sunset-moved-earlier': { request: on('api-sunset-date-changed-too-small') },
  'operation-sunset-removed': { request: on('sunset-deleted') },
  'operation-stability-invalid': { request: on('api-invalid-stability-level') },
  'operation-stability-decreased': { request: on('api-stability-decreased') },
  'operation-stability-increased': { request: on('api-stability-increased') },
  'parameter-reactivated': { request: on('request-parameter-reactivated') },
  'parameter-removed-before-sunset': { request: on('request-parameter-removed-before-sunset') },
  'parameter-sunset-invalid': { request: on('request-parameter-sunset-parse') },
  'parameter-sunset-missing': { request: on('request-parameter-deprecated-sunset-missing') },
  'parameter-sunset-too-soon': { request: on('request-parameter-sunset-date-too-small') },
  'parameter-sunset-moved-earlier': { request: on('request-parameter-sunset-date-changed-too-small') },
  'parameter-sunset-removed': { request: on('request-parameter-sunset-deleted') },
  'property-deprecated': { request: on('request-property-deprecated', 'request-property-deprecated-with-sunset'), response: on('response-property-deprecated', 'response-property-deprecated-with-sunset') },
  'property-reactivated': { request: on('request-property-reactivated'), response: on('response-property-reactivated') },
  'property-sunset-invalid': { request: on('request-property-deprecated-sunset-invalid'), response: on('response-property-deprecated-sunset-invalid') },
  'property-sunset-missing': { request: on('request-property-deprecated-sunset-missing'), response: on('response-property-deprecated-sunset-missing') },
  'property-sunset-too-soon': { request: on('request-property-sunset-date-too-small'), response: on('response-property-sunset-date-too-small') },
  'property-stability-decreased': { request: on('request-property-stability-decreased'), response: on('response-property-stability-decreased') },
  'property-stability-increased': { request: on('request-property-stability-increased'), response: on('response-property-stability-increased') },
  // webhooks (a webhook's payload is what the consumer receives: the response direction)
  'webhook-added': { response: on('webhook-added') },
  'webhook-removed': { response: on('webhook-removed') },
  // versioning
  'version-not-bumped-major': { document: { ids: ['api-major-version-not-bumped'], level: 'info', reason: 'consumers pinning the major version receive a breaking change' } },
  'version-not-bumped-minor': { document: on('api-version-not-bumped') },
  'version-decreased': { document: on('api-version-decreased') },
  'component-schema-removed': { document: { ids: ['api-schema-removed'], level: 'info', reason: 'each component is an exported type of the generated code: code that names it stops compiling' } },
};
