import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenApiDocument } from '../../load/load.js';

/** `types.ts`: openapi-typescript's output for the (bundled, upgraded) document. */
export async function generateTypes(document: OpenApiDocument): Promise<string> {
  // openapi-typescript mutates nothing we keep, but it resolves refs itself; give it a private copy.
  const nodes = await openapiTS(structuredClone(document) as never, { silent: true, alphabetize: false });
  return astToString(nodes);
}
