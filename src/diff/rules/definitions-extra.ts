import type { RuleDefinition } from './registry.js';
import { d, na, ONLY_CREDENTIALS, ONLY_PARAMS } from './rule-parts.js';

/**
 * Rules added to cover oasdiff's checker catalogue (issue 12, docs/oasdiff-checks.tsv): 2020-12 keywords concord's IR
 * does not model, the deprecation and sunset policy for operations, parameters and properties, x-extensible-enum,
 * parameter defaults and allowReserved, allOf annotation-only members, oneOf wrapping, tags, unused components,
 * webhooks, callbacks and servers. Ids are stable; the oasdiff checks each reports are in oasdiff-map.ts, the ones no
 * rule reports in oasdiff-not-covered.ts.
 */


const ONLY_CALLS = 'operations and their lifecycle are what a client calls; the change is reported once, on the request side';
const NOT_A_MESSAGE = 'servers are where clients send requests; the change is reported once, on the request side';
const UNUSED = 'no operation or webhook used the schema, so no message changes; the change is to the document (and its generated types)';
const WEBHOOK_SIDE = 'a webhook is a request the provider sends; whether the consumer can still receive it is reported on the response side (what the consumer receives)';

export const EXTRA_RULES: RuleDefinition[] = [
  // parameters
  { id: 'parameter-default-changed', family: 'parameters', description: "A parameter's default value was added, removed or changed.", request: d('breaking', 'clients that omit the parameter silently get different behaviour'), response: na(ONLY_PARAMS) },

  { id: 'parameter-became-allow-reserved', family: 'parameters', description: 'A parameter now allows reserved characters unencoded (`allowReserved: true`).', request: d('info', 'clients that percent-encode reserved characters keep working; raw ones are now accepted too'), response: na(ONLY_PARAMS) },
  { id: 'parameter-became-not-allow-reserved', family: 'parameters', description: 'A parameter no longer allows reserved characters unencoded (`allowReserved` became false).', request: d('breaking', 'the generated client sent reserved characters such as / and ? raw, as allowReserved said; the server may now misread them'), response: na(ONLY_PARAMS) },

  // schema: keywords read from the document (the IR does not model them)
  { id: 'extensible-enum-value-added', family: 'schema', description: 'An `x-extensible-enum` gained values (clients must already accept unknown ones).', additive: true, request: d('info', 'clients may send the new values'), response: d('info', 'the list was declared open; clients handle unknown values by contract') },
  { id: 'extensible-enum-value-removed', family: 'schema', description: 'An `x-extensible-enum` lost values.', request: d('breaking', 'clients sending the removed values are rejected'), response: d('info', 'clients never receive the removed values any more') },
  { id: 'content-encoding-changed', family: 'schema', description: 'A string\'s `contentMediaType` or `contentEncoding` changed (e.g. base64 -> base32, JSON -> XML).', request: d('breaking', 'clients encode the value the old way and the server cannot decode it'), response: d('breaking', 'clients decode the value the old way and get garbage') },
  { id: 'content-schema-changed', family: 'schema', description: 'The `contentSchema` describing an encoded string\'s decoded content changed (added is constraint-tightened, removed constraint-loosened).', request: d('warning', 'the decoded content clients send may no longer be accepted'), response: d('warning', 'clients decoding the content may meet a shape they do not expect') },

  { id: 'property-became-not-write-only', family: 'schema', description: 'A writeOnly property is no longer writeOnly, so responses now carry it.', additive: true, request: na('writeOnly hides a property from responses only; requests carry it either way'), response: d('warning', 'responses now carry a field that was hidden from them (often a secret such as a password); check it is meant to be sent back') },

  { id: 'schema-wrapped-in-one-of', family: 'schema', description: 'A body, parameter, header or named schema became a oneOf of itself and other alternatives (an inline property doing so is union-member-added).', request: d('breaking', "a value that also matches a new alternative now fails oneOf's exactly-one rule"), response: d('breaking', 'the generated client validates responses against the old schema and throws on the new alternatives') },

  { id: 'discriminator-mapping-changed', family: 'schema', description: 'A discriminator value now maps to a different schema (by content, not name); the two schemas are compared as paired members.', request: d('info', 'the value now selects another shape; differences between the two are reported on their own'), response: d('info', 'the value now selects another shape; differences between the two are reported on their own') },

  // allOf members that only annotate (oasdiff's -all-of-added-annotation-only checks)
  { id: 'all-of-annotation-added', family: 'schema', description: 'An allOf gained a member with annotations only (title, description, examples, deprecated, x-*), which constrains nothing.', request: d('info', 'every value clients sent before is still valid'), response: d('info', 'every value clients received before is still what they get') },
  { id: 'all-of-annotation-removed', family: 'schema', description: 'An allOf lost a member with annotations only, which constrained nothing.', request: d('info', 'every value clients sent before is still valid'), response: d('info', 'every value clients received before is still what they get') },

  // tags: documentation grouping, but `concord verify --only <tag>` selects operations by them
  { id: 'operation-tag-added', family: 'paths', description: 'An operation gained a tag.', request: d('info', 'the wire and the generated client are unchanged; `concord verify --only` selections by that tag now include it'), response: na(ONLY_CALLS) },
  { id: 'operation-tag-removed', family: 'paths', description: 'An operation lost a tag.', request: d('info', 'the wire and the generated client are unchanged; `concord verify --only` selections by that tag no longer include it'), response: na(ONLY_CALLS) },

  // security: what an OAuth2 scheme offers (what operations require is compared per operation)
  { id: 'security-scheme-scope-added', family: 'security', description: 'An OAuth2 security scheme offers a new scope in one of its flows (components.securitySchemes).', additive: true, request: d('info', 'clients may request the new scope'), response: na(ONLY_CREDENTIALS) },
  { id: 'security-scheme-scope-removed', family: 'security', description: 'An OAuth2 security scheme no longer offers a scope in one of its flows (components.securitySchemes).', request: d('warning', 'clients that request tokens with the removed scope may be refused by the authorization server; operations that required it are reported separately'), response: na(ONLY_CREDENTIALS) },

  // components
  { id: 'component-schema-removed', family: 'schema', description: 'A schema no operation or webhook used was removed from components.schemas.', request: na(UNUSED), response: na(UNUSED), document: d('warning', 'no message changes, but the generated types.ts no longer exports the type: code importing it stops compiling') },

  // deprecation and sunset
  { id: 'operation-reactivated', family: 'deprecation', description: 'A deprecated operation is no longer deprecated.', request: d('info', 'clients may keep calling it'), response: na(ONLY_CALLS) },
  { id: 'parameter-removed-before-sunset', family: 'deprecation', description: 'A deprecated parameter was removed before the sunset date it announced (`x-sunset` on the parameter).', request: d('breaking', 'clients were promised the parameter until its sunset date; the server now ignores or rejects it'), response: na(ONLY_PARAMS) },
  { id: 'operation-removed-before-sunset', family: 'deprecation', description: 'A deprecated operation was removed before the sunset date it announced (`x-sunset`).', request: d('breaking', 'clients were promised the operation until its sunset date and get 404 or 405 now'), response: na(ONLY_CALLS) },
  { id: 'operation-sunset-invalid', family: 'deprecation', description: 'A deprecated operation\'s `x-sunset` is not a date (RFC 3339 full-date or date-time).', request: d('breaking', 'clients cannot tell until when the operation stays; fix the date'), response: na(ONLY_CALLS) },
  { id: 'operation-sunset-missing', family: 'deprecation', description: 'An operation was deprecated without an `x-sunset` date.', request: d('breaking', 'clients are not told until when they may keep calling it'), response: na(ONLY_CALLS) },
  { id: 'operation-sunset-too-soon', family: 'deprecation', description: 'An operation was deprecated with a sunset date sooner than the minimum deprecation period for its stability level (--deprecation-days).', request: d('breaking', 'clients get less notice than the API\'s deprecation policy promises'), response: na(ONLY_CALLS) },
  { id: 'operation-sunset-moved-earlier', family: 'deprecation', description: 'A deprecated operation\'s sunset date was moved earlier, to less than the minimum deprecation period from now.', request: d('breaking', 'clients planned for the old date and lose the operation sooner'), response: na(ONLY_CALLS) },
  { id: 'operation-stability-invalid', family: 'deprecation', description: '`x-stability-level` is not one of draft, alpha, beta, stable.', request: d('breaking', 'clients cannot tell what the operation promises; fix the value'), response: na(ONLY_CALLS) },
  { id: 'operation-sunset-removed', family: 'deprecation', description: 'A deprecated operation\'s `x-sunset` date was removed while it stays deprecated.', request: d('breaking', 'clients lose the date until which they were promised the operation'), response: na(ONLY_CALLS) },
  { id: 'operation-stability-increased', family: 'deprecation', description: '`x-stability-level` went up (e.g. beta -> stable).', request: d('info', 'clients get a stronger stability promise'), response: na(ONLY_CALLS) },
  { id: 'operation-stability-decreased', family: 'deprecation', description: '`x-stability-level` went down (e.g. stable -> beta).', request: d('breaking', 'clients relying on the old stability promise lose it'), response: na(ONLY_CALLS) },

  // deprecation and sunset of parameters (x-stability-level: the parameter's own, else its operation's)
  { id: 'parameter-reactivated', family: 'deprecation', description: 'A deprecated parameter is no longer deprecated.', request: d('info', 'clients may keep sending it'), response: na(ONLY_PARAMS) },
  { id: 'parameter-sunset-invalid', family: 'deprecation', description: 'A deprecated parameter\'s `x-sunset` is not an RFC 3339 date.', request: d('breaking', 'clients cannot tell until when the parameter stays; fix the date'), response: na(ONLY_PARAMS) },
  { id: 'parameter-sunset-missing', family: 'deprecation', description: 'A parameter was deprecated without an `x-sunset` date.', request: d('breaking', 'clients are not told until when they may keep sending it'), response: na(ONLY_PARAMS) },
  { id: 'parameter-sunset-too-soon', family: 'deprecation', description: 'A parameter was deprecated with a sunset date sooner than the minimum deprecation period.', request: d('breaking', 'clients get less notice than the API\'s deprecation policy promises'), response: na(ONLY_PARAMS) },
  { id: 'parameter-sunset-moved-earlier', family: 'deprecation', description: 'A deprecated parameter\'s sunset date was moved earlier, to less than the minimum deprecation period from now.', request: d('breaking', 'clients planned for the old date and lose the parameter sooner'), response: na(ONLY_PARAMS) },
  { id: 'parameter-sunset-removed', family: 'deprecation', description: 'A deprecated parameter\'s `x-sunset` date was removed while it stays deprecated.', request: d('breaking', 'clients lose the date until which they were promised the parameter'), response: na(ONLY_PARAMS) },

  // deprecation and sunset of properties (read from the property's schema; x-stability-level its own, else stable)
  { id: 'property-deprecated', family: 'deprecation', description: 'A property became deprecated.', additive: true, request: d('info', 'clients should plan to stop sending it'), response: d('info', 'clients should plan to stop reading it') },
  { id: 'property-reactivated', family: 'deprecation', description: 'A deprecated property is no longer deprecated.', request: d('info', 'clients may keep sending it'), response: d('info', 'clients may keep reading it') },
  { id: 'property-sunset-invalid', family: 'deprecation', description: 'A deprecated property\'s `x-sunset` is not an RFC 3339 date.', request: d('breaking', 'clients cannot tell until when they may send it; fix the date'), response: d('breaking', 'clients cannot tell until when they will receive it; fix the date') },
  { id: 'property-sunset-missing', family: 'deprecation', description: 'A property was deprecated without an `x-sunset` date.', request: d('breaking', 'clients are not told until when they may keep sending it'), response: d('breaking', 'clients are not told until when they will keep receiving it') },
  { id: 'property-sunset-too-soon', family: 'deprecation', description: 'A property was deprecated with a sunset date sooner than the minimum deprecation period.', request: d('breaking', 'clients get less notice than the API\'s deprecation policy promises'), response: d('breaking', 'clients get less notice than the API\'s deprecation policy promises') },
  { id: 'property-stability-increased', family: 'deprecation', description: 'A property\'s `x-stability-level` went up (e.g. beta -> stable).', request: d('info', 'clients get a stronger stability promise'), response: d('info', 'clients get a stronger stability promise') },
  { id: 'property-stability-decreased', family: 'deprecation', description: 'A property\'s `x-stability-level` went down (e.g. stable -> beta).', request: d('breaking', 'clients relying on the old stability promise lose it'), response: d('breaking', 'clients relying on the old stability promise lose it') },

  // components

  // versioning
  { id: 'version-decreased', family: 'versioning', description: '`info.version` went down (semver).', request: na('a document-level rule about info.version, not about any message'), response: na('a document-level rule about info.version, not about any message'), document: d('info', 'consumers comparing versions see the API go backwards') },

  // webhooks and callbacks
  { id: 'webhook-added', family: 'webhooks', description: 'A webhook (3.1 `webhooks`) was added.', additive: true, request: na(WEBHOOK_SIDE), response: d('info', 'consumers may subscribe to the new event') },
  { id: 'webhook-removed', family: 'webhooks', description: 'A webhook was removed.', request: na(WEBHOOK_SIDE), response: d('breaking', 'consumers waiting for the event never receive it again') },
  { id: 'callback-added', family: 'webhooks', description: 'An operation declares a new callback.', additive: true, request: d('info', 'clients may register for the new callback'), response: na(ONLY_CALLS) },
  { id: 'callback-removed', family: 'webhooks', description: 'An operation no longer declares a callback.', request: d('warning', 'clients that registered for the callback stop receiving it'), response: na(ONLY_CALLS) },

  // servers
  { id: 'server-added', family: 'servers', description: 'A server URL was added.', additive: true, request: d('info', 'clients may use the new server'), response: na(NOT_A_MESSAGE) },
  { id: 'server-removed', family: 'servers', description: 'A server URL was removed.', request: d('warning', 'clients configured with that base URL may stop reaching the API'), response: na(NOT_A_MESSAGE) },
];
