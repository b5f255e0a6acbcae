import type { z } from 'zod';
import type { IrDocument, IrMediaType, IrNamedSchema, IrOperation, IrResponse, IrSchema } from '../ir/types.js';
import type { ValidatorRegistry } from '../validate/registry.js';
import { problem, PROBLEM_TYPES, type ProblemDetails } from '../../templates/runtime/problem.js';
import { FakeGenerator, fakeValid, hashSeed, createRng } from './fake/index.js';
import { negotiate } from './negotiate.js';

/**
 * Chooses what an operation answers: the status (`Prefer: code=`, else the first success), the media type
 * (`Accept`), and the body: a named example (`Prefer: example=`), else the first contract example that passes
 * the response validator, else seeded generated data that passes it (`Prefer: dynamic=true` skips examples).
 */

export interface BodyPlan {
  response: IrResponse;
  status: number;
  media: IrMediaType | undefined;
  contentType: string | undefined;
}

export interface ProducedBody {
  value: unknown;
  source: 'example' | 'generated' | 'none';
  /** False when nothing valid could be produced (the body is the generator's best effort). */
  valid: boolean;
}

const EXCLUDED_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'x-correlation-id']);

export class Responder {
  readonly generator: FakeGenerator;
  private readonly named: Map<string, IrNamedSchema>;

  constructor(
    ir: IrDocument,
    private readonly registry: ValidatorRegistry,
    private readonly seed: number,
  ) {
    this.named = new Map(ir.schemas.map((s) => [s.name, s]));
    this.generator = new FakeGenerator({
      schemas: ir.schemas,
      variant: 'response',
      check: (name, value) => {
        const named = this.named.get(name);
        return this.registry.schema(named?.responseName ?? name).safeParse(value).success;
      },
    });
  }

  /** The response a request gets: `code` from `Prefer`, else the first success, else `default`, else the first. */
  selectResponse(operation: IrOperation, preferredCode: string | undefined): { response: IrResponse; status: number } | ProblemDetails {
    const responses = operation.responses;
    if (preferredCode !== undefined) {
      if (!/^[2-5]\d\d$/.test(preferredCode)) return problem(400, { detail: `Prefer: code=${preferredCode} is not a status between 200 and 599.`, pointer: '/header/prefer' });
      const exact = responses.find((r) => r.status === preferredCode) ?? responses.find((r) => r.status === `${preferredCode[0]}XX`) ?? responses.find((r) => r.status === 'default');
      if (!exact) {
        return problem(400, { detail: `Prefer: code=${preferredCode}: the operation declares no such response (declared: ${responses.map((r) => r.status).join(', ')}).`, pointer: '/header/prefer' });
      }
      return { response: exact, status: Number(preferredCode) };
    }
    const explicit = responses.filter((r) => /^\d{3}$/.test(r.status));
    const success = explicit.find((r) => r.status.startsWith('2'));
    if (success) return { response: success, status: Number(success.status) };
    const range = responses.find((r) => r.status === '2XX');
    if (range) return { response: range, status: 200 };
    const fallback = responses.find((r) => r.status === 'default');
    if (fallback) return { response: fallback, status: 200 };
    const other = explicit.find((r) => Number(r.status) >= 200 && Number(r.status) < 600);
    if (other) return { response: other, status: Number(other.status) };
    // Nothing declared: nothing to return.
    return { response: { status: '204', description: '', content: [], headers: [], pointer: operation.pointer }, status: 204 };
  }

  plan(operation: IrOperation, selected: { response: IrResponse; status: number }, accept: string | undefined): BodyPlan | ProblemDetails {
    const { response, status } = selected;
    if (response.content.length === 0 || status === 204 || status === 304) return { response, status, media: undefined, contentType: undefined };
    const negotiated = negotiate(response.content, accept);
    if (negotiated === 'not-acceptable') {
      return problem(406, {
        type: PROBLEM_TYPES.notAcceptable,
        detail: `None of the accepted media types (${accept ?? ''}) is declared for ${operation.method.toUpperCase()} ${operation.path} ${response.status}; declared: ${response.content.map((m) => m.mediaType).join(', ')}.`,
        pointer: '/header/accept',
      });
    }
    return { response, status, media: negotiated.media, contentType: negotiated.contentType };
  }

  validatorFor(operation: IrOperation, response: IrResponse, media: IrMediaType): z.ZodType | undefined {
    return this.registry.operation(operation).responses.get(response.status)?.get(media.mediaType);
  }

  /** Every example the contract gives for a media type, named ones first. */
  examples(media: IrMediaType): Array<{ name: string; value: unknown }> {
    const out = [...media.examples];
    const add = (schema: IrSchema, prefix: string): void => (schema.examples ?? []).forEach((value, i) => out.push({ name: `${prefix}${i}`, value }));
    add(media.schema, 'schema-');
    if (media.schema.kind === 'ref') {
      const target = this.named.get(media.schema.name);
      if (target) add(target.schema, 'schema-');
    }
    return out;
  }

  body(operation: IrOperation, plan: BodyPlan, prefer: ReadonlyMap<string, string>, requestPath: string): ProducedBody | ProblemDetails {
    const { media } = plan;
    if (media === undefined) return { value: undefined, source: 'none', valid: true };
    const validator = media.streaming ? undefined : this.validatorFor(operation, plan.response, media);
    const wanted = prefer.get('example');
    const examples = this.examples(media);
    if (wanted !== undefined) {
      const found = examples.find((e) => e.name === wanted);
      if (!found) {
        return problem(400, { detail: `Prefer: example=${wanted}: no such example for ${plan.response.status} ${media.mediaType} (available: ${examples.map((e) => e.name).join(', ') || 'none'}).`, pointer: '/header/prefer' });
      }
      return { value: found.value, source: 'example', valid: validator === undefined || validator.safeParse(found.value).success };
    }
    if (prefer.get('dynamic') !== 'true') {
      for (const example of examples) {
        if (validator === undefined || validator.safeParse(example.value).success) return { value: example.value, source: 'example', valid: true };
      }
    }
    const seed = hashSeed(this.seed, operation.name, plan.status, media.mediaType, requestPath);
    const generated = fakeValid(this.generator, media.schema, validator, seed);
    return { value: generated.value, source: 'generated', valid: generated.valid };
  }

  /** Values for the response headers the contract declares (skipping ones the mock sets itself). */
  headers(response: IrResponse, requestPath: string): Record<string, string> {
    const out: Record<string, string> = {};
    if (response.headers.length === 0) return out;
    const rng = createRng(hashSeed(this.seed, 'headers', response.pointer, requestPath));
    for (const header of response.headers) {
      if (EXCLUDED_HEADERS.has(header.name.toLowerCase())) continue;
      const value = this.generator.generate(header.schema, rng);
      const text = Array.isArray(value) ? value.map(String).join(',') : value !== null && typeof value === 'object' ? undefined : String(value);
      if (text !== undefined && /^[\x20-\x7e]*$/.test(text)) out[header.name] = text;
    }
    return out;
  }
}

/** Bytes (or text) for a value in a media type, the way the generated client will decode it. */
export function serialize(value: unknown, media: IrMediaType): string {
  switch (media.encoding) {
    case 'json':
      if (media.streaming) return (Array.isArray(value) ? value : [value]).map((item) => JSON.stringify(item)).join('\n') + '\n';
      return JSON.stringify(value) ?? 'null';
    case 'text':
      if (media.streaming) return `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
      return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
    case 'form': {
      const params = new URLSearchParams();
      if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) params.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      return params.toString();
    }
    case 'multipart':
      return JSON.stringify(value) ?? '';
    case 'binary':
      return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  }
}
