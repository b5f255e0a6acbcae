/** A problem found while loading or modelling a document. Warnings never stop generation. */
export interface Diagnostic {
  level: 'warning' | 'error';
  /** Stable code, e.g. `SCHEMA_VALIDATION`, `EXTENSION_REF_UNRESOLVED`, `UNSUPPORTED_KEYWORD`. */
  code: string;
  message: string;
  file?: string;
  pointer?: string;
  line?: number;
}

export function formatDiagnostic(diagnostic: Diagnostic): string {
  const where = [diagnostic.file, diagnostic.line === undefined ? undefined : `line ${diagnostic.line}`, diagnostic.pointer === undefined ? undefined : `#${diagnostic.pointer}`]
    .filter((part) => part !== undefined)
    .join(' ');
  return `${diagnostic.code}${where ? ` at ${where}` : ''}: ${diagnostic.message}`;
}
