import { describe, expect, test } from 'vitest';
import type { IrOperation } from '../../src/ir/types.js';
import { Router } from '../../src/mock/router.js';

function operation(method: IrOperation['method'], path: string): IrOperation {
  return { name: `${method}${path}`, method, path, deprecated: false, tags: [], parameters: [], responses: [], security: [], idempotency: { mode: 'safe', header: 'Idempotency-Key', required: false, source: 'method' }, callbacks: [], pointer: '' };
}

const router = new Router(
  [operation('get', '/pets'), operation('post', '/pets'), operation('get', '/pets/{petId}'), operation('get', '/pets/mine'), operation('delete', '/pets/{petId}'), operation('get', '/files/{name}.{ext}'), operation('get', '/v1/{name}:cancel')],
  [{ url: 'https://api.test/api/v{major}', variables: { major: { default: '2' } } }],
);

describe('Router', () => {
  const cases: Array<{ method: string; path: string; want: string; params?: Record<string, string> }> = [
    { method: 'GET', path: '/pets', want: 'get/pets' },
    { method: 'GET', path: '/pets/', want: 'get/pets' },
    { method: 'POST', path: '/api/v2/pets', want: 'post/pets' },
    { method: 'GET', path: '/pets/mine', want: 'get/pets/mine' },
    { method: 'DELETE', path: '/pets/mine', want: 'delete/pets/{petId}', params: { petId: 'mine' } },
    { method: 'GET', path: '/pets/a%20b', want: 'get/pets/{petId}', params: { petId: 'a%20b' } },
    { method: 'HEAD', path: '/pets/7', want: 'get/pets/{petId}', params: { petId: '7' } },
    { method: 'GET', path: '/files/report.pdf', want: 'get/files/{name}.{ext}', params: { name: 'report', ext: 'pdf' } },
    { method: 'GET', path: '/v1/job-9:cancel', want: 'get/v1/{name}:cancel', params: { name: 'job-9' } },
  ];
  for (const c of cases) {
    test(`${c.method} ${c.path} -> ${c.want}`, () => {
      const result = router.match(c.method, c.path);
      expect(result.kind).toBe('match');
      if (result.kind !== 'match') return;
      expect(result.operation.name).toBe(c.want);
      if (c.params) expect(result.params).toEqual(c.params);
    });
  }

  test('405 lists the methods the path allows', () => {
    expect(router.match('PUT', '/pets/1')).toEqual({ kind: 'method-not-allowed', allow: ['DELETE', 'GET', 'HEAD'] });
  });

  test('404 for unknown paths, an empty parameter, or a base path alone', () => {
    expect(router.match('GET', '/cats').kind).toBe('not-found');
    expect(router.match('GET', '/pets//x').kind).toBe('not-found');
    expect(router.match('GET', '/api/v2').kind).toBe('not-found');
  });

  test('base paths come from the servers, longest first, and always include the bare path', () => {
    expect(router.basePaths).toEqual(['/api/v2', '']);
  });

  test('templates that differ only in parameter names keep their own names', () => {
    const shared = new Router([operation('get', '/a/{id}'), operation('get', '/a/{name}'), operation('get', '/a/{id}/b/{other}'), operation('get', '/a/{slug}/c')], []);
    const both = shared.match('GET', '/a/x');
    expect(both.kind === 'match' && both.alternatives.map((a) => a.params)).toEqual([{ id: 'x' }, { name: 'x' }]);
    const nested = shared.match('GET', '/a/x/c');
    expect(nested.kind === 'match' && nested.params).toEqual({ slug: 'x' });
  });

  test('query pairs written into a path key must be in the request', () => {
    const beta = new Router([operation('get', '/responses'), operation('get', '/responses?beta=true')], []);
    const plain = beta.match('GET', '/responses', '');
    const refined = beta.match('GET', '/responses', 'beta=true&x=1');
    expect(plain.kind === 'match' && plain.operation.path).toBe('/responses');
    expect(refined.kind === 'match' && refined.operation.path).toBe('/responses?beta=true');
  });
});
