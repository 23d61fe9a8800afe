// Load: turn a resolved URL (or a load hook's answer) into a source. File
// bytes are read straight into linear memory, hashed there, decoded once for
// the engine, and the specifiers of an ASCII source are interned from the
// same buffer (UTF-16 offsets equal byte offsets there).

import { builtinModules } from 'node:module';
import { createRequire } from '../builtins.js';
import { fileURLToPath } from 'node:url';
import type { CacheSlot, ModuleCache, Probe } from '../cache/module-cache.js';
import type { LinearBuffer } from '../core/index.js';
import { engineCore } from '../engine-core.js';
import { ImportAttributeError, ModuleNotFoundError, ModuleSyntaxError, UnsupportedModuleError, type ErrorSite } from '../errors.js';
import { NO_ATTRIBUTES, normalizeAttributes, type Attributes } from '../sources/attributes.js';
import { isModuleSource, isWasmModule } from '../sources/brand.js';
import { sourceInfo, type AnyModuleSource } from '../sources/identity.js';
import { createModuleSource, moduleSourceHash, moduleSourceLex, moduleSourceText, type ModuleSource } from '../sources/module-source.js';
import { compileWasmSource } from '../sources/wasm-source.js';
import { wasmModuleRequests } from '../wasm/index.js';
import type { ModuleRequest } from '../module-graph.js';
import type { ModuleKind } from './entry.js';
import { lowerPhases } from './lower.js';
import { jsonPosition } from '../diagnostics/syntax-position.js';
import { cjsSyntaxError, compileCjs, looksLikeModule } from './parse-cjs.js';
import type { PackageTypes } from '../resolve/package-type.js';
import { hrefToPath } from '../resolve/file-url.js';
import { mark, spent } from '../profile.js';
import { engineTables } from './tables.js';

/** What a load hook (or the default loader) may return. */
export type LoadResult =
  | string
  | Uint8Array
  | ArrayBuffer
  | AnyModuleSource
  | { format: LoadResultFormat; source: string | Uint8Array | ArrayBuffer };

/** The formats a load hook may declare: 'js' and 'module' are ES modules, 'commonjs' a CommonJS module. */
export type LoadResultFormat = 'js' | 'module' | 'commonjs' | 'json' | 'wasm';

export interface LoadContext {
  /** The import attributes of the request. */
  attributes: Attributes;
}

/** The default loader, which a load hook may call. Returns bytes for file: and data: URLs. */
export type DefaultLoad = (url: string, context: LoadContext) => Promise<LoadResult>;
export type LoadHook = (url: string, context: LoadContext, defaultLoad: DefaultLoad) => LoadResult | Promise<LoadResult>;

/** What a registry's loads read their settings from: the format of file: URLs, the persistent cache. */
export interface LoadEnv {
  formats?: PackageTypes | undefined;
  cache?: ModuleCache | undefined;
}

/** A loaded module, ready to be instantiated. */
export interface Loaded {
  kind: ModuleKind;
  source: AnyModuleSource | undefined;
  /** JSON: the parsed value; builtin: the namespace; CommonJS: its compiled code (parse-cjs.ts CjsCode). */
  value: unknown;
  /** Content hash (XXH3-128) of what was loaded. */
  hash: bigint;
  /** JSON and CommonJS text, kept for content identity. */
  text: string | undefined;
  requests: ModuleRequest[];
  /** Interned ids of the requests' specifiers, in order. */
  specifierIds: Uint32Array;
  /** JS: the text the engine compiles when phase syntax had to be lowered (lower.ts). */
  compileText: string | undefined;
  /** JS with a persistent cache: the module's cache record (code cache), which compiles it (cache/). */
  cache?: CacheSlot | undefined;
}

const builtins = new Set(builtinModules);

/** The specifier ids of a module without requests (JSON, CommonJS, builtins): one shared empty array, not one per module. */
const NO_IDS = new Uint32Array(0);

/** Node's own module.exports of a builtin (synchronously: import.sync and require(esm) reach builtins too). */
const builtinExports = (url: string): unknown =>
  (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.(url) ?? createRequire(import.meta.url)(url);

/**
 * A builtin as an ES module, as Node makes it: a named export per own
 * enumerable property of its module.exports, and the object as default.
 */
function builtinLoaded(url: string, attributes: Attributes, site: ErrorSite): Loaded {
  checkAttributes('builtin', attributes, site);
  let exports: unknown;
  try {
    exports = builtinExports(url);
  } catch (error) {
    throw new ModuleNotFoundError(`No such built-in module: ${url}`, site, { cause: error });
  }
  const namespace: Record<string, unknown> = Object.create(null);
  for (const name of Object.keys(exports as object)) namespace[name] = (exports as Record<string, unknown>)[name];
  namespace.default = exports;
  return { kind: 'builtin', source: undefined, value: namespace, hash: 0n, text: url, requests: [], specifierIds: NO_IDS, compileText: undefined };
}

/** Whether a bare specifier names a Node builtin ("fs", "node:fs"). */
export function builtinURL(specifier: string): string | undefined {
  if (specifier.startsWith('node:')) return builtins.has(specifier.slice(5)) || builtins.has(specifier) ? specifier : undefined;
  return builtins.has(specifier) && !specifier.startsWith('_') ? `node:${specifier}` : undefined;
}

/** A kind, or 'detect': CommonJS unless the text has module syntax (Node's detection for .js no "type" claims). */
type LoadKind = ModuleKind | 'detect';

/**
 * What a URL's module is before it is read: for a file: URL, Node's rules
 * (extension, then the package.json "type", resolve/package-type.ts);
 * otherwise by extension, JavaScript meaning an ES module.
 */
function kindOfURL(url: string, formats: PackageTypes | undefined, site: ErrorSite): LoadKind {
  if (url.startsWith('node:')) return 'builtin';
  const cut = url.search(/[?#]/);
  const path = cut < 0 ? url : url.slice(0, cut);
  if (formats && url.startsWith('file:')) {
    switch (formats.formatOf(hrefToPath(path))) {
      case 'module': return 'js';
      case 'commonjs': return 'cjs';
      case 'detect': return 'detect';
      case 'json': return 'json';
      case 'wasm': return 'wasm';
      case 'addon': throw new UnsupportedModuleError('A native addon (.node) can only be loaded by require()', site);
    }
  }
  if (path.endsWith('.json')) return 'json';
  if (path.endsWith('.wasm')) return 'wasm';
  return 'js';
}

function isWasmBytes(buffer: LinearBuffer): boolean {
  const bytes = buffer.view();
  return bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/** Node's attribute rules: only `type`; JSON needs type "json"; JS and Wasm take none. */
export function checkAttributes(kind: LoadKind, attributes: Attributes, site: ErrorSite): void {
  if (attributes === NO_ATTRIBUTES && kind !== 'json') return;
  for (const key of Object.keys(attributes)) {
    if (key !== 'type') {
      throw new ImportAttributeError('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `Import attribute "${key}" with value "${attributes[key]}" is not supported${site.url ? ` in ${site.url}` : ''}`, site);
    }
  }
  const type = attributes.type;
  if (kind === 'builtin') return;
  if (kind === 'json') {
    if (type === 'json') return;
    if (type === undefined) {
      throw new ImportAttributeError('ERR_IMPORT_ATTRIBUTE_MISSING', `Module "${site.url}" needs an import attribute of "type: json"`, site);
    }
  } else if (type === undefined) {
    return;
  }
  if (type !== 'json') {
    throw new ImportAttributeError('ERR_IMPORT_ATTRIBUTE_UNSUPPORTED', `Import attribute "type" with value "${type}" is not supported${site.url ? ` in ${site.url}` : ''}`, site);
  }
  throw new ImportAttributeError('ERR_IMPORT_ATTRIBUTE_TYPE_INCOMPATIBLE', `Module "${site.url}" is not of type "${type}"`, site);
}

function decodeDataURL(url: string, site: ErrorSite): { kind: ModuleKind; text: string } {
  const match = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(url);
  if (!match) throw new ModuleNotFoundError(`Invalid data: URL`, site);
  const mime = match[1]!.split(';')[0]!.trim().toLowerCase();
  const body = match[2] ? Buffer.from(match[3]!, 'base64').toString('utf8') : decodeURIComponent(match[3]!);
  if (mime === 'application/json') return { kind: 'json', text: body };
  if (mime === 'text/javascript' || mime === 'application/javascript') return { kind: 'js', text: body };
  throw new UnsupportedModuleError(`Unsupported data: URL MIME type "${mime}"`, site);
}

/** The default loader: file: URLs from disk (bytes), data: URLs decoded. */
export const defaultLoad: DefaultLoad = async (url) => {
  if (url.startsWith('data:')) {
    const { kind, text } = decodeDataURL(url, { url });
    return { format: kind === 'json' ? 'json' : 'js', source: text };
  }
  throw new UnsupportedModuleError(`No loader for this URL scheme (give the registry a load hook)`, { url });
};



/** " imported from /app/main.js", as Node's ERR_MODULE_NOT_FOUND message says it (the importer once, as a path). */
function importedFrom(site: ErrorSite): string {
  // (Not for the entry, whose referrer is the base directory.)
  if (!site.referrer || site.referrer.endsWith('/') || site.phase === 'require') return '';
  return ` imported from ${site.referrer.startsWith('file:') ? hrefToPath(site.referrer) : site.referrer}`;
}

function readIntoMemory(url: string, site: ErrorSite): LinearBuffer {
  const start = mark();
  try {
    return engineCore().readFile(hrefToPath(url));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') {
      throw new ModuleNotFoundError(`Cannot find module '${fileURLToPath(url)}'${importedFrom(site)}`, site, { cause: error });
    }
    throw error;
  } finally {
    spent('read', start);
  }
}

/** Interns the requests' specifiers: straight from linear memory for an ASCII source. */
function internSpecifiers(source: ModuleSource, buffer: LinearBuffer | undefined, text: string): Uint32Array {
  const keys = engineTables().keys;
  const lex = moduleSourceLex(source);
  const n = lex.imports.length;
  if (buffer && buffer.byteLength === text.length && lex.importPositions.length === n) {
    if (n <= 8) {
      // A few specifiers: one raw call each beats staging a batch in memory.
      const ids = new Uint32Array(n);
      for (let i = 0; i < n; i++) {
        const { start, end } = lex.importPositions[i]!;
        ids[i] = keys.internAt(buffer, start, end - start);
      }
      return ids;
    }
    const ranges = new Uint32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const { start, end } = lex.importPositions[i]!;
      ranges[2 * i] = start;
      ranges[2 * i + 1] = end - start;
    }
    return keys.internMany(buffer, ranges);
  }
  return Uint32Array.from(lex.imports, (i) => keys.intern(i.specifier));
}

function jsLoaded(source: ModuleSource, buffer: LinearBuffer | undefined, text: string, hash: bigint, probe?: Probe): Loaded {
  const lex = moduleSourceLex(source);
  const start = mark();
  const specifierIds = internSpecifiers(source, buffer, text);
  spent('hash', start);
  // A cache hit has the lowering too; a miss records what was computed.
  const compileText = probe?.analysis ? probe.analysis.compileText : lowerPhases(text, lex);
  if (probe && !probe.analysis) probe.slot.remember(text, lex, compileText);
  return {
    kind: 'js',
    source,
    value: undefined,
    hash,
    text: undefined,
    requests: lex.imports.map((i) => ({ specifier: i.specifier, attributes: normalizeAttributes(i.attributes), phase: i.phase })),
    specifierIds,
    compileText,
    cache: probe?.slot,
  };
}

function jsonLoaded(text: string, hash: bigint, url: string, site: ErrorSite): Loaded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // As Node words it ("/app/data.json: Unexpected token ..."), at the position in the file.
    const message = (error as Error).message;
    const file = url.startsWith('file:') ? hrefToPath(url) : url;
    throw new ModuleSyntaxError(`${file}: ${message}`, { ...site, url, ...jsonPosition(text, message) }, { cause: error });
  }
  return { kind: 'json', source: undefined, value, hash, text, requests: [], specifierIds: NO_IDS, compileText: undefined };
}

/**
 * A Wasm module's requests are its import module names, each once, in
 * first-seen order, without attributes or phase; js-string builtins are not
 * requests, and a reserved import or export name is a LinkError here, when
 * the module is parsed (ts-host/wasm, "parse a WebAssembly module").
 */
function wasmLoaded(module: WebAssembly.Module): Loaded {
  const info = sourceInfo(module);
  const names = wasmModuleRequests(module, info.key);
  const keys = engineTables().keys;
  return {
    kind: 'wasm',
    source: module,
    value: undefined,
    hash: info.hash,
    text: undefined,
    requests: names.map((specifier) => ({ specifier, attributes: NO_ATTRIBUTES, phase: null })),
    specifierIds: Uint32Array.from(names, (specifier) => keys.intern(specifier)),
    compileText: undefined,
  };
}

/**
 * A CommonJS module, compiled now (its syntax errors are load errors, as for
 * ES modules). For 'detect', a text that fails as CommonJS because of module
 * syntax is an ES module: undefined, and the caller loads it as one.
 */
function cjsLoaded(text: string, hash: bigint, url: string, site: ErrorSite, detect: boolean): Loaded | undefined {
  let code;
  try {
    code = compileCjs(text, url, url.startsWith('file:') ? hrefToPath(url) : url, site, detect);
  } catch (error) {
    if (detect && looksLikeModule(error)) return undefined;
    if (detect && error instanceof SyntaxError) throw cjsSyntaxError(error, text, url, site);
    throw error;
  }
  return { kind: 'cjs', source: undefined, value: code, hash, text, requests: [], specifierIds: NO_IDS, compileText: undefined };
}

/** Builds a Loaded from bytes already in linear memory (and frees them). */
function fromBuffer(kind: LoadKind, buffer: LinearBuffer, url: string, attributes: Attributes, site: ErrorSite, cache?: ModuleCache): Loaded {
  try {
    const core = engineCore();
    if (kind === 'wasm' || isWasmBytes(buffer)) {
      return wasmLoaded(compileWasmSource(buffer.bytes(), { url, attributes, hash: core.hash128At(buffer) }));
    }
    let start = mark();
    const hash = core.hash128At(buffer);
    spent('hash', start);
    start = mark();
    const text = buffer.text();
    spent('decode', start);
    if (kind === 'json') return jsonLoaded(text, hash, url, site);
    if (kind === 'cjs' || kind === 'detect') {
      const loaded = cjsLoaded(text, hash, url, site, kind === 'detect');
      if (loaded) return loaded;
    }
    start = mark();
    // With a cache, a record matching these bytes replaces the lexer.
    const probe = cache?.probe(buffer, text);
    const source = createModuleSource(text, { url, attributes, hash, lex: probe?.analysis?.lex });
    spent('analyze', start);
    return jsLoaded(source, buffer, text, hash, probe);
  } finally {
    buffer.free();
  }
}

/**
 * Loads a file: URL synchronously when no load hook is installed (the common
 * case: no promise per module); undefined when the load must be asynchronous.
 */
export function loadURLSync(url: string, attributes: Attributes, hook: LoadHook | undefined, site: ErrorSite, env: LoadEnv = {}): Loaded | undefined {
  if (hook) return undefined;
  if (url.startsWith('node:')) return builtinLoaded(url, attributes, site);
  if (!url.startsWith('file:')) return undefined;
  const kind = kindOfURL(url, env.formats, site);
  checkAttributes(kind, attributes, site);
  return fromBuffer(kind, readIntoMemory(url, site), url, attributes, site, env.cache);
}

/** Loads the module at `url` through the load hook (if any) or from disk. */
export async function loadURL(url: string, attributes: Attributes, hook: LoadHook | undefined, site: ErrorSite, env: LoadEnv = {}): Promise<Loaded> {
  const loadedSync = loadURLSync(url, attributes, hook, site, env);
  if (loadedSync) return loadedSync;
  if (url.startsWith('node:')) return builtinLoaded(url, attributes, site);
  let kind = kindOfURL(url, env.formats, site);
  checkAttributes(kind, attributes, site);
  const context: LoadContext = { attributes };
  const loadDefault: DefaultLoad = async (u, c) => (u.startsWith('file:') ? readIntoMemory(u, { ...site, url: u }).bytes() : defaultLoad(u, c));
  const result = hook ? await hook(url, context, loadDefault) : await loadDefault(url, context);
  return fromResult(result, url, attributes, kind, site, env.cache);
}

/** Interprets what a load hook returned. */
function fromResult(result: LoadResult, url: string, attributes: Attributes, kind: LoadKind, site: ErrorSite, cache?: ModuleCache): Loaded {
  if (isModuleSource(result)) return fromSource(result as ModuleSource);
  if (isWasmModule(result)) return wasmLoaded(result);
  let payload: unknown = result;
  if (typeof result === 'object' && result !== null && 'format' in result) {
    const described = result as { format: LoadResultFormat; source: unknown };
    kind = described.format === 'module' ? 'js' : described.format === 'commonjs' ? 'cjs' : described.format;
    payload = described.source;
  }
  if (typeof payload === 'string') {
    const buffer = engineCore().copyIn(payload);
    return fromBuffer(kind, buffer, url, attributes, site, cache);
  }
  if (payload instanceof ArrayBuffer) payload = new Uint8Array(payload);
  if (payload instanceof Uint8Array) {
    const buffer = engineCore().alloc(payload.length);
    buffer.write(payload);
    return fromBuffer(kind, buffer, url, attributes, site, cache);
  }
  throw new TypeError(`The load hook returned ${payload === null ? 'null' : typeof payload} for ${url}: expected a string, bytes, a module source or { format, source }`);
}

/** A Loaded for a source object handed in directly (import(source), a load hook). */
export function fromSource(source: AnyModuleSource): Loaded {
  if (isWasmModule(source)) return wasmLoaded(source);
  const js = source as ModuleSource;
  // No buffer: its specifiers are interned from their strings.
  return jsLoaded(js, undefined, moduleSourceText(js), moduleSourceHash(js));
}

export { NO_ATTRIBUTES };
