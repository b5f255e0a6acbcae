import path from 'node:path';
import { ConcordError } from '../errors.js';
import type { Diagnostic } from '../load/diagnostics.js';
import type { LoadedSpec, OpenApiDocument } from '../load/load.js';
import { checkVersion, normaliseForParser, readSource } from '../load/read-source.js';
import { normaliseBundle } from '../load/normalise-bundle.js';
import { lineOfPointer, resolvePointer, toPointer } from '../load/parse.js';
import { isJsonText } from '../load/parse-text.js';
import { parseLarge } from './parse-off-thread.js';
import { NAME_MAPS } from '../load/protect-refs.js';
import { upgradeSwagger2 } from '../load/upgrade-swagger2.js';

/**
 * The diff's loader: parse, then bundle `$ref`s in one walk, without the structural validation pass or the
 * canonical hash that `generate` needs. swagger-parser's bundler is quadratic in the number of refs on large
 * recursive contracts (seconds on a 4 MB document); this walk is linear. It also remembers where every inlined
 * piece came from, so an annotation can name the file and line of the change in a multi-file spec.
 */

/** Parsed files, shared by both sides of one diff (a file both versions `$ref` is read once). */
export type ParseCache = Map<string, Promise<{ text: string; data: unknown }>>;

/** Where a subtree of the bundled document was written: file and pointer inside that file. */
export interface Origin {
  file: string;
  pointer: string;
}

export interface FastLoad {
  spec: LoadedSpec;
  /** Bundled pointer prefix -> origin; '' maps to the root file. */
  origins: Map<string, Origin>;
  /** Text of every local file read, for line numbers. */
  texts: Map<string, string>;
}

const DATA_KEYS = new Set(['example', 'default', 'const', 'enum']);
const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isRemote = (ref: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(ref);

/** Thrown (internally) when a ref needs the network: the caller falls back to the full loader. */
export class NeedsFullLoader extends Error {}

export async function loadForDiff(file: string, cache: ParseCache): Promise<FastLoad> {
  const source = path.resolve(file);
  const texts = new Map<string, string>();
  const rootText = await readSource(source);
  texts.set(source, rootText);
  const root = await parseLarge(rootText, source);
  const sourceVersion = checkVersion(root, source);
  const document = root as OpenApiDocument;
  const diagnostics: Diagnostic[] = [];
  normaliseForParser(document, sourceVersion, source, diagnostics);
  const files = [source];
  const bundler = new Bundler(source, document, cache, texts, files);
  await bundler.run();
  let bundled = document;
  if (sourceVersion === '2.0') {
    const upgraded = upgradeSwagger2(document, { file: source });
    bundled = upgraded.document;
    for (const warning of upgraded.warnings) diagnostics.push({ level: 'warning', code: 'SWAGGER2_UPGRADE', message: warning.message, file: source, pointer: warning.pointer });
  }
  // JSON text parses to a tree, and inlined files are copied: only YAML (aliases) can share objects.
  const tree = sourceVersion !== '2.0' && [...texts.values()].every((text) => isJsonText(text));
  normaliseBundle(bundled, source, diagnostics, { tree });
  return { spec: { document: bundled, sourceVersion, source, files, diagnostics, hash: '' }, origins: bundler.origins, texts };
}

interface Frame {
  /** The file whose content this subtree is (its `#/...` refs are relative to it). */
  file: string;
}

class Bundler {
  readonly origins = new Map<string, Origin>();
  /** `file#pointer` of an inlined target -> where it lives in the bundled document. */
  private readonly homes = new Map<string, string>();
  /** Local refs already found to resolve: a large contract repeats the same few thousand refs many times over. */
  private readonly resolves = new Set<string>();
  private readonly pending: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number; trail: Array<string | number>; ref: string; frame: Frame }> = [];

  constructor(
    private readonly rootFile: string,
    private readonly root: OpenApiDocument,
    private readonly cache: ParseCache,
    private readonly texts: Map<string, string>,
    private readonly files: string[],
  ) {
    this.origins.set('', { file: rootFile, pointer: '' });
  }

  async run(): Promise<void> {
    // Components first, so a shared external schema lands under components (and keeps its name) when it is used there.
    const keys = Object.keys(this.root).sort((a, b) => (a === 'components' ? -1 : b === 'components' ? 1 : 0));
    const rootFrame = { file: this.rootFile };
    for (const key of keys) this.walk(this.root[key], this.root, key, [key], rootFrame, NAME_MAPS.has(key));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.pending.length);
      // Files are fetched concurrently; each is parsed once.
      await Promise.all(batch.map((item) => this.parsed(this.targetFile(item.ref, item.frame), item)));
      for (const item of batch) await this.inline(item);
    }
  }

  private targetFile(ref: string, frame: Frame): string {
    const hash = ref.indexOf('#');
    const filePart = hash < 0 ? ref : ref.slice(0, hash);
    return filePart === '' ? frame.file : path.resolve(path.dirname(frame.file), decodeURIComponent(filePart));
  }

  private parsed(file: string, at: { trail: Array<string | number>; frame: Frame; ref: string }): Promise<{ text: string; data: unknown }> {
    let entry = this.cache.get(file);
    if (!entry) {
      entry = readSource(file).then(async (text) => ({ text, data: await parseLarge(text, file) }));
      this.cache.set(file, entry);
    }
    return entry.then(
      (value) => {
        if (!this.texts.has(file)) {
          this.texts.set(file, value.text);
          this.files.push(file);
        }
        return value;
      },
      (error: unknown) => {
        throw refError(`$ref "${at.ref}" points at a file that cannot be read: ${error instanceof Error ? error.message : String(error)}`, at.frame.file, this.origins, at.trail, this.texts);
      },
    );
  }

  private walk(node: unknown, holder: Record<string, unknown> | unknown[], key: string | number, trail: Array<string | number>, frame: Frame, nameMap: boolean): void {
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index++) {
        trail.push(index);
        this.walk(node[index], node, index, trail, frame, false);
        trail.pop();
      }
      return;
    }
    if (!isRecord(node)) return;
    const ref = node['$ref'];
    if (!nameMap && typeof ref === 'string') {
      this.reference(holder, key, trail, ref, frame);
      return;
    }
    // for-in, not Object.entries: no array per object (this walk visits every node of both documents).
    for (const child in node) {
      const value = node[child];
      if (value === null || typeof value !== 'object') continue;
      // Data and extensions carry no contract: a `$ref` in an example is data, and an extension's is not followed.
      if (!nameMap && (DATA_KEYS.has(child) || child.startsWith('x-') || (child === 'examples' && Array.isArray(value)))) continue;
      if (!nameMap && child === 'value' && trail[trail.length - 2] === 'examples') continue;
      trail.push(child);
      this.walk(value, node, child, trail, frame, !nameMap && NAME_MAPS.has(child));
      trail.pop();
    }
  }

  private reference(holder: Record<string, unknown> | unknown[], key: string | number, trail: Array<string | number>, ref: string, frame: Frame): void {
    if (isRemote(ref) || isRemote(frame.file)) throw new NeedsFullLoader(ref);
    if (ref.startsWith('#') && frame.file === this.rootFile) {
      if (this.resolves.has(ref)) return;
      if (resolvePointer(this.root, ref) === undefined) throw refError(`$ref "${ref}" does not resolve: nothing at that JSON pointer.`, this.rootFile, this.origins, trail, this.texts);
      this.resolves.add(ref);
      return;
    }
    // Anything in another file (or relative to one) is inlined at its first use and referenced afterwards.
    this.pending.push({ holder, key, trail: [...trail], ref, frame });
  }

  private async inline(item: { holder: Record<string, unknown> | unknown[]; key: string | number; trail: Array<string | number>; ref: string; frame: Frame }): Promise<void> {
    const file = this.targetFile(item.ref, item.frame);
    const hash = item.ref.indexOf('#');
    const pointer = hash < 0 ? '' : decodeURI(item.ref.slice(hash + 1));
    const id = `${file}#${pointer}`;
    const here = toPointer(item.trail);
    if (file === this.rootFile) {
      setAt(item.holder, item.key, { $ref: `#${pointer}` });
      if (resolvePointer(this.root, pointer) === undefined) throw refError(`$ref "${item.ref}" does not resolve: nothing at that JSON pointer.`, item.frame.file, this.origins, item.trail, this.texts);
      return;
    }
    const home = this.homes.get(id);
    if (home !== undefined) {
      setAt(item.holder, item.key, { $ref: `#${home}` });
      return;
    }
    const { data } = await this.parsed(file, item);
    const target = resolvePointer(data, pointer);
    if (target === undefined) throw refError(`$ref "${item.ref}" does not resolve: ${path.basename(file)} has nothing at "${pointer || '/'}".`, item.frame.file, this.origins, item.trail, this.texts);
    this.homes.set(id, here);
    this.origins.set(here, { file, pointer });
    const copy: unknown = structuredClone(target);
    setAt(item.holder, item.key, copy);
    const trail = [...item.trail];
    this.walk(copy, item.holder, item.key, trail, { file }, false);
  }
}

function setAt(holder: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  if (Array.isArray(holder)) holder[Number(key)] = value;
  else holder[String(key)] = value;
}

/** The origin of a bundled pointer: the deepest recorded prefix, plus the rest of the pointer. */
export function originOf(origins: Map<string, Origin>, pointer: string): Origin | undefined {
  let prefix = pointer;
  for (;;) {
    const origin = origins.get(prefix);
    if (origin) return { file: origin.file, pointer: origin.pointer + pointer.slice(prefix.length) };
    if (prefix === '') return undefined;
    prefix = prefix.slice(0, prefix.lastIndexOf('/'));
  }
}

function refError(message: string, file: string, origins: Map<string, Origin>, trail: Array<string | number>, texts: Map<string, string>): ConcordError {
  const origin = originOf(origins, toPointer(trail)) ?? { file, pointer: toPointer(trail) };
  const text = texts.get(origin.file);
  const line = text === undefined ? undefined : lineOfPointer(text, origin.pointer);
  return new ConcordError('SPEC_REF', message, {
    location: { file: origin.file, pointer: origin.pointer, ...(line === undefined ? {} : { line }) },
    hint: 'Fix the $ref at this location so it points at an existing file and JSON pointer.',
  });
}
