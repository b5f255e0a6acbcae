/**
 * Keeps secrets out of events, errors and dead-letter records, in two layers:
 * by name (credential headers and query parameters, from the security schemes and the config) and by value
 * (every secret the auth layer has handled is scrubbed from any text we produce, in case it turns up somewhere
 * a name rule did not foresee, like an error message that quotes a URL).
 */

export const REDACTED = '[REDACTED]';

/** Always redacted, whatever the contract says. */
export const CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Shorter values are not scrubbed by value: replacing every "ab" in a message would destroy it and protect nothing. */
const MIN_SCRUB_LENGTH = 4;
/** Rotating secrets (fetched tokens) are remembered up to this many; static ones always. */
const MAX_ROTATING = 32;

export class SecretRegistry {
  private readonly fixed = new Set<string>();
  private readonly rotating: string[] = [];
  private sorted: string[] | undefined;

  add(value: string, rotating = false): void {
    if (value.length < MIN_SCRUB_LENGTH) return;
    this.sorted = undefined;
    for (const variant of new Set([value, encodeURIComponent(value)])) {
      if (!rotating) {
        this.fixed.add(variant);
      } else if (!this.fixed.has(variant) && !this.rotating.includes(variant)) {
        this.rotating.push(variant);
        if (this.rotating.length > MAX_ROTATING) this.rotating.shift();
      }
    }
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is replaced whole.
    this.sorted ??= [...this.fixed, ...this.rotating].sort((a, b) => b.length - a.length);
    for (const secret of this.sorted) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
}

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
  secrets: SecretRegistry;
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
  const text = (value: string): string => rules.secrets.scrub(value);

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
