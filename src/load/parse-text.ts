import { createRequire } from 'node:module';
import type JsYaml from 'js-yaml';
import { ConcordError } from '../errors.js';

// Kept apart from parse.ts (which also needs the position-tracking `yaml` package) so a parse worker loads only js-yaml.
// js-yaml is loaded on the first YAML document: a run on JSON contracts (most large ones) never needs it.
let yamlParser: { jsYaml: typeof JsYaml; schema: JsYaml.Schema } | undefined;

function yamlLoader(): { jsYaml: typeof JsYaml; schema: JsYaml.Schema } {
  if (!yamlParser) {
    const jsYaml = createRequire(import.meta.url)('js-yaml') as typeof JsYaml;
    // Core schema (what YAML 1.2 and JSON agree on) plus merge keys: no Date objects from unquoted dates, no binary.
    const mergeKey = new jsYaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: unknown) => data === '<<' || data === null });
    yamlParser = { jsYaml, schema: jsYaml.CORE_SCHEMA.extend({ implicit: [mergeKey] }) };
  }
  return yamlParser;
}

/** Whether text is JSON (parsed as such, to a tree: JSON has no aliases) rather than YAML. */
export function isJsonText(text: string): boolean {
  const trimmed = text.trimStart();
  return trimmed.startsWith('{') || trimmed.startsWith('[');
}

/** Parse JSON or YAML text into plain data. YAML merge keys (`<<`) are honoured. */
export function parseText(text: string, file: string): unknown {
  if (isJsonText(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      // Fall through to YAML only to get a line number: valid JSON is valid YAML 1.2.
      const position = lineOfJsonError(text, error);
      throw new ConcordError('SPEC_PARSE', `Invalid JSON: ${error instanceof Error ? error.message : String(error)}`, {
        location: { file, ...position },
      });
    }
  }
  // js-yaml parses the 3 MB OpenAI spec in 0.6 s where `yaml` takes 4.3 s; both honour merge keys (`<<`).
  try {
    const { jsYaml, schema } = yamlLoader();
    return jsYaml.load(text, { filename: file, schema });
  } catch (error) {
    const mark = (error as { mark?: { line?: number; column?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
    throw new ConcordError('SPEC_PARSE', `Invalid YAML: ${reason}`, {
      location: { file, ...(mark?.line !== undefined ? { line: mark.line + 1, column: (mark.column ?? 0) + 1 } : {}) },
    });
  }
}

function lineOfJsonError(text: string, error: unknown): { line?: number; column?: number } {
  const message = error instanceof Error ? error.message : '';
  const match = /position (\d+)/.exec(message);
  if (!match?.[1]) return {};
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

