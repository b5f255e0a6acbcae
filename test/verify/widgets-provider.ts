import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A hand-written provider of fixtures/verify/widgets.yaml (plain node:http, its own validation, no concord
 * code), honest by default; each fault seeds one violation of the contract that `concord verify` must find.
 */
export type Fault =
  | 'missing-field' // GET /widgets/{id} leaves out the required `size`
  | 'server-error' // GET /widgets answers an undeclared 500 whenever `limit` is given
  | 'undeclared-status' // POST /widgets answers 202
  | 'accepts-invalid' // POST /widgets does not validate the body: 201 for anything
  | 'applies-twice' // POST /widgets ignores Idempotency-Key: a retry creates another widget
  | 'no-auth' // GET /profile answers without credentials
  | 'other-data' // GET /widgets/{id} after a create returns another widget's data
  | 'wrong-content-type' // GET /reports/{id} answers text/plain
  | 'bad-header'; // GET /reports/{id} sends X-Report-Version: latest (declared integer)

export interface WidgetsProvider {
  url: string;
  requests: number;
  close(): Promise<void>;
}

interface Widget {
  id: number;
  name: string;
  size: number;
  color?: string;
  notes?: string;
}

const COLORS = ['red', 'green', 'blue'];

function send(res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
}

const error = (res: http.ServerResponse, status: number, message: string): void => send(res, status, { message });

function widgetProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'body must be an object';
  const w = value as Record<string, unknown>;
  if (typeof w['name'] !== 'string' || w['name'].length < 1 || w['name'].length > 20) return 'name must be a string of 1-20 characters';
  if (typeof w['size'] !== 'number' || !Number.isInteger(w['size']) || w['size'] < 1 || w['size'] > 10) return 'size must be an integer 1-10';
  if (w['color'] !== undefined && !COLORS.includes(w['color'] as string)) return 'color must be red, green or blue';
  if (w['notes'] !== undefined && (typeof w['notes'] !== 'string' || w['notes'].length > 200)) return 'notes must be a string of at most 200 characters';
  return undefined;
}

function formProblem(fields: Record<string, string>): string | undefined {
  const title = fields['title'];
  if (title === undefined || title.length < 1 || title.length > 40) return 'title must be 1-40 characters';
  const copies = fields['copies'];
  if (copies !== undefined && (!/^\d+$/.test(copies) || Number(copies) < 1 || Number(copies) > 5)) return 'copies must be 1-5';
  return undefined;
}

async function formFields(body: Buffer, contentType: string): Promise<Record<string, string> | undefined> {
  try {
    const form = contentType.startsWith('multipart/form-data') ? await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData() : new URLSearchParams(body.toString('utf8'));
    const out: Record<string, string> = {};
    form.forEach((value, key) => (out[key] = typeof value === 'string' ? value : ''));
    return out;
  } catch {
    return undefined;
  }
}

export async function startWidgetsProvider(faults: ReadonlySet<Fault> = new Set()): Promise<WidgetsProvider> {
  const widgets = new Map<number, Widget>();
  const keys = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  let nextId = 1;
  const state = { requests: 0 };

  const create = (input: Record<string, unknown>): Widget => {
    const widget: Widget = { id: nextId++, name: input['name'] as string, size: input['size'] as number };
    if (typeof input['color'] === 'string') widget.color = input['color'];
    if (typeof input['notes'] === 'string') widget.notes = input['notes'];
    widgets.set(widget.id, widget);
    return widget;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/' && method === 'GET') return send(res, 200, { ok: true });
    if (path === '/widgets' && method === 'GET') {
      const limit = url.searchParams.get('limit');
      const color = url.searchParams.get('color');
      if (limit !== null && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 50)) return error(res, 400, 'limit must be 1-50');
      if (color !== null && !COLORS.includes(color)) return error(res, 400, 'bad color');
      if ((req.headers['x-trace'] ?? '').length > 32) return error(res, 400, 'X-Trace too long');
      if (faults.has('server-error') && limit !== null) return error(res, 500, 'boom');
      return send(res, 200, [...widgets.values()].filter((w) => color === null || w.color === color).slice(0, limit === null ? undefined : Number(limit)));
    }
    if (path === '/widgets' && method === 'POST') {
      let input: unknown;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        if (!faults.has('accepts-invalid')) return error(res, 400, 'malformed JSON');
        input = {};
      }
      const problem = widgetProblem(input);
      if (problem && !faults.has('accepts-invalid')) return error(res, 400, problem);
      const key = req.headers['idempotency-key'];
      const fingerprint = body.toString('base64');
      if (typeof key === 'string' && !faults.has('applies-twice')) {
        const seen = keys.get(key);
        if (seen && seen.fingerprint !== fingerprint) return error(res, 422, 'key reused with another payload');
        if (seen) return send(res, seen.status, seen.body, { 'idempotency-replayed': 'true' });
      }
      const widget = create((input ?? {}) as Record<string, unknown>);
      const status = faults.has('undeclared-status') ? 202 : 201;
      if (typeof key === 'string') keys.set(key, { fingerprint, status, body: widget });
      return send(res, status, widget, { location: `/widgets/${widget.id}` });
    }
    const item = /^\/widgets\/([^/]+)$/.exec(path);
    if (item) {
      const text = decodeURIComponent(item[1] ?? '');
      if (!/^\d+$/.test(text) || Number(text) < 1) return error(res, 400, 'widgetId must be a positive integer');
      const id = Number(text);
      const found = widgets.get(id);
      if (method === 'GET') {
        if (!found) return error(res, 404, 'no such widget');
        if (faults.has('missing-field')) return send(res, 200, { id: found.id, name: found.name });
        if (faults.has('other-data')) return send(res, 200, { ...found, name: `${found.name}-other`, size: found.size === 10 ? 1 : found.size + 1 });
        return send(res, 200, found);
      }
      if (method === 'PUT') {
        let input: unknown;
        try {
          input = JSON.parse(body.toString('utf8'));
        } catch {
          return error(res, 400, 'malformed JSON');
        }
        const problem = widgetProblem(input);
        if (problem) return error(res, 400, problem);
        if (!found) return error(res, 404, 'no such widget');
        const next = { ...(input as Widget), id };
        widgets.set(id, next);
        return send(res, 200, next);
      }
      if (method === 'DELETE') {
        if (!found) return error(res, 404, 'no such widget');
        widgets.delete(id);
        return send(res, 204);
      }
    }
    if (path === '/profile' && method === 'GET') {
      if (!/^Bearer \S/.test(req.headers.authorization ?? '') && !faults.has('no-auth')) return error(res, 401, 'credentials required');
      return send(res, 200, { user: 'ada' });
    }
    const report = /^\/reports\/([^/]+)$/.exec(path);
    if (report && method === 'GET') {
      if (!/^r[0-9]{3}$/.test(decodeURIComponent(report[1] ?? ''))) return error(res, 400, 'bad report id');
      const version = faults.has('bad-header') ? 'latest' : '3';
      if (faults.has('wrong-content-type')) {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-report-version': version }).end('total=7');
        return;
      }
      return send(res, 200, { total: 7 }, { 'x-report-version': version });
    }
    if (path === '/uploads' && method === 'POST') {
      const fields = await formFields(body, req.headers['content-type'] ?? '');
      if (!fields) return error(res, 400, 'malformed form');
      const problem = formProblem(fields);
      if (problem) return error(res, 400, problem);
      return send(res, 200, { title: fields['title'], ...(fields['copies'] !== undefined ? { copies: Number(fields['copies']) } : {}) });
    }
    return error(res, 404, 'no such route');
  };

  const server = http.createServer((req, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch(() => error(res, 500, 'provider crashed'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
