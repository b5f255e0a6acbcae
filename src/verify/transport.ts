import http from 'node:http';
import https from 'node:https';
import type { WireRequest } from './types.js';

export interface WireResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Uint8Array;
  ms: number;
}

export type SendResult = { ok: true; response: WireResponse } | { ok: false; error: string; stale?: boolean };

const MAX_BODY = 16 * 1024 * 1024;

/**
 * Sends requests over keep-alive node:http agents with a concurrency limit. node:http rather than fetch: it
 * keeps the exact bytes and headers a check must see (no automatic decompression or redirects) and does several
 * times the requests per second of undici's fetch on the same loop.
 */
export class Transport {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  sent = 0;

  constructor(
    private readonly concurrency: number,
    private readonly timeoutMs: number,
  ) {
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets: concurrency });
  }

  async send(request: WireRequest): Promise<SendResult> {
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    this.sent++;
    try {
      const first = await this.once(request);
      // A keep-alive socket the server closed while idle fails on reuse; that says nothing about the provider.
      return !first.ok && first.stale ? await this.once(request) : first;
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  private once(request: WireRequest): Promise<SendResult> {
    return new Promise<SendResult>((resolve) => {
      const url = new URL(request.url);
      const secure = url.protocol === 'https:';
      const started = performance.now();
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = request.body.length;
      const req = (secure ? https : http).request(
        { protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path: url.pathname + url.search, method: request.method, headers, agent: secure ? this.httpsAgent : this.httpAgent, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY) chunks.push(chunk);
          });
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
            resolve({ ok: true, response: { status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks), ms: performance.now() - started } });
          });
          res.on('error', (error) => resolve({ ok: false, error: error.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, error: error.message, stale: req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE') }));
      req.end(request.body === undefined ? undefined : Buffer.from(request.body.buffer, request.body.byteOffset, request.body.length));
    }).catch((error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }));
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
