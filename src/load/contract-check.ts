import { ConcordError } from '../errors.js';
export { brokenRefs } from './contract-rules.js';
import { brokenRefs, duplicateOperationIds, pathTemplateMismatches, type ContractProblem } from './contract-rules.js';
import { unknownTypes } from './contract-types.js';
import { applyOverrides, hasOverrides, type ContractOverrides } from './overrides.js';
import { lineFinder } from './parse.js';

export type { ContractProblem } from './contract-rules.js';

/**
 * The faults that make a contract unusable, per kind. Shared by `generate` and `mock`. `file` (a local path) lets
 * refs to other files be checked too.
 */
export function checkContract(document: Record<string, unknown>, sourceVersion: string, file?: string): ContractProblem[] {
  return [
    ...brokenRefs(document, file),
    ...duplicateOperationIds(document),
    ...pathTemplateMismatches(document),
    ...unknownTypes(document, sourceVersion === '2.0'),
  ];
}

export interface PrepareContractOptions {
  /** Path or URL, for messages. */
  file: string;
  /** The document's text, to name lines (computed only when there is a problem). */
  text?: string;
  overrides?: ContractOverrides;
}

/**
 * Apply the config's overrides to the parsed root document, then check it: the faults found, with the closest name
 * and the override that would repair each (undefined when there are none).
 */
export function repairAndCheck(document: Record<string, unknown>, sourceVersion: string, options: PrepareContractOptions): ProblemGroup | undefined {
  if (hasOverrides(options.overrides)) applyOverrides(document, options.overrides, options.file, sourceVersion === '2.0');
  const local = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.file) || options.file.startsWith('<') ? undefined : options.file;
  const problems = checkContract(document, sourceVersion, local);
  if (problems.length === 0) return undefined;
  return { file: options.file, root: true, ...(options.text !== undefined ? { text: options.text } : {}), problems: groupTemplateOverrides(problems) };
}

/** `repairAndCheck`, throwing one error that names every fault (file:line and JSON pointer each). */
export function prepareContract(document: Record<string, unknown>, sourceVersion: string, options: PrepareContractOptions): void {
  const group = repairAndCheck(document, sourceVersion, options);
  if (group) throw contractError([group]);
}

/** Faults found in one file. Overrides apply to the root document only, so other files' faults carry none. */
export interface ProblemGroup {
  file: string;
  /** The root document: the only one config overrides can repair. */
  root?: boolean;
  text?: string;
  problems: ContractProblem[];
}

/** One error naming every fault in every file, in file order, each with file:line and JSON pointer. */
export function contractError(groups: ProblemGroup[]): ConcordError {
  const located = groups.flatMap((group) => {
    const line = group.text === undefined ? () => undefined : safeLineFinder(group.text);
    const root = group.root === true;
    return group.problems
      .map((problem) => ({ problem: root ? problem : { ...problem, override: undefined }, file: group.file, line: line(problem.pointer) }))
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  });
  const details = located.map(({ problem, file, line }) => {
    const where = `${file}${line === undefined ? '' : `:${line}`} #${problem.pointer}`;
    const suggestion = problem.suggestion ? ` ${capitalise(problem.suggestion)}${problem.suggestion.endsWith('?') ? '' : '.'}` : '';
    const parts = [where, `  ${problem.message}${suggestion}`];
    if (problem.override) parts.push(`  or, without editing the contract, in the config: overrides: ${JSON.stringify(problem.override)}`);
    return parts.join('\n');
  });
  const first = located[0];
  return new ConcordError('SPEC_CONTRACT', `The contract has ${located.length} fault${located.length === 1 ? ' that stops' : 's that stop'} generation and mocking:`, {
    location: first ? { file: first.file, pointer: first.problem.pointer, ...(first.line !== undefined ? { line: first.line } : {}) } : {},
    details,
  });
}

/** A template name missing in several paths (`{api-version}`) gets one `*` override, not one per path. */
function groupTemplateOverrides(problems: ContractProblem[]): ContractProblem[] {
  const counts = new Map<string, number>();
  const nameOf = (p: ContractProblem): string | undefined => {
    const mapping = p.override?.['pathParameters'];
    const inner = mapping !== null && typeof mapping === 'object' ? Object.values(mapping)[0] : undefined;
    const entry = inner !== null && typeof inner === 'object' ? Object.entries(inner as Record<string, string>)[0] : undefined;
    return entry && entry[0] === entry[1] ? entry[0] : undefined;
  };
  for (const p of problems) {
    const name = nameOf(p);
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return problems.map((p) => {
    const name = nameOf(p);
    return name !== undefined && (counts.get(name) ?? 0) > 1 ? { ...p, override: { pathParameters: { '*': { [name]: name } } } } : p;
  });
}

function safeLineFinder(text: string): (pointer: string) => number | undefined {
  try {
    return lineFinder(text);
  } catch {
    return () => undefined;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
