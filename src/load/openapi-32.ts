import type { OpenApiDocument } from './load.js';

/**
 * The structural validator knows the 3.1 schema only, so a 3.2 document is validated as a copy without the
 * fields 3.2 added (concord reads them: QUERY and additionalOperations, `in: querystring`, `itemSchema`, `$self`,
 * tag `summary`/`parent`/`kind`). Errors elsewhere in the document are still reported.
 */
export function withoutOpenApi32(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document) as Record<string, unknown>;
  delete copy['$self'];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(copy['tags'])) for (const tag of copy['tags']) if (isObject(tag)) for (const key of ['summary', 'parent', 'kind']) delete tag[key];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    delete node['itemSchema'];
    if (node['in'] === 'querystring') node['in'] = 'query';
    for (const value of Object.values(node)) visit(value);
  };
  for (const key of ['paths', 'webhooks', 'components']) {
    const map = copy[key];
    if (!isObject(map)) continue;
    const items = key === 'components' ? (isObject(map['pathItems']) ? map['pathItems'] : {}) : map;
    for (const item of Object.values(items)) {
      if (!isObject(item)) continue;
      delete item['query'];
      delete item['additionalOperations'];
    }
    visit(map);
  }
  return copy as OpenApiDocument;
}
