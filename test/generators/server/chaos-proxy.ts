/**
 * A fault-injecting reverse proxy for the end-to-end test. The mock server has fault injection but no proxy mode,
 * so this reuses its chaos model (src/mock/chaos.ts: seeded decisions, `503=0.1,reset=0.05,latency=...`) in front
 * of the real provider: injected statuses never reach the provider; a reset forwards the request, lets it take
 * effect, and then drops the connection so the caller never sees the answer.
 */
import http from 'node:http';
import { decideChaos, parseChaos } from '../../../src/mock/chaos.js';
import { createRng } from '../../../src/mock/fake/prng.js';

export interface ChaosProxy {
  url: string;
  stats: { forwarded: number; injected: number; resets: number };
  close(): Promise<void>;
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startChaosProxy(upstream: string, chaos: string, seed: number): Promise<ChaosProxy> {
  const spec = parseChaos(chaos);
  const rng = createRng(seed);
  const stats = { forwarded: 0, injected: 0, resets: 0 };
  const server = http.createServer((req, res) => {
    const decision = decideChaos(spec, rng);
    void (async () => {
      const body = await readAll(req);
      if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
      if (decision.status !== undefined) {
        stats.injected++;
        res.writeHead(decision.status, { 'content-type': 'application/problem+json', 'retry-after': String(spec.retryAfterSeconds) });
        res.end(JSON.stringify({ type: 'urn:concord:problem:injected-fault', title: 'Injected fault', status: decision.status }));
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name === 'host' || name === 'connection' || name === 'content-length') continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      stats.forwarded++;
      const answer = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) });
      const payload = Buffer.from(await answer.arrayBuffer());
      if (decision.reset) {
        // The provider has acted on the request; the caller loses the answer.
        stats.resets++;
        req.socket.destroy();
        return;
      }
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection') out[name] = value;
      });
      res.writeHead(answer.status, out);
      res.end(payload);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
