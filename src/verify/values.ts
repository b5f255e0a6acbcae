import type { IrMediaType, IrOperation, IrParameter, ParameterLocation } from '../ir/types.js';
import { createRng, fakeValid, hashSeed } from '../mock/fake/index.js';
import type { VerifyContext } from './context.js';

/** A request as values (before serialisation): what generation, mutation and shrinking work on. */
export interface RequestValues {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  header: Record<string, unknown>;
  cookie: Record<string, unknown>;
  body?: { media: IrMediaType; value: unknown };
  /** Bytes sent as they are instead of an encoded body (malformed JSON). */
  rawBody?: { contentType: string; text: string };
}

export type CaseMode = 'examples' | 'minimal' | 'random';

/** Header parameters OpenAPI says are ignored (the transport and auth own them). */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

export function emptyValues(): RequestValues {
  return { path: {}, query: {}, header: {}, cookie: {} };
}

export function cloneValues(values: RequestValues): RequestValues {
  return {
    path: { ...values.path },
    query: { ...values.query },
    header: { ...values.header },
    cookie: { ...values.cookie },
    ...(values.body ? { body: { media: values.body.media, value: structuredClone(values.body.value) } } : {}),
    ...(values.rawBody ? { rawBody: values.rawBody } : {}),
  };
}

export function sendsParameter(operation: IrOperation, p: IrParameter): boolean {
  if (p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())) return false;
  // The verifier sets the idempotency key itself.
  return !(p.in === 'header' && operation.idempotency.mode === 'keyed' && p.name.toLowerCase() === operation.idempotency.header.toLowerCase());
}

/** Media types a request can be built for: streams and unknown encodings are left to the provider's own tests. */
export function sendableMedia(operation: IrOperation): IrMediaType[] {
  return (operation.requestBody?.content ?? []).filter((m) => !m.streaming);
}

function mediaExample(media: IrMediaType): unknown {
  if (media.examples[0] !== undefined) return media.examples[0].value;
  return media.schema.examples?.[0];
}

/**
 * Case `index` of an operation: 0 uses the contract's examples, 1 only what is required, later ones seeded data
 * with optional members in or out. Data comes from the mock's generator (request variant), checked against the
 * request validators; the caller still reads the serialised request back to confirm it is valid on the wire.
 */
export function generateCase(ctx: VerifyContext, operation: IrOperation, index: number): RequestValues {
  const mode: CaseMode = index === 0 ? 'examples' : index === 1 ? 'minimal' : 'random';
  const rng = createRng(hashSeed(ctx.seed, operation.pointer, index));
  const values = emptyValues();
  for (const p of operation.parameters) {
    if (!sendsParameter(operation, p)) continue;
    if (!p.required && (mode === 'minimal' || (mode === 'random' && rng.chance(0.5)))) continue;
    const example = mode === 'examples' ? p.schema.examples?.[0] : undefined;
    const value = example !== undefined ? example : fakeValid(ctx.generator, p.schema, undefined, hashSeed(ctx.seed, operation.pointer, p.in, p.name, index), { minimal: mode === 'minimal' }).value;
    if (value !== null || p.schema.nullable === true) setParam(values, p.in, p.name, value);
  }
  const media = sendableMedia(operation);
  const body = operation.requestBody;
  if (body && media.length > 0 && (body.required || mode === 'examples' || (mode === 'random' && rng.chance(0.8)))) {
    const chosen = media[index % media.length] as IrMediaType;
    const example = mode === 'examples' ? mediaExample(chosen) : undefined;
    const validator = ctx.registry.operation(operation).body.get(chosen.mediaType);
    const value =
      example !== undefined
        ? example
        : chosen.encoding === 'binary'
          ? `concord-${index}-${rng.int(0, 1e6)}`
          : fakeValid(ctx.generator, chosen.schema, validator, hashSeed(ctx.seed, operation.pointer, 'body', index), { minimal: mode === 'minimal' }).value;
    values.body = { media: chosen, value };
  }
  return values;
}

export function setParam(values: RequestValues, location: ParameterLocation, name: string, value: unknown): void {
  Object.defineProperty(values[location], name, { value, enumerable: true, writable: true, configurable: true });
}
