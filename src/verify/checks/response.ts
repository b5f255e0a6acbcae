import type { IrMediaType, IrOperation, IrResponse } from '../../ir/types.js';
import { baseType, parseAccept } from '../../mock/negotiate.js';
import { parseHeaderParam } from '../../../templates/runtime/server-params.js';
import { wireHint } from '../../ir/wire-hint.js';
import { headerValidator, type VerifyContext } from '../context.js';
import type { WireResponse } from '../transport.js';
import type { CheckId } from '../types.js';

/**
 * The checks every answer to a valid request goes through: `no-server-error`, `status-declared`, `content-type`
 * and `response-schema` (body and declared headers), judged with the same validators the generated client uses.
 */

export interface Verdict {
  check: CheckId;
  passed: boolean;
  pointer?: string;
  contractPointer?: string;
  message?: string;
}

const fail = (check: CheckId, pointer: string, contractPointer: string, message: string): Verdict => ({ check, passed: false, pointer, contractPointer, message });
const pass = (check: CheckId): Verdict => ({ check, passed: true });

export function matchDeclared(operation: IrOperation, status: number): IrResponse | undefined {
  const responses = operation.responses;
  return responses.find((r) => r.status === String(status)) ?? responses.find((r) => r.status.toUpperCase() === `${String(status)[0]}XX`) ?? responses.find((r) => r.status === 'default');
}

function mediaFor(declared: IrResponse, contentType: string): IrMediaType | undefined {
  const base = baseType(contentType);
  const wildcard = (pattern: string): boolean => {
    const [pt, ps] = baseType(pattern).split('/');
    const [ct, cs] = base.split('/');
    return pt === '*' || (pt === ct && (ps === '*' || ps === cs));
  };
  return declared.content.find((m) => baseType(m.mediaType) === base) ?? declared.content.find((m) => wildcard(m.mediaType));
}

function accepted(accept: string | undefined, contentType: string): boolean {
  const ranges = parseAccept(accept).filter((r) => r.q > 0);
  if (ranges.length === 0) return true;
  const [ct, cs] = baseType(contentType).split('/');
  return ranges.some((r) => (r.type === '*' || r.type === ct) && (r.subtype === '*' || r.subtype === cs));
}

export function decodeBody(media: IrMediaType, body: Uint8Array): { ok: true; value: unknown } | { ok: false; message: string } {
  if (body.length === 0) return { ok: true, value: undefined };
  if (media.encoding === 'binary') return { ok: true, value: new Blob([Buffer.from(body)]) };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, message: 'the body is not valid UTF-8' };
  }
  if (media.encoding !== 'json') return { ok: true, value: text };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

const pointerOf = (path: readonly PropertyKey[]): string => path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function checkHeaders(ctx: VerifyContext, operation: IrOperation, declared: IrResponse, response: WireResponse): Verdict | undefined {
  for (const header of declared.headers) {
    const name = header.name.toLowerCase();
    if (name === 'content-type' || name === 'content-length' || name === 'transfer-encoding') continue;
    const value = response.headers[name];
    const where = `${declared.pointer}/headers/${header.name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (value === undefined) {
      if (header.required) return fail('response-schema', `/header/${name}`, where, `required response header ${header.name} is missing`);
      continue;
    }
    const hint = wireHint(header.schema, new Map(ctx.ir.schemas.map((s) => [s.name, s])));
    const parsed = parseHeaderParam({ name, in: 'header', style: 'simple', explode: false, hint }, value);
    const result = headerValidator(ctx, operation, declared.status, header.name)?.safeParse(parsed);
    if (result && !result.success) return fail('response-schema', `/header/${name}`, where, `response header ${header.name}: ${result.error.issues[0]?.message ?? 'invalid'} (got "${value}")`);
  }
  return undefined;
}

export function judgeResponse(ctx: VerifyContext, operation: IrOperation, accept: string | undefined, response: WireResponse): Verdict[] {
  const verdicts: Verdict[] = [];
  verdicts.push(response.status >= 500 ? fail('no-server-error', '/status', operation.pointer, `a valid request got ${response.status}`) : pass('no-server-error'));
  if (operation.responses.length === 0) return verdicts;
  const declared = matchDeclared(operation, response.status);
  if (!declared) {
    verdicts.push(fail('status-declared', '/status', `${operation.pointer}/responses`, `status ${response.status} is not declared (declared: ${operation.responses.map((r) => r.status).join(', ')})`));
    return verdicts;
  }
  verdicts.push(pass('status-declared'));
  // A HEAD answer has headers only: its body and media type are the GET's, never sent.
  if (operation.method === 'head') {
    verdicts.push(checkHeaders(ctx, operation, declared, response) ?? pass('response-schema'));
    return verdicts;
  }
  const contentType = response.headers['content-type'];
  let media: IrMediaType | undefined;
  if (declared.content.length > 0 && response.body.length > 0) {
    media = contentType === undefined ? undefined : mediaFor(declared, contentType);
    const declaredTypes = declared.content.map((m) => m.mediaType).join(', ');
    if (contentType === undefined) verdicts.push(fail('content-type', '/header/content-type', `${declared.pointer}/content`, `a ${response.status} body came without Content-Type (declared: ${declaredTypes})`));
    else if (!media) verdicts.push(fail('content-type', '/header/content-type', `${declared.pointer}/content`, `Content-Type ${contentType} is not declared for ${declared.status} (declared: ${declaredTypes})`));
    else if (!accepted(accept, contentType)) verdicts.push(fail('content-type', '/header/content-type', `${declared.pointer}/content`, `Content-Type ${contentType} is not one the request's Accept (${accept ?? ''}) allows`));
    else verdicts.push(pass('content-type'));
  } else if (declared.content.length > 0) {
    media = declared.content.find((m) => m.encoding === 'json') ?? declared.content[0];
  }
  const schemaVerdict = media ? checkBody(ctx, operation, declared, media, response) : undefined;
  const headerVerdict = checkHeaders(ctx, operation, declared, response);
  verdicts.push(schemaVerdict ?? headerVerdict ?? pass('response-schema'));
  return verdicts;
}

function checkBody(ctx: VerifyContext, operation: IrOperation, declared: IrResponse, media: IrMediaType, response: WireResponse): Verdict | undefined {
  if (media.streaming || response.status === 204 || response.status === 304) return undefined;
  const validator = ctx.registry.operation(operation).responses.get(declared.status)?.get(media.mediaType);
  if (!validator) return undefined;
  const decoded = decodeBody(media, response.body);
  if (!decoded.ok) return fail('response-schema', '/body', media.pointer, decoded.message);
  const result = validator.safeParse(decoded.value);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const pointer = `/body${pointerOf(issue?.path ?? [])}`;
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more)` : '';
  return fail('response-schema', pointer, `${media.pointer}/schema`, `${response.status} ${media.mediaType}: ${pointer}: ${issue?.message ?? 'invalid'}${more}`);
}
