/**
 * OpenAPI runtime expressions in callback URLs (`{$request.body#/callbackUrl}`, `{$request.query.to}`, ...),
 * resolved against the request that registered the callback.
 */

export interface CallbackSource {
  /** The registering request's full URL. */
  url?: string;
  method?: string;
  path?: Readonly<Record<string, unknown>>;
  query?: Readonly<Record<string, unknown>>;
  /** Header names compared case-insensitively. */
  header?: Readonly<Record<string, unknown>>;
  body?: unknown;
}

function pointerGet(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, Array.isArray(current) ? Number(segment) : segment);
  }
  return current;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
}

function evaluate(expression: string, source: CallbackSource): string | undefined {
  if (expression === '$url') return source.url;
  if (expression === '$method') return source.method;
  const body = /^\$request\.body(?:#(.*))?$/.exec(expression);
  if (body !== null) return text(pointerGet(source.body, decodeURIComponent(body[1] ?? '')));
  const part = /^\$request\.(path|query|header)\.(.+)$/.exec(expression);
  if (part === null) return undefined;
  const [, where = '', name = ''] = part;
  const values = where === 'path' ? source.path : where === 'query' ? source.query : source.header;
  if (values === undefined) return undefined;
  if (where !== 'header') return text(values[name]);
  const key = Object.keys(values).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : text(values[key]);
}

/** The callback URL, or undefined when an expression it uses has no value in `source`. */
export function resolveCallbackUrl(template: string, source: CallbackSource): string | undefined {
  let missing = false;
  const url = template.replace(/\{([^{}]+)\}/g, (_all, expression: string) => {
    const value = evaluate(expression.trim(), source);
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : url;
}
