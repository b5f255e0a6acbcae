import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, test } from 'vitest';
import { CHECK_IDS, formatGithub, formatJson, formatJunit, formatText, verifyProvider, type VerifyReport } from '../../src/verify/index.js';
import { startWidgetsProvider } from './widgets-provider.js';

const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(JSON.parse(readFileSync('schemas/verify-report.schema.json', 'utf8')) as object);

let faulty: VerifyReport;
let honest: VerifyReport;

beforeAll(async () => {
  const bad = await startWidgetsProvider(new Set(['server-error', 'no-auth', 'wrong-content-type', 'applies-twice']));
  const good = await startWidgetsProvider();
  try {
    faulty = await verifyProvider({ spec: 'fixtures/verify/widgets.yaml', baseUrl: bad.url, auth: { bearer: 't' }, maxRequests: 5, stateful: true });
    honest = await verifyProvider({ spec: 'fixtures/verify/widgets.yaml', baseUrl: good.url, auth: { bearer: 't' }, maxRequests: 5 });
  } finally {
    await bad.close();
    await good.close();
  }
});

describe('verify reports', () => {
  test('json validates against schemas/verify-report.schema.json, with failures and without', () => {
    expect(faulty.failures.length).toBeGreaterThanOrEqual(4);
    for (const report of [faulty, honest]) {
      const parsed = JSON.parse(formatJson(report)) as unknown;
      const ok = validate(parsed);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  test('the schema names exactly the check ids the code has', () => {
    const schema = JSON.parse(readFileSync('schemas/verify-report.schema.json', 'utf8')) as { $defs: { checkId: { enum: string[] } } };
    expect(schema.$defs.checkId.enum).toEqual([...CHECK_IDS]);
  });

  test('text: a line per operation, each failure with its check, curl line and pointer, totals per check', () => {
    const text = formatText(faulty);
    for (const op of faulty.operations) expect(text).toContain(`${op.path} ${op.operation}`);
    for (const f of faulty.failures) {
      expect(text).toContain(f.request.curl);
      expect(text).toContain(`at ${f.pointer}`);
    }
    for (const id of faulty.checks) expect(text).toMatch(new RegExp(`^  ${id} +\\d+ passed +\\d+ failed$`, 'm'));
    expect(text).toMatch(/\d+ requests to \d+ operations in [\d.]+ s \(\d+\/s\); \d+ failures/);
  });

  test('junit: a testsuite per operation, a testcase per check that ran, a failure element per failure', () => {
    const xml = formatJunit(faulty);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(xml.match(/<testsuite /g)?.length).toBe(faulty.operations.length);
    expect(xml.match(/<\/testsuite>/g)?.length).toBe(faulty.operations.length);
    const cases = faulty.operations.reduce((n, op) => n + Object.keys(op.checks).length, 0);
    expect(xml.match(/<testcase /g)?.length).toBe(cases);
    expect(xml.match(/<failure /g)?.length).toBe(faulty.failures.length);
    // Attribute values never carry raw markup.
    expect(xml).not.toMatch(/="[^"]*[<>][^"]*"/);
  });

  test('github: one ::error annotation per failure, then a summary', () => {
    const lines = formatGithub(faulty, 'fixtures/verify/widgets.yaml').trimEnd().split('\n');
    expect(lines).toHaveLength(faulty.failures.length + 1);
    faulty.failures.forEach((f, i) => {
      expect(lines[i]).toMatch(new RegExp(`^::error title=concord verify ${f.check}%3A ${f.method} .*,file=fixtures/verify/widgets.yaml::`));
      expect(lines[i]).not.toContain('\n');
    });
    expect(lines.at(-1)).toMatch(/^::error title=concord verify::concord verify: \d+ requests, \d+ failures$/);
    expect(formatGithub(honest).trim()).toMatch(/^::notice title=concord verify::/);
  });
});
