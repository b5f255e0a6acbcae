import type { SchemaNode } from './schema-model.js';

/** A JSDoc block for a description (empty when there is none); safe whatever the text contains. */
export function jsDoc(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return '';
  const lines = text.trim().replace(/\*\//g, '*\\/').split(/\r?\n/);
  return lines.length === 1 ? `/** ${lines[0]} */\n` : `/**\n${lines.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n`;
}

/** Text that is safe inside a block comment. */
export function safeComment(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\r?\n/g, ' ');
}

/** The doc comment of a named schema's type and const. */
export function namedDoc(node: SchemaNode): string {
  const { named, variant } = node;
  const what = variant === 'full' ? '' : variant === 'request' ? ' as sent (readOnly properties left out)' : ' as received (writeOnly properties left out)';
  const description = named.schema.description ?? '';
  return jsDoc(`\`${named.originalName}\`${what}.${description ? `\n${description}` : ''}`).trimEnd();
}
