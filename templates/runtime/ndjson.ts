/**
 * JSON Lines / NDJSON (`application/x-ndjson`, `application/jsonl`: one JSON value per LF-terminated line, blank
 * lines ignored) and RFC 7464 JSON text sequences (`application/json-seq`: each value after an RS byte). Text in,
 * raw records out; a record that does not parse is reported by the caller as a broken stream.
 */

export class JsonLinesParser {
  private buffer = '';

  constructor(private readonly separator: '\n' | '\u001e') {}

  push(text: string): string[] {
    this.buffer += text;
    const parts = this.buffer.split(this.separator);
    this.buffer = parts.pop() ?? '';
    return parts.map((p) => p.trim()).filter((p) => p !== '');
  }

  /** What is left at the end: a last record without its terminator (JSON Lines allow it), or nothing. */
  finish(): string[] {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest === '' ? [] : [rest];
  }
}
