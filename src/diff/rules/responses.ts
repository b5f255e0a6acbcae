import type { IrOperation, IrResponse, IrResponseHeader } from '../../ir/types.js';
import type { DiffContext, Finding } from '../context.js';
import { compareMedia, pairMediaTypes } from './request-body.js';
import { compareSchemas } from './schema.js';

/** Responses family: statuses, media types and headers; bodies and header schemas go to the schema family (response). */

const isSuccess = (status: string): boolean => status.startsWith('2');
const headerPointer = (header: IrResponseHeader): string => header.schema.pointer.replace(/\/schema$/, '');

export function compareResponses(ctx: DiffContext, base: IrOperation, revision: IrOperation): Finding[] {
  const out: Finding[] = [];
  const revisionByStatus = new Map(revision.responses.map((response) => [response.status, response]));
  const baseStatuses = new Set(base.responses.map((response) => response.status));
  for (const b of base.responses) {
    const r = revisionByStatus.get(b.status);
    if (!r) {
      const id = isSuccess(b.status) ? 'response-success-status-removed' : 'response-non-success-status-removed';
      out.push(ctx.emit(id, 'response', `response ${b.status}`, 'status removed', { base: b.pointer }));
      continue;
    }
    out.push(...compareResponse(ctx, b, r));
  }
  for (const r of revision.responses) {
    if (baseStatuses.has(r.status)) continue;
    const id = isSuccess(r.status) ? 'response-success-status-added' : 'response-non-success-status-added';
    out.push(ctx.emit(id, 'response', `response ${r.status}`, 'status added', { revision: r.pointer }));
  }
  return out;
}

function compareResponse(ctx: DiffContext, b: IrResponse, r: IrResponse): Finding[] {
  const out: Finding[] = [];
  const where = `response ${r.status}`;
  const { pairs, removed, added } = pairMediaTypes(b.content, r.content);
  for (const m of removed) out.push(ctx.emit('response-media-type-removed', 'response', where, `media type ${m.mediaType} removed`, { base: m.pointer, revision: r.pointer }));
  for (const m of added) out.push(ctx.emit('response-media-type-added', 'response', where, `media type ${m.mediaType} added`, { base: b.pointer, revision: m.pointer }));
  for (const [bm, rm] of pairs) out.push(...compareMedia(ctx, bm, rm, 'response', `response ${r.status} (${rm.mediaType})`));

  const revisionHeaders = new Map(r.headers.map((header) => [header.name.toLowerCase(), header]));
  const baseHeaders = new Set(b.headers.map((header) => header.name.toLowerCase()));
  for (const bh of b.headers) {
    const rh = revisionHeaders.get(bh.name.toLowerCase());
    const here = `${where} header \`${bh.name}\``;
    if (!rh) {
      out.push(ctx.emit(bh.required ? 'response-header-removed' : 'response-optional-header-removed', 'response', here, `${bh.required ? 'required' : 'optional'} header removed`, { base: headerPointer(bh), revision: r.pointer }));
      continue;
    }
    if (bh.required && !rh.required) out.push(ctx.emit('response-header-became-optional', 'response', here, 'became optional', { base: headerPointer(bh), revision: headerPointer(rh) }));
    out.push(...compareSchemas(ctx, bh.schema, rh.schema, { direction: 'response', root: here, rootIsType: false, path: '' }));
  }
  for (const rh of r.headers) {
    if (baseHeaders.has(rh.name.toLowerCase())) continue;
    out.push(ctx.emit('response-header-added', 'response', `${where} header \`${rh.name}\``, `${rh.required ? 'required' : 'optional'} header added`, { base: b.pointer, revision: headerPointer(rh) }));
  }
  return out;
}
