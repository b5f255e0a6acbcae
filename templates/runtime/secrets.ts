/**
 * Secret values the auth layer has handled, scrubbed from any text the client produces (events, errors, dead
 * letters), in case one turns up where a redaction-by-name rule did not foresee, like an error quoting a URL.
 */
import { REDACTED } from './redact.js';

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
