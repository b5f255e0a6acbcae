#!/usr/bin/env node
// concord diff against oasdiff's own checker fixtures: each case is a base/revision pair from oasdiff's repository
// (data/checker/) and the check ids oasdiff's Go tests expect for it (or must not report). Not bundled: oasdiff's
// files stay in oasdiff's repository. Point --oasdiff at a checkout (or at a folder holding the YAML files):
//   node scripts/oasdiff-fixtures.mjs --oasdiff ../oasdiff
// A case passes when every expected id is reported by some concord change whose rule maps to it (src/diff/rules/
// oasdiff-map.ts, --profile oasdiff) and no `absent` id is.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = process.argv.find((a) => a.startsWith('--oasdiff='))?.slice(10) ?? process.argv[process.argv.indexOf('--oasdiff') + 1];
if (!arg || arg.startsWith('--') || !existsSync(arg)) {
  console.log('usage: node scripts/oasdiff-fixtures.mjs --oasdiff <oasdiff checkout or folder of its data/checker files>');
  process.exit(2);
}
const folder = existsSync(path.join(arg, 'data/checker')) ? path.join(arg, 'data/checker') : arg;
const { runDiff } = await import(pathToFileURL(path.join(ROOT, 'dist/src/diff/index.js')).href);
const { OASDIFF } = await import(pathToFileURL(path.join(ROOT, 'dist/src/diff/rules/oasdiff-map.js')).href);

// [fixture stem or [base file, revision file], expected oasdiff ids, ids oasdiff's test says must not be reported, note]
const CASES = [
  ['nullable_wrap', ['request-property-became-nullable'], ['request-property-type-changed', 'request-property-enum-value-removed', 'request-property-one-of-added'], 'wrapping in oneOf [null, X] is only a nullability change'],
  ['nullable_wrap_narrowed', ['request-property-enum-value-removed'], [], 'the wrapped branch also narrows the enum'],
  ['nullable_wrap_response', ['response-property-became-nullable'], [], ''],
  ['additional_properties_traversal', ['response-required-property-removed'], [], 'a required property removed from an additionalProperties value'],
  ['prefix_items_reordered', ['request-property-type-changed'], [], 'positions swap types: one type change per position'],
  ['disclaimer_allof', [], ['response-property-became-optional'], 'required dropped in one allOf branch while the other keeps it: the merged schema is unchanged'],
  ['exclusive_min_max', ['request-parameter-exclusive-min-increased', 'request-parameter-exclusive-max-decreased', 'request-property-exclusive-min-increased', 'request-property-exclusive-max-decreased', 'response-property-exclusive-max-increased', 'request-body-exclusive-min-increased', 'response-body-exclusive-max-increased'], [], 'the body-level ones are on `type: object` bodies, where numeric keywords constrain nothing'],
  ['not', ['request-property-removed', 'new-required-request-property', 'request-property-max-length-decreased'], [], 'changes inside `not`'],
  ['items_became_false', ['request-property-schema-became-false', 'response-property-schema-became-false'], [], '`items: false` closes a prefixItems tuple'],
  ['min_items_set', ['request-parameter-min-items-set', 'request-body-min-items-set', 'request-property-min-items-set', 'response-body-min-items-unset', 'response-property-min-items-unset'], [], 'minItems set in requests, unset in responses'],
  ['contains_min_max', ['request-body-min-contains-increased', 'response-body-min-contains-increased'], [], 'minContains 1 -> 2, maxContains 5 -> 6'],
  ['content_schema_body', ['request-body-content-schema-added'], [], 'contentSchema added, contentMediaType and contentEncoding changed'],
  ['if_added_prop', ['response-property-if-added', 'response-property-then-added'], [], 'if/then/else added to a property'],
  ['disclaimer_allof_lookalike', ['response-property-became-optional'], [], 'a property named like an allOf path is not a composition'],
  ['disclaimer_nested_allof', [], ['response-property-became-optional'], 'as disclaimer_allof, on a property: the sibling branch still requires id'],
  // oasdiff's test pairs prefix_items_added_base with prefix_items_same_as_items_revision; here the base is that file.
  [['prefix_items_added_base.yaml', 'prefix_items_same_as_items_revision.yaml'], [], ['request-property-prefix-items-added', 'request-body-prefix-items-added', 'response-property-prefix-items-added', 'response-body-prefix-items-added'], 'a prefixItems entry equal to items changes no accepted array'],
  [['media_type_schema_degenerate_none.yaml', 'media_type_schema_degenerate_true.yaml'], [], ['request-body-schema-became-false', 'response-body-schema-became-false', 'request-body-type-changed', 'response-body-type-changed'], 'a media type without a schema gains `schema: true`: nothing changes'],
  [['media_type_schema_degenerate_none.yaml', 'media_type_schema_degenerate_false.yaml'], ['request-body-schema-became-false', 'response-body-schema-became-false'], [], 'a media type without a schema gains `schema: false`'],
];

// An oasdiff id names where the change is (body, property, parameter): a concord change counts for it only when its
// pointer is at that kind of place, so a rule that maps to a whole family is not credited for places it did not report.
// (A named type's change has the component's pointer: it counts as inside the body, a property or wherever used.)
const bodyRoot = (pointer) => /\/(requestBody|responses\/[^/]+)\/content\/[^/]+\/schema$/.test(pointer);
const PLACES = [
  ['-parameter-', (pointer) => pointer.includes('/parameters/')],
  ['-body-', (pointer) => bodyRoot(pointer) || pointer.startsWith('/components/schemas/')],
  ['-property-', (pointer) => !bodyRoot(pointer) && !/\/parameters\/[^/]+(\/schema)?$/.test(pointer)],
];
const at = (id, change) => {
  const pointer = change.revisionPointer ?? change.basePointer ?? '';
  const place = PLACES.find(([marker]) => id.includes(marker));
  return !place || place[1](pointer);
};
const covers = (change) => new Set((OASDIFF[change.id]?.[change.direction]?.ids ?? []).filter((id) => at(id, change)));
const rows = [];
let expected = 0;
let found = 0;
let falseAlarms = 0;
for (const [files, want, absent, note] of CASES) {
  // A stem names <stem>_base.yaml and <stem>_revision.yaml; a pair names both files.
  const [baseFile, revisionFile] = Array.isArray(files) ? files : [`${files}_base.yaml`, `${files}_revision.yaml`];
  const stem = Array.isArray(files) ? `${baseFile} -> ${revisionFile}` : files;
  const base = path.join(folder, baseFile);
  const revision = path.join(folder, revisionFile);
  if (!existsSync(base) || !existsSync(revision)) {
    rows.push({ fixture: stem, result: 'skipped: files not found' });
    continue;
  }
  const { report } = await runDiff({ base, revision, format: 'json', profile: 'oasdiff' });
  const reported = new Set(report.changes.flatMap((change) => [...covers(change)]));
  const missing = want.filter((id) => !reported.has(id));
  const alarms = absent.filter((id) => reported.has(id));
  expected += want.length;
  found += want.length - missing.length;
  falseAlarms += alarms.length;
  rows.push({
    fixture: stem,
    result: missing.length === 0 && alarms.length === 0 ? 'pass' : 'FAIL',
    'expected found': `${want.length - missing.length}/${want.length}`,
    missing: missing.join(', '),
    'false alarms': alarms.join(', '),
    'concord rules': [...new Set(report.changes.filter((c) => c.family !== 'versioning').map((c) => `${c.id} (${c.direction})`))].join(' '),
    note,
  });
}
console.table(rows);
console.log(`${found} of ${expected} expected oasdiff ids reported; ${falseAlarms} false alarms; ${rows.filter((r) => r.result === 'pass').length} of ${rows.length} fixtures pass`);
