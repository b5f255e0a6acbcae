import { ConcordError } from '../../errors.js';
import type { Direction, Level, RuleFamily } from '../types.js';
import { EXTRA_RULES } from './definitions-extra.js';
import { OASDIFF } from './oasdiff-map.js';
import { d, na, ONLY_CREDENTIALS, ONLY_PARAMS } from './rule-parts.js';

/** Whose levels a report uses: concord's (judged against yesterday's generated client) or oasdiff's. */
export type Profile = 'concord' | 'oasdiff';
export const PROFILES: readonly Profile[] = ['concord', 'oasdiff'];

/** A level for one direction, and the consequence shown in the change's message. */
export interface RuleDecision {
  /** concord's level: never below oasdiff's, so the concord profile flags a superset of what oasdiff flags. */
  level: Level;
  /** Who it hurts and how, completing "<what changed> — ...". */
  why: string;
  /** oasdiff's level when it differs from concord's, with the reason concord's is higher. */
  oasdiff?: { level: Level; reason: string };
}

/** The written reason a rule never fires in one direction. */
export interface NotApplicable {
  notApplicable: string;
}

export interface RuleDefinition {
  id: string;
  family: RuleFamily;
  description: string;
  request: RuleDecision | NotApplicable;
  response: RuleDecision | NotApplicable;
  /** Rules about the document as a whole (versioning) decide this instead of, or besides, the two messages. */
  document?: RuleDecision;
  /** Counts as new functionality for semver (a minor bump): additions and deprecations. */
  additive?: boolean;
  /** The oasdiff check ids this rule covers (docs/diff-rules.md); absent for concord-only rules. */
  oasdiff?: string[];
  /** The same ids per direction (oasdiff-map.ts). */
  oasdiffChecks?: Partial<Record<Direction, string[]>>;
}


const ONLY_CALLS = 'operations and paths are what a client calls; the change is reported once, on the request side';
const ONLY_BODY = 'this rule is about the request body; response bodies have their own rules (responses family)';
const ONLY_RESPONSES = 'statuses, response media types and response headers are only sent by the server';
const ONLY_DOCUMENT = 'a document-level rule about info.version, not about any message';

const RULES: RuleDefinition[] = [
  // paths
  { id: 'path-added', family: 'paths', description: 'A path template (with its operations) was added.', additive: true, request: d('info', 'new functionality; existing clients are unaffected'), response: na(ONLY_CALLS) },
  { id: 'path-removed', family: 'paths', description: 'A path template and all its operations were removed.', request: d('breaking', 'clients calling it get 404'), response: na(ONLY_CALLS) },
  { id: 'deprecated-path-removed', family: 'paths', description: 'A path whose operations were all deprecated was removed.', request: d('warning', 'clients still calling it despite the deprecation get 404'), response: na(ONLY_CALLS) },
  { id: 'operation-added', family: 'paths', description: 'A method was added to an existing path.', additive: true, request: d('info', 'new functionality; existing clients are unaffected'), response: na(ONLY_CALLS) },
  { id: 'operation-removed', family: 'paths', description: 'A method was removed from a path that still exists.', request: d('breaking', 'clients calling it get 405 or 404'), response: na(ONLY_CALLS) },
  { id: 'deprecated-operation-removed', family: 'paths', description: 'A deprecated operation was removed.', request: d('warning', 'clients still calling it despite the deprecation fail'), response: na(ONLY_CALLS) },
  { id: 'operation-deprecated', family: 'paths', description: 'An operation became deprecated.', additive: true, request: d('info', 'clients should plan to stop calling it'), response: na(ONLY_CALLS) },
  { id: 'operation-renamed', family: 'paths', description: 'The operationId, and so the generated client function name, changed.', request: d('breaking', 'the wire is unchanged but code calling the old generated function no longer compiles'), response: na(ONLY_CALLS) },

  // parameters
  { id: 'parameter-added-required', family: 'parameters', description: 'A required parameter was added.', request: d('breaking', 'clients that do not send it are rejected'), response: na(ONLY_PARAMS) },
  { id: 'parameter-added-optional', family: 'parameters', description: 'An optional parameter was added.', additive: true, request: d('info', 'existing clients are unaffected'), response: na(ONLY_PARAMS) },
  { id: 'parameter-removed', family: 'parameters', description: 'A parameter was removed.', request: d('warning', 'clients still send it and the server now ignores or rejects it'), response: na(ONLY_PARAMS) },
  { id: 'deprecated-parameter-removed', family: 'parameters', description: 'A deprecated parameter was removed.', request: d('info', 'clients were told to stop sending it'), response: na(ONLY_PARAMS) },
  { id: 'parameter-moved', family: 'parameters', description: 'A parameter kept its name but moved to another location (query, header, path, cookie).', request: d('breaking', 'clients send it in the old place and the server no longer finds it'), response: na(ONLY_PARAMS) },
  { id: 'parameter-became-required', family: 'parameters', description: 'An optional parameter became required.', request: d('breaking', 'clients that omit it are rejected'), response: na(ONLY_PARAMS) },
  { id: 'parameter-became-optional', family: 'parameters', description: 'A required parameter became optional.', request: d('info', 'clients may now omit it'), response: na(ONLY_PARAMS) },
  { id: 'parameter-style-changed', family: 'parameters', description: 'A parameter\'s serialisation (style or explode) changed.', request: d('breaking', 'clients serialise the value the old way and the server misreads it'), response: na(ONLY_PARAMS) },
  { id: 'parameter-deprecated', family: 'parameters', description: 'A parameter became deprecated.', additive: true, request: d('info', 'clients should plan to stop sending it'), response: na(ONLY_PARAMS) },
  { id: 'path-parameter-renamed', family: 'parameters', description: 'A path parameter was renamed (same position in the template).', request: d('breaking', 'the URL is unchanged, but the generated input type names path parameters, so calls written against the old name no longer compile'), response: na(ONLY_PARAMS) },

  // request body
  { id: 'request-body-added-required', family: 'request-body', description: 'A required request body was added.', request: d('breaking', 'clients that send no body are rejected'), response: na(ONLY_BODY) },
  { id: 'request-body-added-optional', family: 'request-body', description: 'An optional request body was added.', additive: true, request: d('info', 'existing clients are unaffected'), response: na(ONLY_BODY) },
  { id: 'request-body-removed', family: 'request-body', description: 'The request body was removed.', request: d('breaking', 'clients still send a body the server now ignores or rejects, and the generated input type no longer takes one'), response: na(ONLY_BODY) },
  { id: 'request-body-became-required', family: 'request-body', description: 'An optional request body became required.', request: d('breaking', 'clients that send no body are rejected'), response: na(ONLY_BODY) },
  { id: 'request-body-became-optional', family: 'request-body', description: 'A required request body became optional.', request: d('info', 'clients may now omit it'), response: na(ONLY_BODY) },
  { id: 'request-media-type-added', family: 'request-body', description: 'The request body accepts a new media type.', additive: true, request: d('info', 'existing clients are unaffected'), response: na(ONLY_BODY) },
  { id: 'request-media-type-removed', family: 'request-body', description: 'The request body no longer accepts a media type.', request: d('breaking', 'clients sending it get 415'), response: na(ONLY_BODY) },

  // responses
  { id: 'response-success-status-added', family: 'responses', description: 'A new 2xx status was added.', additive: true, request: na(ONLY_RESPONSES), response: d('warning', 'clients that only handle the old success status may mishandle the new one') },
  { id: 'response-success-status-removed', family: 'responses', description: 'A 2xx status was removed.', request: na(ONLY_RESPONSES), response: d('breaking', 'clients relying on that success response no longer get it') },
  { id: 'response-non-success-status-added', family: 'responses', description: 'A new non-2xx status (or default) was added.', additive: true, request: na(ONLY_RESPONSES), response: d('info', 'an error clients already had to expect is now documented') },
  { id: 'response-non-success-status-removed', family: 'responses', description: 'A non-2xx status (or default) was removed.', request: na(ONLY_RESPONSES), response: d('info', 'clients\' handling of it becomes dead code') },
  { id: 'response-media-type-added', family: 'responses', description: 'A response offers a new media type.', additive: true, request: na(ONLY_RESPONSES), response: d('info', 'existing clients are unaffected') },
  { id: 'response-media-type-removed', family: 'responses', description: 'A response no longer offers a media type.', request: na(ONLY_RESPONSES), response: d('breaking', 'clients asking for it get 406 or an unexpected format') },
  { id: 'response-header-added', family: 'responses', description: 'A response header was added.', additive: true, request: na(ONLY_RESPONSES), response: d('info', 'existing clients are unaffected') },
  { id: 'response-header-removed', family: 'responses', description: 'A required response header was removed.', request: na(ONLY_RESPONSES), response: d('breaking', 'clients reading it get nothing') },
  { id: 'response-optional-header-removed', family: 'responses', description: 'An optional response header was removed.', request: na(ONLY_RESPONSES), response: d('warning', 'clients using it when present never see it again') },
  { id: 'response-header-became-optional', family: 'responses', description: 'A required response header became optional.', request: na(ONLY_RESPONSES), response: d('breaking', 'clients that rely on it may get nothing') },

  // schema: applied to request bodies and parameters (request) and to response bodies and headers (response)
  { id: 'type-changed', family: 'schema', description: 'A value\'s type changed incompatibly (e.g. string to integer, object to array).', request: d('breaking', 'clients sending the old type are rejected'), response: d('breaking', 'clients parsing the old type fail') },
  { id: 'format-changed', family: 'schema', description: 'A value\'s format changed from one format to another.', request: d('breaking', 'values in the old format may be rejected'), response: d('breaking', 'clients parsing the old format may fail') },
  { id: 'property-added-required', family: 'schema', description: 'A required property was added to an object.', additive: true, request: d('breaking', 'clients that do not send it are rejected'), response: d('info', 'clients receive a new field') },
  { id: 'property-added-optional', family: 'schema', description: 'An optional property was added to an object.', additive: true, request: d('info', 'clients may send it'), response: d('info', 'clients may receive a new field') },
  { id: 'required-property-removed', family: 'schema', description: 'A required property was removed from an object.', request: d('warning', 'clients still send it and the server ignores or rejects it'), response: d('breaking', 'clients reading it get nothing') },
  { id: 'optional-property-removed', family: 'schema', description: 'An optional property was removed from an object.', request: d('warning', 'clients still send it and the server ignores or rejects it'), response: d('warning', 'clients using it when present never see it again') },
  { id: 'property-became-required', family: 'schema', description: 'An optional property became required.', request: d('breaking', 'clients that omit it are rejected'), response: d('info', 'clients can now count on it') },
  { id: 'property-became-optional', family: 'schema', description: 'A required property became optional.', request: d('info', 'clients may now omit it'), response: d('breaking', 'clients that count on it may get nothing') },
  { id: 'property-became-read-only', family: 'schema', description: 'A property became readOnly, so requests must no longer carry it.', request: d('warning', 'clients still send it and the server ignores or rejects it'), response: na('readOnly hides a property from requests only; responses still carry it') },
  { id: 'property-became-write-only', family: 'schema', description: 'A property became writeOnly, so responses no longer carry it.', request: na('writeOnly hides a property from responses only; requests still carry it'), response: d('breaking', 'clients reading it get nothing') },
  { id: 'nullable-added', family: 'schema', description: 'A value may now be null.', request: d('info', 'clients may now send null'), response: d('breaking', 'clients that do not expect null fail') },
  { id: 'nullable-removed', family: 'schema', description: 'A value may no longer be null.', request: d('breaking', 'clients sending null are rejected'), response: d('info', 'clients never receive null any more') },
  { id: 'enum-value-added', family: 'schema', description: 'An enum gained values.', additive: true, request: d('info', 'clients may send the new values'), response: d('breaking', 'the generated client validates responses and throws on a value it does not know; hand-written code switching over the old values meets one it does not handle') },
  { id: 'enum-value-removed', family: 'schema', description: 'An enum lost values.', request: d('breaking', 'clients sending the removed values are rejected'), response: d('info', 'clients never receive the removed values any more') },
  { id: 'constraint-tightened', family: 'schema', description: 'Fewer values are valid: a bound, length, item count, multipleOf, uniqueItems, format or enum restriction was added or made stricter, or a type was narrowed.', request: d('breaking', 'clients sending values valid before may be rejected'), response: d('info', 'clients receive a subset of what they accepted') },
  { id: 'constraint-loosened', family: 'schema', description: 'More values are valid: a bound, length, item count or restriction was relaxed or removed, or a type was widened.', request: d('info', 'clients may send more values'), response: d('breaking', 'the generated client validates responses against the old bounds and throws on values outside them') },
  { id: 'pattern-changed', family: 'schema', description: 'A string pattern was added, removed or replaced.', request: d('breaking', 'strings valid before may be rejected'), response: d('breaking', 'the generated client validates responses against the old pattern and throws on strings it rejects') },
  { id: 'additional-properties-closed', family: 'schema', description: 'An object no longer accepts arbitrary extra properties (additionalProperties became false or a schema).', request: d('breaking', 'clients sending extra properties are rejected'), response: d('info', 'clients receive fewer kinds of extra properties') },
  { id: 'additional-properties-opened', family: 'schema', description: 'An object now accepts extra properties it rejected before.', request: d('info', 'clients may send extra properties'), response: d('breaking', 'the generated client validates a closed object strictly and throws on the extra properties it now receives') },
  { id: 'default-changed', family: 'schema', description: 'A default value was added, removed or changed.', request: d('warning', 'clients that omit the value get different behaviour'), response: d('info', 'a default in a response is documentation only') },
  { id: 'union-member-added', family: 'schema', description: 'A oneOf/anyOf gained a member (or a plain schema became a union).', additive: true, request: d('info', 'clients may send the new alternative'), response: d('breaking', 'the generated client validates responses against the old alternatives and throws on the new one') },
  { id: 'union-member-removed', family: 'schema', description: 'A oneOf/anyOf lost a member.', request: d('breaking', 'clients sending the removed alternative are rejected'), response: d('info', 'clients never receive the removed alternative any more') },
  { id: 'all-of-member-added', family: 'schema', description: 'An allOf gained a member (more constraints).', request: d('breaking', 'values must now also satisfy the new member'), response: d('info', 'clients receive values that also satisfy the new member') },
  { id: 'all-of-member-removed', family: 'schema', description: 'An allOf lost a member (fewer constraints).', request: d('info', 'clients may send more values'), response: d('breaking', 'the generated client validates responses against the removed member too and may throw on what it now receives') },
  { id: 'discriminator-added', family: 'schema', description: 'A discriminator was declared.', request: d('warning', 'clients must now send the discriminating property with a mapped value'), response: d('info', 'clients can tell the alternatives apart by the property') },
  { id: 'discriminator-removed', family: 'schema', description: 'A discriminator was dropped.', request: d('info', 'clients no longer need the discriminating property'), response: d('warning', 'clients that switch on the discriminating property may break') },
  { id: 'discriminator-property-changed', family: 'schema', description: 'The discriminator\'s propertyName changed.', request: d('breaking', 'clients send the old property and the server cannot pick the alternative'), response: d('breaking', 'clients switch on a property that is no longer the discriminator') },
  { id: 'discriminator-mapping-added', family: 'schema', description: 'A discriminator value was added to the mapping.', additive: true, request: d('info', 'clients may send the new value'), response: d('breaking', 'the generated client validates responses against the old mapping and throws on the new value') },
  { id: 'discriminator-mapping-removed', family: 'schema', description: 'A discriminator value was removed from the mapping.', request: d('breaking', 'clients sending the removed value are rejected'), response: d('info', 'clients never receive the removed value any more') },

  // security
  { id: 'security-requirement-added', family: 'security', description: 'An operation accepts a new alternative set of credentials.', additive: true, request: d('info', 'clients may authenticate another way'), response: na(ONLY_CREDENTIALS) },
  { id: 'security-requirement-removed', family: 'security', description: 'An operation no longer accepts an alternative set of credentials (or anonymous calls).', request: d('breaking', 'clients authenticating that way are rejected with 401/403'), response: na(ONLY_CREDENTIALS) },
  { id: 'security-scope-added', family: 'security', description: 'A security requirement needs more OAuth2/OIDC scopes.', request: d('breaking', 'tokens without the new scope are rejected with 403'), response: na(ONLY_CREDENTIALS) },
  { id: 'security-scope-removed', family: 'security', description: 'A security requirement needs fewer scopes.', request: d('info', 'existing tokens keep working'), response: na(ONLY_CREDENTIALS) },
  { id: 'security-scheme-added', family: 'security', description: 'A security scheme was added to components.', additive: true, request: d('info', 'existing clients are unaffected'), response: na(ONLY_CREDENTIALS) },
  { id: 'security-scheme-removed', family: 'security', description: 'A security scheme was removed from components.', request: d('warning', 'clients configured with it lose it; operations that required it are reported separately'), response: na(ONLY_CREDENTIALS) },
  { id: 'security-scheme-changed', family: 'security', description: 'A security scheme changed how credentials are sent (type, location, header name, flows, URLs).', request: d('breaking', 'clients send credentials the old way and are rejected'), response: na(ONLY_CREDENTIALS) },

  // versioning
  { id: 'version-not-bumped-major', family: 'versioning', description: 'Breaking changes shipped without the major version bump semver requires (minor for 0.x).', request: na(ONLY_DOCUMENT), response: na(ONLY_DOCUMENT), document: d('warning', 'consumers pinning the major version receive a breaking change') },
  { id: 'version-not-bumped-minor', family: 'versioning', description: 'Additive or possibly-breaking changes shipped without the minor version bump semver asks for.', request: na(ONLY_DOCUMENT), response: na(ONLY_DOCUMENT), document: d('info', 'consumers cannot tell from the version that functionality changed') },
];

for (const rule of EXTRA_RULES) RULES.push(rule);
applyOasdiffMapping(RULES);

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

/** Attach oasdiff's check ids per direction and, where it is lower, oasdiff's level (with concord's reason). */
function applyOasdiffMapping(rules: RuleDefinition[]): void {
  for (const rule of rules) {
    const mapping = OASDIFF[rule.id];
    if (!mapping) continue;
    const checks: Partial<Record<Direction, string[]>> = {};
    for (const direction of ['request', 'response', 'document'] as const) {
      const entry = mapping[direction];
      if (!entry || entry.ids.length === 0) continue;
      checks[direction] = entry.ids;
      const decision = direction === 'document' ? rule.document : rule[direction];
      if (isDecision(decision) && entry.level !== undefined && entry.level !== decision.level) decision.oasdiff = { level: entry.level, reason: entry.reason ?? '' };
    }
    const ids = [...new Set(Object.values(checks).flat())];
    if (ids.length > 0) {
      rule.oasdiff = ids;
      rule.oasdiffChecks = checks;
    }
  }
}

export function allRules(): readonly RuleDefinition[] {
  return RULES;
}

export function isDecision(value: RuleDecision | NotApplicable | undefined): value is RuleDecision {
  return value !== undefined && 'level' in value;
}

export function getRule(id: string): RuleDefinition {
  const rule = BY_ID.get(id);
  if (!rule) throw new ConcordError('INTERNAL', `Unknown diff rule id "${id}".`);
  return rule;
}

/** The decision for a direction; asking for one a rule declared not applicable is a bug in a rule module. */
export function decisionFor(rule: RuleDefinition, direction: Direction, profile: Profile = 'concord'): RuleDecision {
  const decision = direction === 'document' ? rule.document : rule[direction];
  if (!isDecision(decision)) throw new ConcordError('INTERNAL', `Diff rule "${rule.id}" does not apply to the ${direction} direction.`);
  return profile === 'oasdiff' && decision.oasdiff ? { level: decision.oasdiff.level, why: decision.why } : decision;
}

/**
 * Whether a rule reports under a profile: the oasdiff profile keeps only rules that map to an oasdiff check (in the
 * finding's direction, when it is given).
 */
export function inProfile(rule: RuleDefinition, profile: Profile, direction?: Direction): boolean {
  if (profile === 'concord') return true;
  return direction === undefined ? rule.oasdiff !== undefined && rule.oasdiff.length > 0 : (rule.oasdiffChecks?.[direction]?.length ?? 0) > 0;
}
