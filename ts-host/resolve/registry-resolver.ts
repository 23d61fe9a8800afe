// A registry's resolution: the resolve hook, else the fast path for plain
// relative specifiers, the import map and Node's resolvers, with real paths
// for symlinks; and the Wasm resolution cache in front of it for requests
// of the registry's own modules, keyed by (base, specifier, kind) where the
// base is the referrer's directory when nothing makes resolutions depend on
// the referrer itself (no import map, no resolve hook).

import type { Entry } from '../loader/entry.js';
import { baseOf } from '../loader/entry.js';
import { builtinURL } from '../loader/load.js';
import { ResolutionCache } from '../loader/resolution-cache.js';
import { engineTables } from '../loader/tables.js';
import { mark, spent } from '../profile.js';
import type { DefaultResolve, ResolveHook } from '../registry-types.js';
import { ModuleResolutionError, resolveSpecifierHref, type ImportMap } from './import-map.js';
import { NodeResolution, type ResolveKind } from './node-resolve.js';
import { RealPaths } from './real-path.js';
import { resolveRelativeFast } from './relative.js';
import { runResolveHook } from './resolve-hook.js';

export class RegistryResolver {
  /** The last resolution-cache miss: its key id and URL (the caller usually needs the URL at once). */
  readonly lastResolved = { keyId: -1, url: '' };
  /** This registry's rows of the Wasm resolution cache, forgotten with what they point at (delete, clearResolutions). */
  readonly cache: ResolutionCache;
  /** Node's ESM and CommonJS resolvers, for what the import map does not answer. */
  readonly node: NodeResolution;
  /** No import map and no resolve hook: resolutions depend on the referrer's directory only (base()). */
  readonly #shared: boolean;
  /** Real paths of resolved files (symlinks resolved, as Node does), a directory listed once. */
  readonly realPaths = new RealPaths();

  constructor(registryId: number, readonly importMap: ImportMap | undefined, readonly hook: ResolveHook | undefined, conditions: readonly string[]) {
    this.cache = new ResolutionCache(registryId);
    this.node = new NodeResolution([...conditions]);
    this.#shared = importMap === undefined && !hook;
  }

  /**
   * Forgets what this run's file system checks said (real paths, the stat
   * results kept resolutions were checked against): the files may have
   * changed since (a reload, clearResolutions).
   */
  forgetFileSystem(): void {
    this.realPaths.clear();
    this.node.forgetChecks();
  }

  /** Resolves without the cache: the resolve hook, else the fast path, the import map and Node's resolution. */
  uncached(specifier: string, from: string, kind: ResolveKind): string {
    const defaultResolve = kind === 'require' ? this.#defaultResolveRequire : this.#defaultResolve;
    if (!this.hook) {
      // Without an import map, a plain relative specifier needs no URL parsing.
      const fast = this.importMap === undefined && kind === 'import' ? resolveRelativeFast(specifier, from) : undefined;
      return fast !== undefined ? this.realPaths.fileURL(fast) : defaultResolve(specifier, from);
    }
    return runResolveHook(this.hook, specifier, from, defaultResolve);
  }

  /** Import map, then URL-like specifiers, then Node builtins and Node's ESM resolution for a bare specifier nothing maps. */
  readonly #defaultResolve: DefaultResolve = (specifier, referrer) => {
    try {
      return this.realPaths.fileURL(resolveSpecifierHref(specifier, referrer, this.importMap));
    } catch (error) {
      if (!(error instanceof ModuleResolutionError) || error.reason !== 'unmapped') throw error;
      return builtinURL(specifier) ?? this.node.resolveImport(specifier, referrer);
    }
  };

  /** Node's CommonJS resolution (no import map: require() never had one). */
  readonly #defaultResolveRequire: DefaultResolve = (specifier, referrer) => this.node.resolveRequire(specifier, referrer);

  /**
   * What a resolution from `referrer` depends on, as an interned id: the
   * resolution cache's key next to the specifier. With neither import map
   * nor resolve hook, a specifier resolves the same from every module of one
   * directory (a relative one against that directory; a bare or absolute one
   * regardless), so modules of a file: directory share their resolutions;
   * otherwise (scopes match whole referrer URLs) each referrer has its own.
   */
  base(referrer: Entry): number {
    if (referrer.resolutionBaseId < 0) {
      const base = baseOf(referrer);
      referrer.resolutionBaseId = this.#shared && base.startsWith('file:') && !base.includes('?') && !base.includes('#')
        ? this.#directoryId(base.slice(0, base.lastIndexOf('/') + 1))
        : referrer.keyId;
    }
    return referrer.resolutionBaseId;
  }

  /** The last directory interned as a base: a package's modules come one directory at a time (keys are never freed). */
  readonly #lastDirectory = { href: '', id: -1 };

  #directoryId(href: string): number {
    const last = this.#lastDirectory;
    if (last.href !== href) {
      last.id = engineTables().keys.intern(href);
      last.href = href;
    }
    return last.id;
  }

  /** The key id a request resolves to, through the Wasm resolution cache (its last word: 0 import, 1 require). */
  resolveId(specifier: string, specifierId: number, referrer: Entry, kind: ResolveKind = 'import'): number {
    const baseId = this.base(referrer);
    const word = kind === 'import' ? 0 : 1;
    const cached = this.cache.get(baseId, specifierId, word);
    if (cached >= 0) return cached;
    const start = mark();
    const url = this.uncached(specifier, baseOf(referrer), kind);
    const keyId = engineTables().keys.intern(url);
    this.cache.set(baseId, specifierId, word, keyId);
    this.lastResolved.keyId = keyId;
    this.lastResolved.url = url;
    spent('resolve', start);
    return keyId;
  }
}
