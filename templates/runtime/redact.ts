/**
 * Keeps secrets out of events, errors and dead-letter records, in two layers: by name (credential headers and
 * query parameters, from the security schemes and the config) and by value (the auth plug-in scrubs every secret
 * it has handled from any text we produce, in case it turns up where a name rule did not foresee).
 */

export const REDACTED = '[REDACTED]';

/** Always redacted, whatever the contract says. */
export const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

export interface RedactedHeaders {
  headers: Record<string, string>;
  /** Lowercase names whose values were replaced. */
  redacted: string[];
}

export interface RedactedUrl {
  url: string;
  /** Query parameter names whose values were replaced. */
  redacted: string[];
}

export interface Redactor {
  headers(headers: Headers): RedactedHeaders;
  url(url: string): RedactedUrl;
  text(text: string): string;
}

export interface RedactionRules {
  headerNames: Iterable<string>;
  queryNames: Iterable<string>;
  /** Replaces known secret values in any text (the auth plug-in's registry); none without auth. */
  scrub?: ((text: string) => string) | undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function createRedactor(rules: RedactionRules): Redactor {
  const headerNames = new Set([...CREDENTIAL_HEADERS, ...[...rules.headerNames].map((n) => n.toLowerCase())]);
  const queryNames = new Set([...rules.queryNames].map((n) => n.toLowerCase()));
  const text = rules.scrub ?? ((value: string): string => value);

  return {
    text,
    headers(headers) {
      const out: Record<string, string> = {};
      const redacted: string[] = [];
      const names: string[] = [];
      headers.forEach((_value, name) => names.push(name));
      for (const name of [...new Set(names)].sort()) {
        if (headerNames.has(name)) {
          out[name] = REDACTED;
          redacted.push(name);
        } else {
          out[name] = text(headers.get(name) ?? '');
        }
      }
      return { headers: out, redacted };
    },
    url(raw) {
      // Without a query or userinfo there is nothing to redact by name; skip the parse (this runs per event).
      if (!raw.includes('?') && !raw.includes('@')) return { url: text(raw), redacted: [] };
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return { url: text(raw), redacted: [] };
      }
      if (url.username !== '' || url.password !== '') {
        url.username = 'redacted';
        url.password = '';
      }
      const redacted: string[] = [];
      if (url.search.length > 1) {
        const parts = url.search
          .slice(1)
          .split('&')
          .map((part) => {
            const eq = part.indexOf('=');
            const rawName = eq === -1 ? part : part.slice(0, eq);
            const name = safeDecode(rawName);
            if (!queryNames.has(name.toLowerCase())) return part;
            redacted.push(name);
            return `${rawName}=${REDACTED}`;
          });
        url.search = `?${parts.join('&')}`;
      }
      return { url: text(url.toString()), redacted: [...new Set(redacted)].sort() };
    },
  };
}
