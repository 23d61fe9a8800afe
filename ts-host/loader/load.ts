// Load: turn a resolved URL (or a load hook's answer) into a source. File
// bytes are read straight into linear memory, hashed there, decoded once for
// the engine, and the specifiers of an ASCII source are interned from the
// same buffer (UTF-16 offsets equal byte offsets there).

import { builtinModules } from 'node:module';
import { createRequire } from '../builtins.js';
import type { CacheSlot, FunctionCacheSlot, ModuleCache, Probe } from '../cache/module-cache.js';
import type { LinearBuffer } from '../core/index.js';
import { engineCore } from '../engine-core.js';
import { HookError, isErrorNamed, HookResultError, ModuleNotFoundError, ModuleSyntaxError, UnknownBuiltinModuleError, UnsupportedModuleError, shorten, withSiteFields, type ErrorSite } from '../errors.js';
import { checkAttributes, declaredKind, establishKind, hasWasmMagic, requestedKind, typeOfURL, type LoadKind, type URLType } from './module-type.js';
import { bytesLoaded } from './parse-bytes.js';
import { textLoaded } from './parse-text.js';
import { NO_ATTRIBUTES, normalizeAttributes, type Attributes } from '../sources/attributes.js';
import { isModuleSource, isWasmModule } from '../sources/brand.js';
import { sourceInfo, type AnyModuleSource } from '../sources/identity.js';
import { createModuleSource, moduleSourceHash, moduleSourceLex, moduleSourceText, type ModuleSource } from '../sources/module-source.js';
import { compileWasmSource } from '../sources/wasm-source.js';
import { wasmModuleRequests } from '../wasm/index.js';
import type { ModuleRequest } from '../module-graph.js';
import type { ModuleKind } from './entry.js';
import { lowerPhases, newImportCall } from './lower.js';
import { lexWithoutImports, lineColumn } from '../sources/analyze-js.js';
import { jsonPosition } from '../diagnostics/syntax-position.js';
import { cjsSyntaxError, compileCjs, looksLikeModule } from './parse-cjs.js';
import type { PackageTypes } from '../resolve/package-type.js';
import { hrefToPath } from '../resolve/file-url.js';
import { mark, spent } from '../profile.js';
import { engineTables } from './tables.js';
import { mainRealm, type Realm } from '../realms/realm.js';
import { sourceForRealm } from '../realms/cross-realm.js';

/** What a load hook (or the default loader) may return. */
export type LoadResult =
  | string
  | Uint8Array
  | ArrayBuffer
  | AnyModuleSource
  | { format: LoadResultFormat; source: string | Uint8Array | ArrayBuffer }
  | { format: 'builtin'; source?: null | undefined };

/**
 * The formats a load hook may declare: 'js' and 'module' are ES modules,
 * 'commonjs' a CommonJS module, 'builtin' a Node builtin (what the default
 * loader gives for node: URLs). Any other format is an UnknownModuleFormatError.
 */
export type LoadResultFormat = 'js' | 'module' | 'commonjs' | 'json' | 'wasm';

export interface LoadContext {
  /** The import attributes of the request. */
  attributes: Attributes;
}

/** The default loader, which a load hook may call. Returns bytes for file: and data: URLs, `{ format: 'builtin' }` for node: URLs. */
export type DefaultLoad = (url: string, context: LoadContext) => Promise<LoadResult>;
export type LoadHook = (url: string, context: LoadContext, defaultLoad: DefaultLoad) => LoadResult | Promise<LoadResult>;

/** What a registry's loads read their settings from: the format of file: URLs, the persistent cache. */
export interface LoadEnv {
  formats?: PackageTypes | undefined;
  cache?: ModuleCache | undefined;
  /** The registry's realm: sources are its ModuleSources and WebAssembly.Modules, JSON its objects, CommonJS compiled in its context. Default Node's own. */
  realm?: Realm | undefined;
}

/** A loaded module, ready to be instantiated. */
export interface Loaded {
  kind: ModuleKind;
  source: AnyModuleSource | undefined;
  /** JSON: the parsed value; builtin: the namespace; CommonJS: its compiled code (parse-cjs.ts CjsCode); text: the string; bytes: the Uint8Array. */
  value: unknown;
  /** Content hash (XXH3-128) of what was loaded. */
  hash: bigint;
  /** JSON and CommonJS text, kept for content identity. */
  text: string | undefined;
  requests: ModuleRequest[];
  /** Interned ids of the requests' specifiers, in order. */
  specifierIds: ArrayLike<number>;
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
    throw new UnknownBuiltinModuleError(`No such built-in module: ${shorten(url)}`, site, { cause: error });
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

/**
 * A data: URL's body as bytes, as the fetch spec's data: URL processor reads
 * it: percent-decoded (a malformed escape is kept as written, never an
 * error, as in Node 26), then base64-decoded when the URL says `;base64`.
 */
function dataURLBytes(url: string, site: ErrorSite): Uint8Array {
  const comma = url.indexOf(',');
  if (comma < 0) throw new ModuleNotFoundError('Invalid data: URL (no comma)', site);
  const base64 = /;\s*base64\s*$/i.test(url.slice(5, comma));
  const body = percentDecode(url.slice(comma + 1));
  return base64 ? new Uint8Array(Buffer.from(Buffer.from(body).toString('latin1'), 'base64')) : body;
}

/** Percent-decodes a string into bytes (UTF-8 for everything else); an escape without two hex digits stays as is. */
function percentDecode(text: string): Uint8Array {
  const raw = Buffer.from(text, 'utf8');
  const out = new Uint8Array(raw.length);
  let n = 0;
  const hex = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 37 && i + 2 < raw.length + 0 && hex(raw[i + 1] ?? 0) >= 0 && hex(raw[i + 2] ?? 0) >= 0) {
      out[n++] = hex(raw[i + 1]!) * 16 + hex(raw[i + 2]!);
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}

/** The default loader: file: URLs from disk (bytes), data: URLs decoded, node: URLs as builtins. */
export const defaultLoad: DefaultLoad = async (url) => {
  const site: ErrorSite = { url };
  if (url.startsWith('data:')) {
    const { kind } = typeOfURL(url, undefined, site);
    return { format: kind === 'json' ? 'json' : kind === 'wasm' ? 'wasm' : 'js', source: dataURLBytes(url, site) };
  }
  if (url.startsWith('node:')) return { format: 'builtin' };
  throw new UnsupportedModuleError(`No loader for this URL scheme (give the registry a load hook)`, site);
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
    // As Node: a path too long or with a null byte is a module that cannot be found (the message quotes it shortened).
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'ENAMETOOLONG' || code === 'ERR_INVALID_ARG_VALUE') {
      throw new ModuleNotFoundError(`Cannot find module '${shorten(hrefToPath(url))}'${importedFrom(site)}${code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? '' : ` (${code})`}`, site, { cause: error });
    }
    // Anything else (EACCES, EIO, ...) is the system's own error, with where it happened.
    throw withSiteFields(error, site);
  } finally {
    spent('read', start);
  }
}

/**
 * Interns the requests' specifiers: straight from linear memory for an ASCII
 * source. The ids live as long as the module: a few are a plain array of
 * small integers (about a third of a typed array's size, which on the
 * 10,000-module graph was 1.7 MB for every scavenge to copy), none the shared
 * empty one.
 */
function internSpecifiers(source: ModuleSource, buffer: LinearBuffer | undefined, text: string): ArrayLike<number> {
  const keys = engineTables().keys;
  const lex = moduleSourceLex(source);
  const n = lex.imports.length;
  if (n === 0) return NO_IDS;
  if (buffer && buffer.byteLength === text.length && lex.importPositions.length === n) {
    if (n <= 8) {
      // A few specifiers: one raw call each beats staging a batch in memory.
      const ids: number[] = new Array(n);
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
  return lex.imports.map((i) => keys.intern(i.specifier));
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

function jsonLoaded(text: string, hash: bigint, url: string, site: ErrorSite, realm: Realm): Loaded {
  let value: unknown;
  try {
    value = realm.JSON.parse(text);
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
function cjsLoaded(text: string, hash: bigint, url: string, site: ErrorSite, detect: boolean, realm: Realm, cache: (() => FunctionCacheSlot | undefined) | undefined): Loaded | undefined {
  let code;
  try {
    code = compileCjs(text, url, url.startsWith('file:') ? hrefToPath(url) : url, site, detect, realm.context, cache);
  } catch (error) {
    if (detect && looksLikeModule(error)) return undefined;
    if (detect && isErrorNamed(error, 'SyntaxError')) throw cjsSyntaxError(error, text, url, site);
    throw error;
  }
  return { kind: 'cjs', source: undefined, value: code, hash, text, requests: [], specifierIds: NO_IDS, compileText: undefined };
}

/** Builds a Loaded from bytes already in linear memory (and frees them). */
function fromBuffer(kind: LoadKind, buffer: LinearBuffer, url: string, attributes: Attributes, site: ErrorSite, env: LoadEnv): Loaded {
  const realm = env.realm ?? mainRealm;
  try {
    const core = engineCore();
    const requested = requestedKind(attributes);
    if (requested === 'bytes') return bytesLoaded(buffer.view(), core.hash128At(buffer), realm.Uint8Array);
    if (requested === 'text') return textLoaded(buffer.text(), core.hash128At(buffer));
    if (kind === 'wasm') {
      return wasmLoaded(compileWasmSource(buffer.bytes(), { url, attributes, hash: core.hash128At(buffer), realm }));
    }
    let start = mark();
    const hash = core.hash128At(buffer);
    spent('hash', start);
    start = mark();
    const text = buffer.text();
    spent('decode', start);
    if (kind === 'json') return jsonLoaded(text, hash, url, site, realm);
    if (kind === 'cjs' || kind === 'detect') {
      // With a cache, the record of these bytes has V8's code cache of the function (looked up if compileCjs can use it).
      const cache = env.cache;
      const loaded = cjsLoaded(text, hash, url, site, kind === 'detect', realm, cache && (() => cache.probeFunction(buffer)));
      if (loaded) return loaded;
    }
    start = mark();
    // With a cache, a record matching these bytes replaces the lexer.
    const probe = env.cache?.probe(buffer, text);
    const source = createModuleSource(text, { url, attributes, hash, lex: probe?.analysis?.lex ?? lexWithoutImports(text), realm });
    spent('analyze', start);
    // `new import(...)` needs an import call: a module just lexed without one skips newImportCall's scan of
    // its text. (Not for a cache hit: its import sites are decoded on demand, which costs more than the scan.)
    const lexed = probe?.analysis === undefined ? moduleSourceLex(source) : undefined;
    const misplaced = lexed?.dynamicImports.length === 0 ? -1 : newImportCall(text, () => moduleSourceLex(source));
    if (misplaced >= 0) throw new ModuleSyntaxError('Cannot use new with import', { ...site, url, ...lineColumn(text, misplaced) });
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
  const type = typeOfURL(url, env.formats, site);
  // What the file's name states is checked before it is read, as Node does.
  if (type.stated) checkAttributes(type.kind, attributes, site);
  const buffer = readIntoMemory(url, site);
  let kind: LoadKind;
  try {
    kind = establishKind(type, undefined, attributes, () => hasWasmMagic(buffer.view()), site);
  } catch (error) {
    buffer.free();
    throw error;
  }
  return fromBuffer(kind, buffer, url, attributes, site, env);
}

/** Loads the module at `url` through the load hook (if any) or from disk. */
export async function loadURL(url: string, attributes: Attributes, hook: LoadHook | undefined, site: ErrorSite, env: LoadEnv = {}): Promise<Loaded> {
  const loadedSync = loadURLSync(url, attributes, hook, site, env);
  if (loadedSync) return loadedSync;
  const type = typeOfURL(url, env.formats, site);
  // Without a hook nothing can change what the URL states: refuse early.
  if (!hook && type.stated) checkAttributes(type.kind, attributes, site);
  const context: LoadContext = { attributes };
  // What the default loader throws is canon's own error: a hook that rethrows it passes it on unchanged.
  const ownErrors = new WeakSet<object>();
  const loadDefault: DefaultLoad = async (u, c) => {
    try {
      return u.startsWith('file:') ? readIntoMemory(u, { ...site, url: u }).bytes() : await defaultLoad(u, c);
    } catch (error) {
      if (typeof error === 'object' && error !== null) ownErrors.add(error);
      throw error;
    }
  };
  let result: LoadResult;
  try {
    result = hook ? await hook(url, context, loadDefault) : await loadDefault(url, context);
  } catch (error) {
    if (!hook || (typeof error === 'object' && error !== null && ownErrors.has(error))) throw error;
    throw new HookError(`The load hook failed for ${shorten(url)}: ${messageOf(error)}`, { ...site, hook: 'load' }, { cause: error });
  }
  return fromResult(result, url, attributes, type, site, hook !== undefined, env);
}

/** An error's message (or the thrown value) for quoting in another error's message. */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return shorten(text, 500);
}

/** Interprets what a load hook (or the default loader) returned; the module's kind is established here (module-type.ts). */
function fromResult(result: LoadResult, url: string, attributes: Attributes, type: URLType, site: ErrorSite, fromHook: boolean, env: LoadEnv): Loaded {
  if (isModuleSource(result) || isWasmModule(result)) {
    establishKind(type, isWasmModule(result) ? 'wasm' : 'js', attributes, () => false, site);
    // The hook is the host's: a source it made for another realm is adopted (copied) into the registry's.
    const realm = env.realm ?? mainRealm;
    return fromSource(sourceForRealm(result as AnyModuleSource, realm, 'copy', realm, 'load hook'));
  }
  let payload: unknown = result;
  let declared: ModuleKind | undefined;
  if (typeof result === 'object' && result !== null && 'format' in result) {
    const described = result as { format: unknown; source: unknown };
    declared = declaredKind(described.format, site);
    payload = described.source;
    if (declared === 'builtin') {
      checkAttributes('builtin', attributes, site);
      return builtinLoaded(url, attributes, site);
    }
  }
  if (payload instanceof ArrayBuffer) payload = new Uint8Array(payload);
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    const what = payload === null ? 'null' : typeof payload;
    const message = `The load hook returned ${what} for ${shorten(url)}: expected a string, bytes, a module source or { format, source }`;
    if (fromHook) throw new HookResultError(message, { ...site, hook: 'load' });
    throw new TypeError(message);
  }
  const bytes = payload;
  const kind = establishKind(type, declared, attributes, () => typeof bytes !== 'string' && hasWasmMagic(bytes), site);
  if (typeof bytes === 'string') return fromBuffer(kind, engineCore().copyIn(bytes), url, attributes, site, env);
  const buffer = engineCore().alloc(bytes.length);
  buffer.write(bytes);
  return fromBuffer(kind, buffer, url, attributes, site, env);
}

/** A Loaded for a source object handed in directly (import(source), a load hook). */
export function fromSource(source: AnyModuleSource): Loaded {
  if (isWasmModule(source)) return wasmLoaded(source);
  const js = source as ModuleSource;
  // No buffer: its specifiers are interned from their strings.
  return jsLoaded(js, undefined, moduleSourceText(js), moduleSourceHash(js));
}

export { NO_ATTRIBUTES, checkAttributes };
