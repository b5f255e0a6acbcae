import type { BodyEncoding, IrLink, IrMediaType, IrRequestBody, IrResponse, IrResponseHeader, JsonPointer } from '../types.js';
import { buildSchema } from './schema.js';
import { child, deref, isObject, optionalString, type BuildContext } from './context.js';

/** How a client encodes or decodes a media type. `*\/*` and unknown types travel as bytes. */
export function encodingOf(mediaType: string): BodyEncoding {
  const type = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json') || type === 'application/x-ndjson' || type === 'text/json') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type.startsWith('multipart/')) return 'multipart';
  if (type.startsWith('text/') || type === 'application/xml' || type.endsWith('+xml') || type === 'application/javascript') return 'text';
  return 'binary';
}

const STREAMING = new Set(['text/event-stream', 'application/x-ndjson', 'application/jsonl', 'application/stream+json']);

function buildContent(ctx: BuildContext, content: unknown, pointer: JsonPointer): IrMediaType[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([mediaType, raw]) => {
    const node = isObject(raw) ? raw : {};
    const at = child(pointer, mediaType);
    const examples: IrMediaType['examples'] = [];
    if (node['example'] !== undefined) examples.push({ name: 'default', value: node['example'] });
    if (isObject(node['examples'])) {
      for (const [name, example] of Object.entries(node['examples'])) {
        try {
          const resolved = deref(ctx, example, child(at, 'examples', name));
          if (resolved.node['value'] !== undefined) examples.push({ name, value: resolved.node['value'] });
        } catch {
          // An unresolvable example is documentation, not contract.
        }
      }
    }
    const base = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
    const encoding = encodingOf(mediaType);
    const schema = node['schema'] === undefined && encoding === 'binary' ? { kind: 'string' as const, format: 'binary', pointer: child(at, 'schema') } : buildSchema(ctx, node['schema'], child(at, 'schema'));
    return { mediaType, encoding, schema, examples, streaming: STREAMING.has(base), pointer: at };
  });
}

export function buildRequestBody(ctx: BuildContext, raw: unknown, at: JsonPointer): IrRequestBody | undefined {
  if (raw === undefined) return undefined;
  const { node, pointer } = deref(ctx, raw, at);
  const content = buildContent(ctx, node['content'], child(pointer, 'content'));
  if (content.length === 0) return undefined;
  const body: IrRequestBody = { required: node['required'] === true, content, pointer };
  const description = optionalString(node['description']);
  if (description !== undefined) body.description = description;
  return body;
}

function statusRank(status: string): number {
  if (/^\d{3}$/.test(status)) return Number(status);
  if (/^[1-5]XX$/i.test(status)) return Number(status[0]) * 100 + 99.5;
  return 1000;
}

export function buildResponses(ctx: BuildContext, raw: unknown, at: JsonPointer): IrResponse[] {
  if (!isObject(raw)) return [];
  const responses: IrResponse[] = [];
  for (const [status, value] of Object.entries(raw)) {
    if (status.startsWith('x-')) continue;
    const normalized = /^[1-5]xx$/i.test(status) ? status.toUpperCase() : status;
    const { node, pointer } = deref(ctx, value, child(at, status));
    const headers: IrResponseHeader[] = [];
    if (isObject(node['headers'])) {
      for (const [name, header] of Object.entries(node['headers'])) {
        const resolved = deref(ctx, header, child(pointer, 'headers', name));
        headers.push({ name, required: resolved.node['required'] === true, schema: buildSchema(ctx, resolved.node['schema'], child(resolved.pointer, 'schema')) });
      }
    }
    const response: IrResponse = {
      status: normalized,
      description: optionalString(node['description']) ?? '',
      content: buildContent(ctx, node['content'], child(pointer, 'content')),
      headers: headers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      pointer,
    };
    const links = buildLinks(ctx, node['links'], child(pointer, 'links'));
    if (links.length > 0) response.links = links;
    responses.push(response);
  }
  return responses.sort((a, b) => statusRank(a.status) - statusRank(b.status));
}

function buildLinks(ctx: BuildContext, raw: unknown, at: JsonPointer): IrLink[] {
  if (!isObject(raw)) return [];
  const links: IrLink[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const { node, pointer } = deref(ctx, value, child(at, name));
    const link: IrLink = { name, parameters: isObject(node['parameters']) ? { ...node['parameters'] } : {}, pointer };
    const operationId = optionalString(node['operationId']);
    const operationRef = optionalString(node['operationRef']);
    if (operationId !== undefined) link.operationId = operationId;
    if (operationRef !== undefined) link.operationRef = operationRef;
    if (node['requestBody'] !== undefined) link.requestBody = node['requestBody'];
    links.push(link);
  }
  return links;
}
