/**
 * Correlation ids and W3C trace context. Browser-safe: the AsyncLocalStorage-backed ambient id lives in
 * the `node` target's `withCorrelationId`, and reaches the client only through the `getAmbientCorrelationId` option.
 */
import { randomNonZeroHex, uuidv4 } from './encoding.js';

export const DEFAULT_CORRELATION_HEADER = 'X-Correlation-ID';

export type AmbientCorrelationSource = () => string | undefined;

export function newCorrelationId(): string {
  return uuidv4();
}

export interface TraceContext {
  traceId: string;
  parentId: string;
  flags: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a version-00 `traceparent`; all-zero ids are invalid per the spec and yield undefined. */
export function parseTraceparent(value: string | null | undefined): TraceContext | undefined {
  if (value === null || value === undefined) return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (match === null) return undefined;
  const [, traceId = '', parentId = '', flags = '00'] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(parentId)) return undefined;
  return { traceId, parentId, flags };
}

export function newTraceId(): string {
  return randomNonZeroHex(16);
}

export function newParentId(): string {
  return randomNonZeroHex(8);
}

export function formatTraceparent(traceId: string, parentId: string, flags: string): string {
  return `00-${traceId}-${parentId}-${flags}`;
}
