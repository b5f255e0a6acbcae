/**
 * Stable, unique, valid identifiers from whatever strings a spec uses. Names come from the spec's own keys
 * (component names, operationIds, method + path), never from `$ref` strings of a bundled document.
 */

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean constructor declare get ' +
    'module require number set string symbol type from of async await never unknown object undefined bigint ' +
    'arguments eval infer keyof readonly unique is asserts satisfies accessor out abstract override namespace global'
  ).split(' '),
);

/** Globals a generated module uses or that would shadow something a user expects; PascalCase schema names avoid them. */
const RESERVED_TYPES = new Set([
  'Array', 'Boolean', 'Date', 'Error', 'Function', 'Map', 'Number', 'Object', 'Promise', 'Record', 'RegExp', 'Set',
  'String', 'Symbol', 'Partial', 'Required', 'Readonly', 'Pick', 'Omit', 'Exclude', 'Extract', 'Uint8Array', 'Blob',
  'File', 'FormData', 'Request', 'Response', 'Headers', 'URL', 'JSON', 'Math', 'BigInt', 'Infinity', 'NaN',
  'ReadableStream', 'AbortSignal', 'z',
]);

function words(input: string): string[] {
  // Split on anything that is not a letter or digit, and on lower->upper case boundaries.
  const normalized = input.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return normalized
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function pascalCase(input: string): string {
  const result = words(input).map(capitalise).join('');
  return result;
}

export function camelCase(input: string): string {
  const pascal = pascalCase(input);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** PascalCase identifier safe as a type and value name. */
export function typeIdentifier(input: string, fallback = 'Schema'): string {
  let name = pascalCase(input);
  if (name === '') name = fallback;
  if (/^[0-9]/.test(name)) name = `${fallback}${name}`;
  if (RESERVED_TYPES.has(name) || RESERVED.has(name)) name = `${name}${fallback === 'Schema' ? 'Model' : fallback}`;
  return name;
}

/** camelCase identifier safe as a function/property name. */
export function valueIdentifier(input: string, fallback = 'operation'): string {
  let name = camelCase(input);
  if (name === '') name = fallback;
  if (/^[0-9]/.test(name)) name = `${fallback}${capitalise(name)}`;
  if (RESERVED.has(name)) name = `${name}_`;
  return name;
}

/** Name for an operation without an operationId: method + path, e.g. `get /pets/{petId}` -> `getPetsByPetId`. */
export function operationNameFromPath(method: string, path: string): string {
  const segments = path
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param?.[1] ? `by ${param[1]}` : segment.replace(/\{([^}]+)\}/g, ' $1 ');
    });
  return valueIdentifier(`${method} ${segments.join(' ')}`);
}

/**
 * Hands out unique names. Uniqueness is case-insensitive, so two generated names never differ only in case
 * (which would collide on case-insensitive file systems and confuse readers).
 */
export class NameRegistry {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name.toLowerCase());
  }

  claim(base: string): string {
    let candidate = base;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = `${base}${n}`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }

  has(name: string): boolean {
    return this.taken.has(name.toLowerCase());
  }
}

/** True when `key` can be written as a bare property name in TypeScript. */
export function isIdentifierName(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
}

/**
 * Names the generated entry point (index.ts) exports besides schemas: schema identifiers avoid them, so the
 * re-exports of schemas.ts, client.ts and server.ts never clash.
 */
export const ENTRY_POINT_NAMES: readonly string[] = [
  'Client', 'ClientOptions', 'CallOptions', 'Core', 'ApiError', 'RequestValidationError', 'ResponseValidationError',
  'DeadLetterRecord', 'DeadLetterStore', 'AuthError', 'CallFailedError', 'DeadLetteredError', 'MetricsSnapshot',
  'ResilienceEvent', 'IdempotencyStore', 'StoredResponse', 'PostgresPool', 'PostgresDeadLetterStore',
  'PostgresIdempotencyStore', 'WebhookPayloadError', 'FileDeadLetterStore', 'FileStoreOptions', 'Handlers',
  'WebhookHandlers', 'WebhookSender', 'Types',
];
