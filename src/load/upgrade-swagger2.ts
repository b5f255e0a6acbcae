import { ConcordError } from '../errors.js';
import type { ErrorLocation } from '../errors.js';
import { DEFAULT_MEDIA_TYPE, copyValue, isExtension, isRecord, ptr, resolveInSource, stringList, warn } from './swagger2/context.js';
import type { JsonObject, UpgradeContext, UpgradeWarning } from './swagger2/context.js';
import { bodyRequest, convertParameter } from './swagger2/parameters.js';
import { convertPaths } from './swagger2/paths.js';
import { rewriteRefs } from './swagger2/refs.js';
import { convertResponse } from './swagger2/responses.js';
import { convertSchemaMap } from './swagger2/schema.js';
import { convertSecuritySchemes } from './swagger2/security.js';
import { buildServers, readServerBase } from './swagger2/servers.js';

export type { UpgradeWarning } from './swagger2/context.js';

export interface Swagger2Upgrade {
  document: Record<string, unknown>;
  /** What could not be carried over, each at its pointer in the 2.0 document. */
  warnings: UpgradeWarning[];
}

/** Root keys handled explicitly; anything else that is not an extension is reported and dropped. */
const ROOT_KEYS = new Set([
  'swagger', 'info', 'host', 'basePath', 'schemes', 'consumes', 'produces', 'paths', 'definitions', 'parameters',
  'responses', 'securityDefinitions', 'security', 'tags', 'externalDocs',
]);

/**
 * Converts a bundled Swagger 2.0 document (internal `$ref`s only) into an equivalent OpenAPI 3.0.3 document.
 * Pure: the input is never modified and the output shares no objects with it.
 */
export function upgradeSwagger2(doc: Record<string, unknown>, options: { file?: string } = {}): Swagger2Upgrade {
  if (doc['swagger'] !== '2.0') {
    const location: ErrorLocation = { pointer: '/swagger' };
    if (options.file !== undefined) location.file = options.file;
    throw new ConcordError('SPEC_UNSUPPORTED_VERSION', `Expected a Swagger 2.0 document (swagger: "2.0"), got swagger: ${JSON.stringify(doc['swagger']) ?? 'undefined'}.`, { location });
  }
  const warnings: UpgradeWarning[] = [];
  const ctx: UpgradeContext = {
    source: doc,
    file: options.file,
    warnings,
    moved: new Map([
      ['/definitions', '/components/schemas'],
      ['/responses', '/components/responses'],
      ['/securityDefinitions', '/components/securitySchemes'],
    ]),
    pendingRefs: [],
    consumes: stringList(doc['consumes']) ?? [DEFAULT_MEDIA_TYPE],
    produces: stringList(doc['produces']) ?? [DEFAULT_MEDIA_TYPE],
    server: readServerBase(doc, warnings),
    active: new WeakSet(),
  };

  // Components first: their locations are the canonical targets when paths are converted and refs rewritten.
  const components = convertComponents(ctx, doc);
  const document: JsonObject = { openapi: '3.0.3' };
  document['info'] = isRecord(doc['info']) ? copyValue(ctx, doc['info'], '/info') : missingInfo(ctx);
  if (doc['externalDocs'] !== undefined) document['externalDocs'] = copyValue(ctx, doc['externalDocs'], '/externalDocs');
  document['servers'] = buildServers(ctx.server);
  if (doc['tags'] !== undefined) document['tags'] = copyValue(ctx, doc['tags'], '/tags');
  if (doc['security'] !== undefined) document['security'] = copyValue(ctx, doc['security'], '/security');
  document['paths'] = convertPaths(ctx, doc['paths'] ?? {});
  if (Object.keys(components).length > 0) document['components'] = components;
  for (const [key, value] of Object.entries(doc)) {
    if (isExtension(key)) document[key] = copyValue(ctx, value, ptr('', key));
    else if (!ROOT_KEYS.has(key)) warn(ctx, ptr('', key), `"${key}" is not a Swagger 2.0 field; dropped`);
  }
  rewriteRefs(ctx, document);
  return { document, warnings: dedupe(warnings) };
}

function missingInfo(ctx: UpgradeContext): JsonObject {
  warn(ctx, '/info', 'document has no `info`; an empty title and version were used');
  return { title: '', version: '' };
}

function convertComponents(ctx: UpgradeContext, doc: JsonObject): JsonObject {
  const components: JsonObject = {};
  if (doc['definitions'] !== undefined) components['schemas'] = convertSchemaMap(ctx, doc['definitions'], '/definitions');
  const parameters: JsonObject = {};
  const requestBodies: JsonObject = {};
  const sourceParameters = doc['parameters'];
  if (isRecord(sourceParameters)) {
    for (const [name, param] of Object.entries(sourceParameters)) {
      const at = ptr('/parameters', name);
      const resolved = resolveInSource(ctx, param, at);
      if (resolved === undefined) {
        warn(ctx, at, 'parameter is not an object; dropped');
        continue;
      }
      const location = resolved.value['in'];
      if (location === 'body') {
        const target = ptr('/components/requestBodies', name);
        ctx.moved.set(at, target);
        requestBodies[name] = bodyRequest(ctx, resolved.value, at, ctx.consumes, target);
      } else if (location !== 'formData') {
        // A lone form field has no 3.0 component; operations that reference one get it inlined in their requestBody.
        const converted = convertParameter(ctx, resolved.value, at);
        if (converted === undefined) continue;
        const target = ptr('/components/parameters', name);
        ctx.moved.set(at, target);
        ctx.moved.set(ptr(at, 'items'), ptr(target, 'schema', 'items'));
        parameters[name] = converted;
      }
    }
  } else if (sourceParameters !== undefined) {
    warn(ctx, '/parameters', '`parameters` must be a map; dropped');
  }
  if (Object.keys(parameters).length > 0) components['parameters'] = parameters;
  if (Object.keys(requestBodies).length > 0) components['requestBodies'] = requestBodies;
  const responses = convertResponseMap(ctx, doc['responses']);
  if (Object.keys(responses).length > 0) components['responses'] = responses;
  if (doc['securityDefinitions'] !== undefined) {
    const schemes = convertSecuritySchemes(ctx, doc['securityDefinitions'], '/securityDefinitions');
    if (Object.keys(schemes).length > 0) components['securitySchemes'] = schemes;
  }
  return components;
}

function convertResponseMap(ctx: UpgradeContext, responses: unknown): JsonObject {
  const out: JsonObject = {};
  if (responses === undefined) return out;
  if (!isRecord(responses)) {
    warn(ctx, '/responses', '`responses` must be a map; dropped');
    return out;
  }
  for (const [name, response] of Object.entries(responses)) {
    out[name] = convertResponse(ctx, response, ptr('/responses', name), ctx.produces, ptr('/components/responses', name));
  }
  return out;
}

function dedupe(warnings: readonly UpgradeWarning[]): UpgradeWarning[] {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    const key = `${warning.pointer}\u0000${warning.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
