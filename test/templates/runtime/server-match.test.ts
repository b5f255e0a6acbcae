import { describe, expect, it } from 'vitest';
import { PathMatcher } from '../../../templates/runtime/server-match.js';

const matcher = new PathMatcher<string>();
for (const [method, path] of [
  ['GET', '/pets'],
  ['POST', '/pets'],
  ['GET', '/pets/mine'],
  ['GET', '/pets/{petId}'],
  ['DELETE', '/pets/{id}'],
  ['GET', '/pets/{petId}/photo.{format}'],
  ['GET', '/pets/{petId}/toys/{toyId}'],
  ['GET', '/files/v{version}/{name}.{ext}'],
  ['GET', '/'],
] as const) {
  matcher.add(method, path, `${method} ${path}`);
}

describe('PathMatcher', () => {
  it.each([
    { method: 'GET', path: '/pets', route: 'GET /pets', params: {} },
    { method: 'post', path: '/pets', route: 'POST /pets', params: {} },
    { method: 'GET', path: '/pets/mine', route: 'GET /pets/mine', params: {} },
    { method: 'GET', path: '/pets/7', route: 'GET /pets/{petId}', params: { petId: '7', id: '7' } },
    { method: 'DELETE', path: '/pets/7', route: 'DELETE /pets/{id}', params: { petId: '7', id: '7' } },
    { method: 'GET', path: '/pets/a%2Fb', route: 'GET /pets/{petId}', params: { petId: 'a%2Fb', id: 'a%2Fb' } },
    { method: 'GET', path: '/pets/7/photo.png', route: 'GET /pets/{petId}/photo.{format}', params: { petId: '7', id: '7', format: 'png' } },
    { method: 'GET', path: '/pets/7/toys/3', route: 'GET /pets/{petId}/toys/{toyId}', params: { petId: '7', id: '7', toyId: '3' } },
    { method: 'GET', path: '/files/v2/report.tar.gz', route: 'GET /files/v{version}/{name}.{ext}', params: { version: '2', name: 'report', ext: 'tar.gz' } },
    { method: 'HEAD', path: '/pets/mine', route: 'GET /pets/mine', params: {} },
    { method: 'GET', path: '/', route: 'GET /', params: {} },
  ])('$method $path -> $route', ({ method, path, route, params }) => {
    const result = matcher.match(method, path);
    expect(result).toEqual({ kind: 'found', match: { route, params } });
  });

  it.each([
    { method: 'GET', path: '/owners' },
    { method: 'GET', path: '/pets/' },
    { method: 'GET', path: '/pets/7/photo' },
    { method: 'GET', path: '/pets//toys/3' },
  ])('$method $path -> no route', ({ method, path }) => {
    expect(matcher.match(method, path)).toEqual({ kind: 'none' });
  });

  it('names the allowed methods when only the method is wrong', () => {
    expect(matcher.match('PATCH', '/pets/7')).toEqual({ kind: 'method', allowed: ['DELETE', 'GET', 'HEAD'] });
  });
});
