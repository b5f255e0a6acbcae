import type { IrOperation, ParameterLocation } from '../ir/types.js';
import { encodeBody, serializeCookie, serializeHeader, serializePath, serializeQuery, type ParamSpec } from '../../templates/runtime/serialize.js';
import { parseParameters, prepareRoute, type CheckSettings } from '../../templates/runtime/server-checks.js';
import { readRequestBody } from '../../templates/runtime/server-request-body.js';
import { DEFAULT_PARSE_LIMITS } from '../../templates/runtime/parse-limits.js';
import type { RawRequest } from '../../templates/runtime/server-types.js';
import { credentialsFor } from './auth.js';
import { routeTable, type VerifyContext } from './context.js';
import type { WireRequest } from './types.js';
import { sendsParameter, type RequestValues } from './values.js';

export interface EncodedRequest {
  wire: WireRequest;
  /** Raw text of each path parameter as a router would hand it over. */
  pathRaw: Record<string, string>;
  values: RequestValues;
  /** Which generated case this is (0 examples, 1 minimal, then seeded), when it is one. */
  caseIndex?: number;
}

export interface EncodeOptions {
  /** Send the credentials `--auth` gives for the operation (default true). */
  auth?: boolean;
  idempotencyKey?: string;
}

const utf8 = new TextEncoder();
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function specOf(p: IrOperation['parameters'][number]): ParamSpec {
  return { name: p.name, in: p.in, style: p.style, explode: p.explode, allowReserved: p.allowReserved, ...(p.contentType !== undefined ? { contentType: p.contentType } : {}) };
}

/** The union of the media types the operation declares for any status: what the generated client accepts. */
const accepts = new WeakMap<IrOperation, string | undefined>();

export function acceptFor(operation: IrOperation): string | undefined {
  if (accepts.has(operation)) return accepts.get(operation);
  const types = [...new Set(operation.responses.flatMap((r) => r.content.map((m) => m.mediaType.split(';')[0]?.trim() ?? '')))].filter((t) => t !== '');
  const accept = types.length === 0 ? undefined : types.join(', ');
  accepts.set(operation, accept);
  return accept;
}

function buildPath(operation: IrOperation, values: RequestValues, pathRaw: Record<string, string>): string | undefined {
  const [template = ''] = operation.path.split('?');
  let missing = false;
  const path = template.replace(/\{([^{}]+)\}/g, (_whole, name: string) => {
    const p = operation.parameters.find((x) => x.in === 'path' && x.name === name);
    if (!p || !Object.hasOwn(values.path, name)) {
      missing = true;
      return '';
    }
    try {
      const text = serializePath(specOf(p), values.path[name]);
      // An empty segment cannot be routed by any server (`/a//b`): the value is not addressable.
      if (text === '') missing = true;
      pathRaw[name] = text;
      return text;
    } catch {
      missing = true;
      return '';
    }
  });
  return missing ? undefined : path;
}

async function bodyBytes(values: RequestValues): Promise<{ bytes: Uint8Array; contentType: string | undefined } | undefined> {
  if (values.rawBody) return { bytes: utf8.encode(values.rawBody.text), contentType: values.rawBody.contentType };
  if (!values.body) return undefined;
  const { media, value } = values.body;
  if (media.encoding === 'json') return { bytes: utf8.encode(JSON.stringify(value) ?? 'null'), contentType: media.mediaType.includes('*') ? 'application/json' : media.mediaType };
  const encoded = encodeBody(media.encoding, media.mediaType, media.encoding === 'binary' && typeof value === 'string' ? utf8.encode(value) : value);
  const response = new Response(encoded.body);
  const contentType = encoded.contentType ?? response.headers.get('content-type') ?? undefined;
  return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: contentType?.includes('*') ? 'application/octet-stream' : contentType };
}

/** Values -> the exact bytes on the wire, serialised by the generated client's own functions. */
export async function encodeRequest(ctx: VerifyContext, operation: IrOperation, values: RequestValues, options: EncodeOptions = {}): Promise<EncodedRequest | undefined> {
  const pathRaw: Record<string, string> = {};
  const path = buildPath(operation, values, pathRaw);
  if (path === undefined) return undefined;
  const literalQuery = operation.path.includes('?') ? (operation.path.split('?')[1] ?? '') : '';
  const query: string[] = literalQuery === '' ? [] : [literalQuery];
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const p of operation.parameters) {
    if (!sendsParameter(operation, p) || !Object.hasOwn(values[p.in], p.name)) continue;
    // A header name HTTP cannot carry (`x-"quoted"`) is never sent; a required one makes the request invalid.
    if ((p.in === 'header' || p.in === 'cookie') && !TOKEN.test(p.name)) continue;
    const value = values[p.in][p.name];
    if (p.in === 'query') query.push(...serializeQuery(specOf(p), value));
    else if (p.in === 'header') {
      const text = serializeHeader(specOf(p), value);
      if (text !== undefined) headers[p.name.toLowerCase()] = text;
    } else if (p.in === 'cookie') {
      const text = serializeCookie(specOf(p), value);
      if (text !== undefined) cookies.push(text);
    }
  }
  if (options.auth !== false) {
    const credentials = credentialsFor(ctx, operation);
    if (credentials) {
      Object.assign(headers, credentials.headers);
      for (const [k, v] of credentials.query) query.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
      for (const [k, v] of credentials.cookies) cookies.push(`${k}=${encodeURIComponent(v)}`);
    }
  }
  if (cookies.length > 0) headers['cookie'] = cookies.join('; ');
  const accept = acceptFor(operation);
  if (accept !== undefined) headers['accept'] = accept;
  if (options.idempotencyKey !== undefined) headers[operation.idempotency.header.toLowerCase()] = options.idempotencyKey;
  for (const [name, value] of Object.entries(ctx.headers)) headers[name.toLowerCase()] = value;
  const body = await bodyBytes(values);
  if (body?.contentType !== undefined) headers['content-type'] = body.contentType;
  const url = `${ctx.baseUrl}${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
  return { wire: { method: operation.method.toUpperCase(), url, headers, ...(body ? { body: body.bytes } : {}) }, pathRaw, values };
}

export interface ReadBack {
  valid: boolean;
  /** `/query/limit: Too big`, ... */
  issues: string[];
}

/** A wire request as the pipeline reads one. */
function rawOfWire(wire: WireRequest): RawRequest {
  const url = new URL(wire.url);
  const bytes = new Uint8Array(new ArrayBuffer(wire.body?.length ?? 0));
  if (wire.body !== undefined) bytes.set(wire.body);
  return {
    method: wire.method.toUpperCase(),
    url: url.pathname + url.search,
    header: (name) => wire.headers[name],
    body: () => Promise.resolve(bytes),
    toRequest: () => new Request(wire.url, { method: wire.method, headers: wire.headers }),
  };
}

/**
 * Reads an encoded request back the way concord's server pipeline does (its parameter and body steps,
 * templates/runtime/server-checks.ts and server-request-body.ts) and judges it with the request validators: a
 * "valid" request must pass, a negative one must not. `received` judges it as a provider does by default: `format`
 * is an annotation on what a provider receives (templates/runtime/zod-helpers.ts), so a value that breaks only a
 * format is no reason for a 4xx. What verify sends as valid is judged as sent, formats included.
 */
export async function readBack(ctx: VerifyContext, operation: IrOperation, encoded: EncodedRequest, as: 'sent' | 'received' = 'sent'): Promise<ReadBack> {
  const { wire } = encoded;
  const spec = routeTable(ctx).specOf(operation);
  const settings: CheckSettings = { validateRequests: true, formats: as === 'received' ? 'outgoing' : 'strict', schemes: new Map(), verifiers: undefined, realm: '' };
  const raw = rawOfWire(wire);
  const issues: string[] = [];
  const params = parseParameters(prepareRoute(spec, settings), encoded.pathRaw, raw, new URL(wire.url).search.slice(1), settings);
  if (!params.ok) issues.push(...params.issues.map((i) => `${i.pointer}: ${i.message}`));
  if (spec.body.length > 0) {
    const limits = { ...DEFAULT_PARSE_LIMITS, maxBodyBytes: Math.max(DEFAULT_PARSE_LIMITS.maxBodyBytes, wire.body?.length ?? 0) };
    const read = await readRequestBody(spec, raw, limits, '', settings.formats);
    if (read.kind === 'refused') issues.push(`${read.issues[0]?.pointer ?? '/body'}: ${read.details.detail ?? read.details.title}`);
    else if (read.kind === 'invalid') issues.push(...read.issues.map((i) => `${i.pointer}: ${i.message}`));
  }
  return { valid: issues.length === 0, issues };
}
