/**
 * CORS for the provider router and the mock. Off unless configured. Origins are an explicit list (or `'*'`, which
 * never goes with credentials); an Origin not on the list gets no CORS headers at all, so the browser refuses the
 * response. Credentials are allowed only for listed origins — never with a wildcard or a reflected arbitrary origin.
 */

export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), or `'*'` for any origin without credentials. */
  origins: readonly string[] | '*';
  /** Send `Access-Control-Allow-Credentials: true` to listed origins. Refused with `'*'`. */
  credentials?: boolean;
  /** Request headers a preflight may allow; default: the ones the preflight asks for. */
  allowHeaders?: readonly string[];
  /** Response headers scripts may read, beside the CORS-safelisted ones. */
  exposeHeaders?: readonly string[];
  /** How long a browser may cache a preflight (default 600 s). */
  maxAgeSeconds?: number;
}

export interface CorsPolicy {
  /** Headers for an ordinary response to a request from `origin` (none for an origin not allowed). */
  responseHeaders(origin: string | undefined): Array<[string, string]>;
  /** Headers for a preflight answer (204). */
  preflightHeaders(
    origin: string | undefined,
    requestedHeaders: string | undefined,
    allowedMethods: readonly string[],
  ): Array<[string, string]>;
}

export class CorsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorsConfigError';
  }
}

const ORIGIN = /^https?:\/\/[^/\s]+$/i;

export function createCorsPolicy(options: CorsOptions, defaultExpose: readonly string[] = []): CorsPolicy {
  const any = options.origins === '*';
  if (any && options.credentials === true)
    throw new CorsConfigError('CORS credentials cannot be allowed for every origin ("*"); list the origins');
  const list = any ? [] : [...(options.origins as readonly string[])];
  for (const origin of list) {
    if (origin === '*' || origin === 'null' || !ORIGIN.test(origin))
      throw new CorsConfigError(
        `CORS origin ${JSON.stringify(origin)} is not an origin such as https://app.example.com`,
      );
  }
  const allowed = new Set(list.map((o) => o.toLowerCase()));
  const expose = [...new Set([...defaultExpose, ...(options.exposeHeaders ?? [])])].join(', ');
  const maxAge = String(options.maxAgeSeconds ?? 600);

  const base = (origin: string | undefined): Array<[string, string]> | undefined => {
    if (any) return [['access-control-allow-origin', '*']];
    // Answers differ by Origin: caches must keep them apart even for origins that get no CORS headers.
    if (origin === undefined || !allowed.has(origin.toLowerCase())) return undefined;
    const headers: Array<[string, string]> = [['access-control-allow-origin', origin]];
    if (options.credentials === true) headers.push(['access-control-allow-credentials', 'true']);
    return headers;
  };
  const vary: Array<[string, string]> = any ? [] : [['vary', 'Origin']];

  return {
    responseHeaders(origin) {
      const headers = base(origin);
      if (headers === undefined) return origin === undefined ? [] : vary;
      if (expose !== '') headers.push(['access-control-expose-headers', expose]);
      return [...headers, ...vary];
    },
    preflightHeaders(origin, requestedHeaders, allowedMethods) {
      const headers = base(origin);
      if (headers === undefined) return vary;
      headers.push(['access-control-allow-methods', allowedMethods.join(', ')]);
      const allowHeaders = options.allowHeaders?.join(', ') ?? requestedHeaders;
      if (allowHeaders !== undefined && allowHeaders !== '')
        headers.push(['access-control-allow-headers', allowHeaders]);
      headers.push(['access-control-max-age', maxAge]);
      return [...headers, ...vary];
    },
  };
}
