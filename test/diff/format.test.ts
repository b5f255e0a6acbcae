import { describe, expect, test } from 'vitest';
import { formatReport } from '../../src/diff/format/index.js';
import { lineIndex } from '../../src/diff/format/github.js';
import type { Change, DiffReport } from '../../src/diff/types.js';

const change = (over: Partial<Change>): Change => ({
  id: 'type-changed',
  level: 'breaking',
  direction: 'response',
  family: 'schema',
  message: 'plain',
  operations: [{ method: 'get', path: '/a' }],
  operation: { method: 'get', path: '/a' },
  impact: { functions: ['getA'], types: ['A'] },
  ...over,
});

const report = (changes: Change[]): DiffReport => ({
  reportVersion: 1,
  base: { source: 'base.yaml', title: 'T', version: '1.0.0', operations: 1 },
  revision: { source: 'rev.yaml', title: 'T', version: '1.0.0', operations: 1 },
  summary: { breaking: changes.filter((c) => c.level === 'breaking').length, warning: changes.filter((c) => c.level === 'warning').length, info: changes.filter((c) => c.level === 'info').length, total: changes.length },
  versioning: { base: '1.0.0', revision: '1.0.0', bump: 'none', required: 'major', ok: false },
  changes,
});

const nasty = 'a|b <c> & "d" 100% e:f,g\nsecond line';

describe('formats escape what their syntax reserves', () => {
  test('github: one line per annotation, data and properties escaped', () => {
    const out = formatReport(report([change({ message: nasty, id: 'type-changed' })]), 'github', { annotate: { file: 'dir,x/spec:1.yaml' } });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=dir%2Cx\/spec%3A1\.yaml,title=type-changed \(response\) GET \/a::/);
    expect(lines[0]?.endsWith('a|b <c> & "d" 100%25 e:f,g%0Asecond line')).toBe(true);
  });

  test('junit: XML special characters are escaped and cases balance', () => {
    const out = formatReport(report([change({ message: nasty }), change({ level: 'info', message: nasty })]), 'junit', { failOn: 'breaking' });
    expect(out).not.toContain('<c>');
    expect(out).toContain('&lt;c&gt; &amp; &quot;d&quot;');
    expect(out.match(/<testcase /g)).toHaveLength(2);
    expect(out.match(/<\/testcase>/g)).toHaveLength(2);
    expect(out.match(/<failure /g)).toHaveLength(1);
  });

  test('markdown: pipes and newlines cannot break the table', () => {
    const out = formatReport(report([change({ message: nasty })]), 'markdown');
    const row = out.split('\n').find((line) => line.startsWith('| `type-changed`'));
    expect(row).toBeDefined();
    expect(row?.split(/(?<!\\)\|/).length).toBe(7);
  });

  test('text: document-level changes have no operation', () => {
    const { operation: _dropped, ...documentLevel } = change({ id: 'version-not-bumped-major', level: 'warning', direction: 'document', family: 'versioning', operations: [], impact: { functions: [], types: [] } });
    const out = formatReport(report([documentLevel]), 'text');
    expect(out).toContain('[version-not-bumped-major] (document):');
  });
});

describe('line lookup for annotations', () => {
  const text = ['openapi: 3.0.3', 'paths:', '  /a:', '    get:', '      parameters:', '        - name: q', '          in: query'].join('\n');
  const find = lineIndex(text);
  test.each([
    ['/paths/~1a/get', 4],
    ['/paths/~1a/get/parameters/0', 6],
    ['/paths/~1a/get/parameters/0/in', 7],
    ['/paths/~1a/delete', 3],
    ['/nothing', undefined],
  ])('%s -> line %s', (pointer, want) => {
    expect(find(pointer)).toBe(want);
  });
});

describe('changes reaching several operations', () => {
  const ops = ['/a', '/b', '/c'].map((p, i) => ({ method: i === 1 ? 'post' : 'get', path: p }));
  const shared = change({ operations: ops, operation: { method: "get", path: "/a" } });

  test.each(['text', 'markdown', 'junit'] as const)('%s names the other operations after "+N more"', (format) => {
    expect(formatReport(report([shared]), format)).toContain('GET /a (+2 more: POST /b, GET /c)');
  });

  test('long lists end with how many are left', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ method: 'get', path: `/p${i}` }));
    const text = formatReport(report([change({ operations: many, operation: { method: "get", path: "/p0" } })]), 'text');
    expect(text).toContain('GET /p0 (+29 more: GET /p1, GET /p2, GET /p3, GET /p4, GET /p5, GET /p6, GET /p7, GET /p8, … 21 more)');
  });
});
