/** JSON with object keys sorted, so equal documents hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  const parts: string[] = [];
  write(value);
  return parts.join('');

  function write(node: unknown): void {
    if (node === null || typeof node !== 'object') {
      parts.push(JSON.stringify(node) ?? 'null');
      return;
    }
    if (Array.isArray(node)) {
      parts.push('[');
      node.forEach((item, index) => {
        if (index > 0) parts.push(',');
        write(item);
      });
      parts.push(']');
      return;
    }
    const record = node as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    parts.push('{');
    keys.forEach((key, index) => {
      if (index > 0) parts.push(',');
      parts.push(JSON.stringify(key), ':');
      write(record[key]);
    });
    parts.push('}');
  }
}
