import { beforeAll, describe, expect, test } from 'vitest';
import { Backends, constSource, importModule, irOfDocument, show, subjectLabel, writeSchemas } from './harness.js';
import { ROWS, rowsDocument, type Row } from './rows.js';
import { scratch } from '../../helpers/workspace.js';

// Every row runs through both backends: the printed schemas.ts (imported as a module) and the interpreter the
// mock server uses. Rows of one OpenAPI version share one document, so there are two generated files in all.
const backends = new Map<Row['version'], Backends>();

beforeAll(async () => {
  const dir = scratch('zod-translate');
  for (const version of ['3.0', '3.1'] as const) {
    const { ir } = await irOfDocument(rowsDocument(version), dir, `rows-${version}`);
    const sub = `${dir}/v${version}`;
    const { code, file } = writeSchemas(ir, sub);
    backends.set(version, new Backends(ir, await importModule(file), code));
  }
});

function backendsOf(row: Pick<Row, 'version'>): Backends {
  const found = backends.get(row.version);
  if (!found) throw new Error(`no backends for ${row.version}`);
  return found;
}

describe.each(ROWS.map((row) => [`${row.version} ${row.name} (${subjectLabel(row.subject)})`, row] as const))('%s', (_label, row) => {
  test.each(row.valid.map((value) => [show(value), value] as const))('accepts %s', (_shown, value) => {
    expect(backendsOf(row).parse(row.subject, value).success).toBe(true);
  });

  test.each(row.invalid.map((value) => [show(value), value] as const))('rejects %s', (_shown, value) => {
    expect(backendsOf(row).parse(row.subject, value).success).toBe(false);
  });

  const outputs = row.output;
  if (outputs) {
    test('parses to the documented output', () => {
      for (const { input, want } of outputs) {
        const parsed = backendsOf(row).parse(row.subject, input);
        expect(parsed.success).toBe(true);
        expect(JSON.parse(JSON.stringify(parsed.data))).toStrictEqual(want);
      }
    });
  }

  const { code, subject } = row;
  if (code && typeof subject === 'string') {
    test('prints the expected zod', () => {
      const source = constSource(backendsOf(row).code, subject);
      for (const text of code.has ?? []) expect(source).toContain(text);
      for (const text of code.lacks ?? []) expect(source).not.toContain(text);
    });
  }
});

test('the generated files are deterministic', async () => {
  for (const version of ['3.0', '3.1'] as const) {
    const dir = scratch('zod-translate-again');
    const { ir } = await irOfDocument(rowsDocument(version), dir, `rows-${version}`);
    expect(writeSchemas(ir, dir).code).toBe(backendsOf({ version }).code);
  }
});
