// Import maps and module specifier resolution, as the HTML Standard defines
// them (https://html.spec.whatwg.org/multipage/webappapis.html#import-maps):
// "parse an import map string", "sort and normalize a module specifier map",
// "sort and normalize scopes", "normalize a module integrity map", "resolve a
// module specifier", "resolve an imports match" and "resolve a URL-like module
// specifier". Merging import maps and the resolved module set are not here.
//
// The parsed map is exposed in the spec's shape (ordered maps, sorted in
// descending code-unit order). Resolution does not walk those maps: parsing
// also compiles each specifier map into hash lookups, so a resolution costs one
// lookup for an exact match and one per "/" of the specifier for a prefix match
// (the longest matching "/"-terminated key is the one the spec's descending
// walk meets first), whatever the size of the map.

import { fileURLToPath } from 'node:url';
import { assignSite, describeSite, InvalidArgumentError } from '../errors.js';
import { locateJSONError } from './json-error-location.js';

// ---------------------------------------------------------------------------
// Errors

/**
 * The import map's JSON is invalid, a value the spec requires to be an
 * object is not one, or reading an import map object threw (a getter or a
 * Proxy of an API user's object). Its `name` stays "TypeError" (see errors.ts).
 */
export class ImportMapError extends TypeError {
  readonly code = 'ERR_CANON_INVALID_IMPORT_MAP';
  /**
   * The JSON keys leading to the offending value: `[]` for the top level (or
   * text that is not JSON), `['imports']`, `['scopes', '/js/']`, ...
   */
  readonly path: readonly string[];
  /** For text that is not JSON: the base URL given (for a map read from a file, the file's URL). */
  readonly url: string | undefined;
  /** For text that is not JSON: where it breaks, 1-based (the message says `file:line:column`). */
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, path: readonly string[] = [], options?: { cause?: unknown; location?: { url: string; line: number; column: number } }) {
    super(`Invalid import map: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = Object.freeze([...path]);
    this.url = options?.location?.url;
    this.line = options?.location?.line;
    this.column = options?.location?.column;
  }
}

/** Why a specifier did not resolve. */
export type ResolutionFailure =
  /** A bare specifier that no import map entry maps. */
  | 'unmapped'
  /** The matching entry is null: its address was not a string, not a URL, or lacked a required trailing "/". */
  | 'blocked'
  /** A prefix match whose remainder climbs out of the mapped address ("pkg/../x"). */
  | 'backtracking'
  /** A prefix match whose remainder does not parse against the mapped address (e.g. a data: address). */
  | 'invalid-url'
  /**
   * A prefix match on an entry whose address does not end with "/": a key
   * such as "https://a.example" normalizes to "https://a.example/", but the
   * spec checks the trailing "/" on the key as written (and then asserts).
   */
  | 'not-a-prefix';

/** A module specifier that does not resolve to a URL. Its `name` stays "TypeError" (see errors.ts). */
export class ModuleResolutionError extends TypeError {
  readonly code = 'ERR_CANON_UNRESOLVED_SPECIFIER';
  declare readonly specifier: string;
  declare readonly referrer: string;
  readonly reason: ResolutionFailure;
  /** The import map key that matched, when one did. */
  readonly specifierKey: string | undefined;
  /** The scope prefix holding that key; undefined for top-level `imports` or no match. */
  readonly scope: string | undefined;
  constructor(
    message: string,
    site: { specifier: string; referrer: string },
    reason: ResolutionFailure,
    specifierKey?: string,
    scope?: string,
  ) {
    super(message + describeSite(site));
    assignSite(this, site);
    this.reason = reason;
    this.specifierKey = specifierKey;
    this.scope = scope;
  }
}

// ---------------------------------------------------------------------------
// The parsed map

/** Specifier key → serialized address URL, or null for an entry that blocks resolution. */
export type ModuleSpecifierMap = ReadonlyMap<string, string | null>;

/**
 * A parsed, normalized import map. Keys and addresses are serialized URLs
 * (bare specifier keys stay as written); both `imports` and each scope, and
 * `scopes` itself, iterate in descending code-unit order of their keys, as
 * the spec sorts them. The maps describe the import map; resolution uses
 * tables compiled from the same input at parse time, so changing these maps
 * (they are plain `Map`s underneath) does not change how specifiers resolve.
 */
export interface ImportMap {
  readonly imports: ModuleSpecifierMap;
  /** Scope prefix (a serialized URL) → its specifier map. */
  readonly scopes: ReadonlyMap<string, ModuleSpecifierMap>;
  /**
   * Module URL (serialized) → integrity metadata, in the order given. Parsed
   * and exposed only: nothing here checks it (the spec's "resolve a module
   * integrity metadata" is `integrity.get(url.href) ?? ''`).
   */
  readonly integrity: ReadonlyMap<string, string>;
  /** What the spec reports to the console while parsing: ignored keys, null entries, ... */
  warnings: string[];
}

// One specifier map, compiled for lookups.
interface Entry {
  readonly key: string;
  /** Serialized URL, or null when the entry blocks resolution. */
  readonly address: string | null;
  /** Why `address` is null; for error messages. */
  readonly nullReason: string;
  readonly addressEndsWithSlash: boolean;
}

interface CompiledSpecifierMap {
  /** Every key. */
  readonly exact: Map<string, Entry>;
  /** Keys ending with "/" (candidates for prefix matches). */
  readonly prefix: Map<string, Entry>;
  /** Shortest and longest key in `prefix`; bounds the "/" walk. */
  readonly minPrefixLength: number;
  readonly maxPrefixLength: number;
}

interface CompiledScope {
  readonly prefix: string;
  readonly map: CompiledSpecifierMap;
}

interface CompiledImportMap {
  readonly imports: CompiledSpecifierMap;
  /** Scope prefix → compiled scope. */
  readonly scopes: Map<string, CompiledScope>;
  readonly minScopeLength: number;
  readonly maxScopeLength: number;
  /** Base URL → the scopes that apply to it, most specific first (bounded). */
  readonly scopesByBase: Map<string, readonly CompiledScope[]>;
}

const SCOPE_CACHE_SIZE = 256;

const compiledMaps = new WeakMap<ImportMap, CompiledImportMap>();

const EMPTY_MAP: CompiledSpecifierMap = {
  exact: new Map(),
  prefix: new Map(),
  minPrefixLength: 0,
  maxPrefixLength: 0,
};

// ---------------------------------------------------------------------------
// Parsing

/**
 * "Parse an import map string": `input` is JSON text or an already-parsed
 * value (as `JSON.parse` would return it), `baseURL` the URL relative keys,
 * addresses and scopes resolve against (the document's, or the import map
 * file's).
 *
 * Throws `ImportMapError` for text that is not JSON, a top level that is not an
 * object, `imports`/`scopes`/`integrity` that are not objects, or a scope whose
 * value is not an object. Everything else the spec only warns about: such
 * entries are dropped or become null entries, and the warning is collected in
 * `warnings`. Throws `InvalidArgumentError` if `baseURL` is not an absolute URL.
 */
export function parseImportMap(input: string | object, baseURL: string | URL): ImportMap {
  const base = toBaseURL(baseURL, 'parseImportMap', 'baseURL');

  let parsed: unknown;
  if (typeof input === 'string') {
    try {
      parsed = JSON.parse(input);
    } catch (error) {
      // file:line:column first, as compilers print it, then the offending line with a caret.
      const at = locateJSONError(input, error);
      throw new ImportMapError(`${sourceName(base)}:${at.line}:${at.column}: the text is not valid JSON: ${at.reason}\n${at.frame}`, [], {
        cause: error,
        location: { url: base.href, line: at.line, column: at.column },
      });
    }
  } else {
    parsed = input;
  }
  if (!isJSONObject(parsed, [])) {
    throw new ImportMapError(`the top-level value must be a JSON object, got ${describeValue(parsed)}`);
  }

  const warnings: string[] = [];
  const imports = new Map<string, string | null>();
  const compiledImports = newCompiler();
  const scopes = new Map<string, ModuleSpecifierMap>();
  const compiledScopes = new Map<string, CompiledScope>();
  const integrity = new Map<string, string>();

  const rawImports = member(parsed, 'imports', []);
  if (rawImports !== undefined) {
    if (!isJSONObject(rawImports, ['imports'])) {
      throw new ImportMapError(`the value of "imports" must be a JSON object, got ${describeValue(rawImports)}`, ['imports']);
    }
    sortAndNormalizeSpecifierMap(rawImports, base, ['imports'], warnings, imports, compiledImports);
  }

  const rawScopes = member(parsed, 'scopes', []);
  if (rawScopes !== undefined) {
    if (!isJSONObject(rawScopes, ['scopes'])) {
      throw new ImportMapError(`the value of "scopes" must be a JSON object, got ${describeValue(rawScopes)}`, ['scopes']);
    }
    sortAndNormalizeScopes(rawScopes, base, warnings, scopes, compiledScopes);
  }

  const rawIntegrity = member(parsed, 'integrity', []);
  if (rawIntegrity !== undefined) {
    if (!isJSONObject(rawIntegrity, ['integrity'])) {
      throw new ImportMapError(`the value of "integrity" must be a JSON object, got ${describeValue(rawIntegrity)}`, ['integrity']);
    }
    normalizeIntegrityMap(rawIntegrity, base, warnings, integrity);
  }

  for (const key of keysOf(parsed, [])) {
    if (key !== 'imports' && key !== 'scopes' && key !== 'integrity') {
      warnings.push(`ignored the top-level key ${JSON.stringify(key)}: only "imports", "scopes" and "integrity" are allowed`);
    }
  }

  let minScopeLength = Infinity;
  let maxScopeLength = 0;
  for (const prefix of compiledScopes.keys()) {
    if (prefix.length < minScopeLength) minScopeLength = prefix.length;
    if (prefix.length > maxScopeLength) maxScopeLength = prefix.length;
  }

  const importMap: ImportMap = Object.freeze({
    imports,
    scopes: sortedMap(scopes),
    integrity,
    warnings,
  });
  compiledMaps.set(importMap, {
    imports: finishCompiler(compiledImports),
    scopes: compiledScopes,
    minScopeLength,
    maxScopeLength,
    scopesByBase: new Map(),
  });
  return importMap;
}

/** Whether `value` is an import map made by `parseImportMap` (the only kind the resolvers accept). */
export function isImportMap(value: unknown): value is ImportMap {
  return typeof value === 'object' && value !== null && compiledMaps.has(value as ImportMap);
}

interface Compiler {
  exact: Map<string, Entry>;
}

function newCompiler(): Compiler {
  return { exact: new Map() };
}

function finishCompiler(compiler: Compiler): CompiledSpecifierMap {
  if (compiler.exact.size === 0) return EMPTY_MAP;
  const prefix = new Map<string, Entry>();
  let minPrefixLength = Infinity;
  let maxPrefixLength = 0;
  for (const [key, entry] of compiler.exact) {
    if (key.endsWith('/')) {
      prefix.set(key, entry);
      if (key.length < minPrefixLength) minPrefixLength = key.length;
      if (key.length > maxPrefixLength) maxPrefixLength = key.length;
    }
  }
  return { exact: compiler.exact, prefix, minPrefixLength, maxPrefixLength };
}

/** "Sort and normalize a module specifier map", into `out` (sorted) and `compiler`. */
function sortAndNormalizeSpecifierMap(
  original: Record<string, unknown>,
  base: URL,
  path: readonly string[],
  warnings: string[],
  out: Map<string, string | null>,
  compiler: Compiler,
): void {
  const normalized = new Map<string, Entry>();
  const baseHref = base.href;
  for (const specifierKey of keysOf(original, path)) {
    const value = valueOf(original, specifierKey, path);
    const at = (): string => jsonPath([...path, specifierKey]);

    // "Normalize a specifier key".
    if (specifierKey === '') {
      warnings.push(`${at()}: ignored: a specifier key may not be the empty string`);
      continue;
    }
    const keyURL = resolveURLLike(specifierKey, baseHref);
    const normalizedKey = keyURL === null ? specifierKey : keyURL.href;
    if (normalized.has(normalizedKey)) {
      warnings.push(`${at()}: replaces an earlier key that also normalizes to ${JSON.stringify(normalizedKey)}`);
    }

    let entry: Entry;
    if (typeof value !== 'string') {
      const reason = `its address ${describeValue(value)} is not a string`;
      warnings.push(`${at()}: ${reason}; the entry blocks resolution of ${JSON.stringify(normalizedKey)}`);
      entry = nullEntry(normalizedKey, reason);
    } else {
      const addressURL = resolveURLLike(value, baseHref);
      if (addressURL === null) {
        const reason = `its address ${JSON.stringify(value)} is not a URL, nor a relative URL starting with "/", "./" or "../"` +
          (startsWithRelativePrefix(value) ? ` that resolves against the base URL ${baseHref}` : '');
        warnings.push(`${at()}: ${reason}; the entry blocks resolution of ${JSON.stringify(normalizedKey)}`);
        entry = nullEntry(normalizedKey, reason);
      } else if (specifierKey.endsWith('/') && !addressURL.href.endsWith('/')) {
        const reason = `the key ends with "/" but its address ${addressURL.href} does not`;
        warnings.push(`${at()}: ${reason}; the entry blocks resolution of ${JSON.stringify(normalizedKey)}`);
        entry = nullEntry(normalizedKey, reason);
      } else {
        const address = addressURL.href;
        const addressEndsWithSlash = address.endsWith('/');
        if (normalizedKey.endsWith('/') && !addressEndsWithSlash) {
          // The spec checks the key as written, so "https://a.example" (which
          // normalizes to "https://a.example/") may map to an address without
          // a trailing "/". It then works as an exact match only.
          warnings.push(
            `${at()}: the key normalizes to ${JSON.stringify(normalizedKey)}, which ends with "/", but its address ${address} ` +
              `does not: only the exact specifier resolves; specifiers under it fail`,
          );
        }
        entry = { key: normalizedKey, address, nullReason: '', addressEndsWithSlash };
      }
    }
    normalized.set(normalizedKey, entry);
  }

  const keys = [...normalized.keys()].sort(descendingCodeUnits);
  for (const key of keys) {
    const entry = normalized.get(key)!;
    out.set(key, entry.address);
    compiler.exact.set(key, entry);
  }
}

function nullEntry(key: string, nullReason: string): Entry {
  return { key, address: null, nullReason, addressEndsWithSlash: false };
}

/** "Sort and normalize scopes". */
function sortAndNormalizeScopes(
  original: Record<string, unknown>,
  base: URL,
  warnings: string[],
  out: Map<string, ModuleSpecifierMap>,
  compiled: Map<string, CompiledScope>,
): void {
  for (const scopePrefix of keysOf(original, ['scopes'])) {
    const potentialSpecifierMap = valueOf(original, scopePrefix, ['scopes']);
    if (!isJSONObject(potentialSpecifierMap, ['scopes', scopePrefix])) {
      throw new ImportMapError(
        `the value of scopes[${JSON.stringify(scopePrefix)}] must be a JSON object (a specifier map), got ${describeValue(potentialSpecifierMap)}`,
        ['scopes', scopePrefix],
      );
    }
    let prefixURL: URL;
    try {
      prefixURL = new URL(scopePrefix, base);
    } catch {
      warnings.push(`scopes[${JSON.stringify(scopePrefix)}]: ignored: the scope prefix is not a URL (against the base URL ${base.href})`);
      continue;
    }
    const prefix = prefixURL.href;
    if (out.has(prefix)) {
      warnings.push(`scopes[${JSON.stringify(scopePrefix)}]: replaces an earlier scope that also normalizes to ${JSON.stringify(prefix)}`);
      // Infra's "set" keeps the earlier position; the scopes are sorted below anyway.
    }
    const map = new Map<string, string | null>();
    const compiler = newCompiler();
    sortAndNormalizeSpecifierMap(potentialSpecifierMap, base, ['scopes', scopePrefix], warnings, map, compiler);
    out.set(prefix, map);
    compiled.set(prefix, { prefix, map: finishCompiler(compiler) });
  }
}

/** "Normalize a module integrity map". Not sorted: the spec keeps the given order. */
function normalizeIntegrityMap(original: Record<string, unknown>, base: URL, warnings: string[], out: Map<string, string>): void {
  for (const key of keysOf(original, ['integrity'])) {
    const value = valueOf(original, key, ['integrity']);
    const at = jsonPath(['integrity', key]);
    const url = resolveURLLike(key, base.href);
    if (url === null) {
      warnings.push(`${at}: ignored: the key is not a URL, nor a relative URL starting with "/", "./" or "../"`);
      continue;
    }
    if (typeof value !== 'string') {
      warnings.push(`${at}: ignored: integrity metadata must be a string, got ${describeValue(value)}`);
      continue;
    }
    out.set(url.href, value);
  }
}

// ---------------------------------------------------------------------------
// Resolution

/**
 * "Resolve a module specifier": `specifier` as written in `referrerURL`'s
 * source (for a module, `referrerURL` is its base URL: its own URL), through
 * `importMap` if given.
 *
 * The scopes that apply to the referrer are tried from the most specific,
 * then the top-level imports, then the specifier as a URL (absolute, or
 * starting with "/", "./" or "../"). Throws `ModuleResolutionError` for a bare
 * specifier nothing maps, and when the first matching entry is null or its
 * prefix match fails (there is no fallback past a failing entry). Returns a
 * new URL object on every call.
 */
export function resolveSpecifier(specifier: string, referrerURL: string | URL, importMap?: ImportMap): URL {
  const result = resolve(specifier, referrerURL, importMap, 'resolveSpecifier');
  return typeof result === 'string' ? new URL(result) : result;
}

/**
 * `resolveSpecifier(...).href` without building a URL object when the import
 * map already holds the answer (an exact match): for callers that key on URL
 * strings.
 */
export function resolveSpecifierHref(specifier: string, referrerURL: string | URL, importMap?: ImportMap): string {
  const result = resolve(specifier, referrerURL, importMap, 'resolveSpecifierHref');
  return typeof result === 'string' ? result : result.href;
}

// A fresh URL (parsed for this call), or a serialized URL held by the map.
function resolve(specifier: string, referrerURL: string | URL, importMap: ImportMap | undefined, method: string): URL | string {
  if (typeof specifier !== 'string') {
    throw new InvalidArgumentError(`${method}: the specifier must be a string, got ${describeValue(specifier)}`);
  }
  const baseHref = referrerHref(referrerURL, method);
  let compiled: CompiledImportMap | undefined;
  if (importMap !== undefined) {
    compiled = compiledMaps.get(importMap);
    if (compiled === undefined) {
      throw new InvalidArgumentError(`${method}: the import map must come from parseImportMap, got ${describeValue(importMap)}`);
    }
  }

  const asURL = resolveURLLike(specifier, baseHref);
  const normalizedSpecifier = asURL === null ? specifier : asURL.href;
  // Prefix matches apply to bare specifiers and special URLs only.
  const prefixAllowed = asURL === null || isSpecialHref(normalizedSpecifier);

  if (compiled !== undefined) {
    if (compiled.scopes.size !== 0) {
      for (const scope of scopesFor(compiled, baseHref)) {
        const match = resolveImportsMatch(normalizedSpecifier, prefixAllowed, scope.map, specifier, baseHref, scope.prefix);
        if (match !== null) return match;
      }
    }
    const match = resolveImportsMatch(normalizedSpecifier, prefixAllowed, compiled.imports, specifier, baseHref, undefined);
    if (match !== null) return match;
  }
  if (asURL !== null) return asURL;

  throw new ModuleResolutionError(
    'Unresolved bare specifier: it is not a URL and does not start with "/", "./" or "../", ' +
      (compiled === undefined ? 'and no import map was given' : 'and no import map entry maps it'),
    { specifier, referrer: baseHref },
    'unmapped',
  );
}

/**
 * The scopes whose prefix is the base URL, or ends with "/" and is a prefix
 * of it, most specific (longest) first: the order of the spec's walk over
 * scopes sorted descending, skipping those that do not apply.
 */
function scopesFor(compiled: CompiledImportMap, baseHref: string): readonly CompiledScope[] {
  const cached = compiled.scopesByBase.get(baseHref);
  if (cached !== undefined) return cached;
  const found: CompiledScope[] = [];
  const { scopes, minScopeLength, maxScopeLength } = compiled;
  if (baseHref.length >= minScopeLength) {
    const exact = baseHref.length <= maxScopeLength ? scopes.get(baseHref) : undefined;
    if (exact !== undefined) found.push(exact);
    let slash = baseHref.lastIndexOf('/', Math.min(baseHref.length, maxScopeLength) - 1);
    while (slash >= 0 && slash + 1 >= minScopeLength) {
      if (slash + 1 !== baseHref.length) {
        const scope = scopes.get(baseHref.slice(0, slash + 1));
        if (scope !== undefined) found.push(scope);
      }
      if (slash === 0) break;
      slash = baseHref.lastIndexOf('/', slash - 1);
    }
  }
  if (compiled.scopesByBase.size >= SCOPE_CACHE_SIZE) compiled.scopesByBase.clear();
  compiled.scopesByBase.set(baseHref, found);
  return found;
}

/**
 * "Resolve an imports match": null if no key of `map` matches; the result of
 * the first key that does (an exact match, else the longest "/"-terminated
 * key that prefixes the specifier), or a throw if that entry fails.
 */
function resolveImportsMatch(
  normalizedSpecifier: string,
  prefixAllowed: boolean,
  map: CompiledSpecifierMap,
  specifier: string,
  referrer: string,
  scope: string | undefined,
): URL | string | null {
  const exact = map.exact.get(normalizedSpecifier);
  if (exact !== undefined) {
    if (exact.address === null) throw blocked(exact, true, specifier, referrer, scope);
    return exact.address;
  }
  if (!prefixAllowed || map.prefix.size === 0 || normalizedSpecifier.length < map.minPrefixLength) return null;

  let slash = normalizedSpecifier.lastIndexOf('/', Math.min(normalizedSpecifier.length, map.maxPrefixLength) - 1);
  while (slash >= 0 && slash + 1 >= map.minPrefixLength) {
    const entry = map.prefix.get(normalizedSpecifier.slice(0, slash + 1));
    if (entry !== undefined) return resolvePrefixMatch(entry, normalizedSpecifier, specifier, referrer, scope);
    if (slash === 0) break;
    slash = normalizedSpecifier.lastIndexOf('/', slash - 1);
  }
  return null;
}

function resolvePrefixMatch(entry: Entry, normalizedSpecifier: string, specifier: string, referrer: string, scope: string | undefined): URL {
  const site = { specifier, referrer };
  const { address, key } = entry;
  if (address === null) throw blocked(entry, false, specifier, referrer, scope);
  if (!entry.addressEndsWithSlash) {
    // The spec asserts this cannot happen, but its parse-time check looks at
    // the key as written, not as normalized (see sortAndNormalizeSpecifierMap).
    throw new ModuleResolutionError(
      `The import map prefix ${JSON.stringify(key)}${inScope(scope)} maps to ${address}, which does not end with "/", ` +
        'so it cannot map the specifiers under it',
      site,
      'not-a-prefix',
      key,
      scope,
    );
  }
  const afterPrefix = normalizedSpecifier.slice(key.length);
  let url: URL;
  try {
    url = new URL(afterPrefix, address);
  } catch {
    throw new ModuleResolutionError(
      `The part after the import map prefix ${JSON.stringify(key)}${inScope(scope)}, ${JSON.stringify(afterPrefix)}, ` +
        `does not parse as a URL relative to the prefix's address ${address}`,
      site,
      'invalid-url',
      key,
      scope,
    );
  }
  if (!url.href.startsWith(address)) {
    throw new ModuleResolutionError(
      `The specifier backtracks above its import map prefix ${JSON.stringify(key)}${inScope(scope)}: ` +
        `${JSON.stringify(afterPrefix)} against ${address} is ${url.href}, outside ${address}`,
      site,
      'backtracking',
      key,
      scope,
    );
  }
  return url;
}

function blocked(entry: Entry, exact: boolean, specifier: string, referrer: string, scope: string | undefined): ModuleResolutionError {
  return new ModuleResolutionError(
    `The import map ${exact ? 'entry' : 'prefix'} ${JSON.stringify(entry.key)}${inScope(scope)} is null, ` +
      `which blocks resolution: ${entry.nullReason}`,
    { specifier, referrer },
    'blocked',
    entry.key,
    scope,
  );
}

function inScope(scope: string | undefined): string {
  return scope === undefined ? '' : ` in the scope ${JSON.stringify(scope)}`;
}

// ---------------------------------------------------------------------------
// URLs

/**
 * "Resolve a URL-like module specifier": a specifier starting with "/", "./"
 * or "../" parsed against `baseHref`, else the specifier parsed as an absolute
 * URL; null when that fails.
 */
function resolveURLLike(specifier: string, baseHref: string): URL | null {
  if (startsWithRelativePrefix(specifier)) {
    try {
      return new URL(specifier, baseHref);
    } catch {
      return null; // e.g. "./x" against a data: URL
    }
  }
  if (!mayBeAbsoluteURL(specifier)) return null;
  try {
    return new URL(specifier);
  } catch {
    return null;
  }
}

function startsWithRelativePrefix(specifier: string): boolean {
  const c0 = specifier.charCodeAt(0);
  if (c0 === 0x2f) return true; // "/"
  if (c0 !== 0x2e) return false; // "."
  const c1 = specifier.charCodeAt(1);
  if (c1 === 0x2f) return true; // "./"
  return c1 === 0x2e && specifier.charCodeAt(2) === 0x2f; // "../"
}

/**
 * False only for strings the URL parser cannot take as absolute URLs, so bare
 * specifiers (the common case) cost no parse and no exception. An absolute
 * URL starts with a scheme: an ASCII letter, then letters, digits, "+", "-"
 * or ".", then ":". The parser first strips leading C0 controls and spaces and
 * removes tabs and newlines everywhere: such strings get the full parse.
 */
function mayBeAbsoluteURL(specifier: string): boolean {
  const length = specifier.length;
  if (length < 2) return false;
  const c0 = specifier.charCodeAt(0);
  if (c0 <= 0x20) return true;
  if (!isASCIIAlpha(c0)) return false;
  for (let i = 1; i < length; i++) {
    const c = specifier.charCodeAt(i);
    if (c === 0x3a) return true; // ":"
    if (c === 0x09 || c === 0x0a || c === 0x0d) return true;
    if (!(isASCIIAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)) return false;
  }
  return false;
}

function isASCIIAlpha(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

// Whether a serialized URL's scheme is special
// (https://url.spec.whatwg.org/#special-scheme); cheaper than `url.protocol`.
function isSpecialHref(href: string): boolean {
  switch (href.indexOf(':')) {
    case 2:
      return href.startsWith('ws');
    case 3:
      return href.startsWith('wss') || href.startsWith('ftp');
    case 4:
      return href.startsWith('http') || href.startsWith('file');
    case 5:
      return href.startsWith('https');
    default:
      return false;
  }
}

// Referrer strings → their serialization. A loader resolves all of one
// module's imports against the same referrer, and several modules' at once.
const REFERRER_CACHE_SIZE = 256;
const referrerHrefs = new Map<string, string>();

function referrerHref(referrer: string | URL, method: string): string {
  if (typeof referrer === 'string') {
    const cached = referrerHrefs.get(referrer);
    if (cached !== undefined) return cached;
    let href: string;
    try {
      href = new URL(referrer).href;
    } catch {
      throw new InvalidArgumentError(`${method}: the referrer must be an absolute URL, got ${JSON.stringify(referrer)}`);
    }
    if (referrerHrefs.size >= REFERRER_CACHE_SIZE) referrerHrefs.clear();
    referrerHrefs.set(referrer, href);
    return href;
  }
  if (referrer instanceof URL) return referrer.href;
  throw new InvalidArgumentError(`${method}: the referrer must be a URL or a URL string, got ${describeValue(referrer)}`);
}

function toBaseURL(value: string | URL, method: string, name: string): URL {
  if (value instanceof URL) return new URL(value.href);
  if (typeof value === 'string') {
    try {
      return new URL(value);
    } catch {
      throw new InvalidArgumentError(`${method}: ${name} must be an absolute URL, got ${JSON.stringify(value)}`);
    }
  }
  throw new InvalidArgumentError(`${method}: ${name} must be a URL or a URL string, got ${describeValue(value)}`);
}

// ---------------------------------------------------------------------------
// Helpers

/**
 * A JSON object: what JSON.parse makes of `{...}`. For values given already
 * parsed, objects of other classes (Map, Date, ...) are not JSON objects:
 * reading their own properties would silently see nothing. `path` names the
 * value should a Proxy's trap throw.
 */
function isJSONObject(value: unknown, path: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  return guarded(path, 'inspecting', () => {
    if (Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  });
}

// An own property; undefined (which JSON cannot express) counts as absent.
function member(object: Record<string, unknown>, key: string, path: readonly string[]): unknown {
  return guarded([...path, key], 'reading', () => (Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined));
}

// An import map given as an object rather than text is an API user's: a
// getter or a Proxy trap in it may throw. The three helpers below read it and
// turn such a throw into an ImportMapError naming the key (the thrown value
// is its `cause`). JSON.parse's objects never throw here.

function keysOf(object: Record<string, unknown>, path: readonly string[]): string[] {
  return guarded(path, 'listing the keys of', () => Object.keys(object));
}

function valueOf(object: Record<string, unknown>, key: string, path: readonly string[]): unknown {
  return guarded([...path, key], 'reading', () => object[key]);
}

function guarded<T>(path: readonly string[], doing: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    throw new ImportMapError(`${doing} ${path.length === 0 ? 'the top-level value' : jsonPath(path)} threw ${describeThrown(error)}`, path, { cause: error });
  }
}

/** `imports["a"]`, `scopes["/js/"]["b"]`: the notation warnings and errors use. */
function jsonPath(path: readonly string[]): string {
  return path[0] + path.slice(1).map((key) => `[${JSON.stringify(key)}]`).join('');
}

/** What a getter threw, for a message; reading a hostile thrown value may itself throw. */
function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : describeValue(error);
  } catch {
    return 'a value';
  }
}

/** How a message names the map's text: the file's path, the URL, or (for a directory base, where no file is known) "<import map>". */
function sourceName(base: URL): string {
  if (base.href.endsWith('/')) return '<import map>';
  return base.protocol === 'file:' ? fileURLToPath(base) : base.href;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) return 'an array';
  } catch {
    return 'a revoked Proxy';
  }
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'undefined':
      return 'undefined';
    case 'object': {
      let name: unknown;
      try {
        name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
      } catch {
        // A Proxy whose trap throws, or a getter on the prototype chain: describe it plainly.
      }
      return typeof name === 'string' && name ? `an object of class ${name}` : 'an object';
    }
    default:
      return `a ${typeof value}`;
  }
}

// Descending code-unit order (JS string comparison is by UTF-16 code units).
function descendingCodeUnits(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function sortedMap<V>(map: Map<string, V>): Map<string, V> {
  const sorted = new Map<string, V>();
  for (const key of [...map.keys()].sort(descendingCodeUnits)) sorted.set(key, map.get(key)!);
  return sorted;
}
