import { stringList } from './context.js';
import type { JsonObject, ServerBase, UpgradeWarning } from './context.js';

/** Reads host/basePath/schemes once; warnings go straight into the shared list (the context is not built yet). */
export function readServerBase(doc: JsonObject, warnings: UpgradeWarning[]): ServerBase {
  const host = typeof doc['host'] === 'string' && doc['host'] !== '' ? doc['host'] : undefined;
  let basePath = typeof doc['basePath'] === 'string' ? doc['basePath'] : '';
  if (basePath !== '' && !basePath.startsWith('/')) {
    warnings.push({ pointer: '/basePath', message: 'basePath must start with "/"; added' });
    basePath = `/${basePath}`;
  }
  // Paths start with "/", so a trailing one on the server URL would double it.
  basePath = basePath.replace(/\/+$/, '');
  return { host, basePath, schemes: stringList(doc['schemes']) ?? ['https'] };
}

export function buildServers(base: ServerBase): JsonObject[] {
  if (base.host === undefined) return [{ url: base.basePath === '' ? '/' : base.basePath }];
  return base.schemes.map((scheme) => ({ url: `${scheme}://${base.host ?? ''}${base.basePath}` }));
}
