// The Registry's public option and record types (see registry.ts), apart
// from the class so that registry.ts holds the machinery.

import type { CacheOption } from './cache/index.js';
import type { EntryStatus, ModuleKind } from './loader/entry.js';
import type { LoadHook } from './loader/load.js';
import type { ImportMap } from './resolve/import-map.js';
import type { Policy, PolicyOptions } from './policy/policy.js';
import type { Attributes } from './sources/attributes.js';
import type { AnyModuleSource } from './sources/identity.js';

/** The default resolver, which a resolve hook may call. */
export type DefaultResolve = (specifier: string, referrer: string) => string;
export type ResolveHook = (specifier: string, referrer: string, defaultResolve: DefaultResolve) => string | URL;
/** Adds properties to a module's import.meta (after `url` and `resolve`). */
export type ImportMetaHook = (meta: Record<string, unknown>, url: string) => void;

export interface RegistryOptions {
  /** Where specifiers of the top-level import resolve from. Default: the working directory. */
  baseURL?: string | URL;
  /** A WICG import map (object or JSON text, resolved against `baseURL`), or one from parseImportMap(). */
  importMap?: object | string | ImportMap;
  hooks?: {
    resolve?: ResolveHook;
    load?: LoadHook;
    importMeta?: ImportMetaHook;
  };
  /**
   * Extra package.json "exports"/"imports" conditions, after Node's own
   * (`node`, `import` or `require`, `module-sync` where the running Node has
   * it, `default`), for import and require() alike.
   */
  conditions?: string[];
  /**
   * The object that is `require.cache` for this registry's CommonJS modules
   * (filename → module). Default: one of its own. `canon run` passes Node's
   * (`Module._cache`), so that `createRequire()` and the modules canon runs
   * share one cache, as in a node process.
   */
  requireCache?: Record<string, NodeJS.Module>;
  /** Called with each key as its module finishes loading (for progress reports). */
  onLoad?: (key: string) => void;
  /**
   * What import.sync may do to complete a module: 'registry-only' (default)
   * uses only what the registry already holds; 'allow-host-loading' may also
   * read file: URLs from disk synchronously.
   */
  importSync?: ImportSyncPolicy;
  /**
   * The persistent compile and analysis cache (README "Cache"): false
   * (default), true for the default directory, a directory path, or a
   * store. CANON_CACHE=0 turns it off whatever this says.
   */
  cache?: CacheOption;
  /**
   * Hot reload: modules get import.meta.hot (accept, dispose, decline,
   * data, invalidate) and registry.reload(key) replaces a module and its
   * importers up to those that accept the change. Default false (then
   * import.meta.hot is undefined, as in a production build).
   */
  hot?: boolean;
  /**
   * Makes this registry a compartment of `parent` (also registry.compartment()):
   * it takes the parent's baseURL, import map, conditions, hooks, importSync
   * policy, cache and hot setting, except where these options give their own.
   * Its canonical instances are its own.
   */
  parent?: import('./registry.js').Registry;
  /**
   * The realm the registry's modules evaluate in: a vm.Context
   * (vm.createContext()) with its own globals and intrinsics; default Node's
   * own. Its sources are that realm's ModuleSources and WebAssembly.Modules
   * (canon defines `ModuleSource` on the context's global). A compartment
   * takes its parent's. README "Realms".
   */
  context?: import('node:vm').Context;
  /**
   * What import(source) does with a source made in another realm: 'reject'
   * (default), a TypeError as the ESM phase imports proposal specifies, or
   * 'copy', importing a copy of it made for this registry's realm (same key
   * and content, one copy per source).
   */
  crossRealmSources?: 'reject' | 'copy';
  /**
   * Milliseconds one module's asynchronous load (a load hook, a data: URL)
   * may take: past it the import rejects with a ModuleLoadTimeoutError and
   * the entry is dropped, so a later import loads afresh. Default: no limit.
   */
  loadTimeout?: number;
  /**
   * The policy (README "Policy"): which URLs, schemes and builtins may load,
   * whether eval-ish sources may enter, which sources may be transferred and
   * which modules instantiated. A refusal is a PolicyError and leaves the
   * registry unchanged. Default: none (everything passes).
   */
  policy?: Policy | PolicyOptions;
}

export type ImportSyncPolicy = 'registry-only' | 'allow-host-loading';

export interface ImportOptions {
  /** The module the specifier is resolved from (URL). Default: the registry's baseURL. */
  referrer?: string | URL;
  /** Import attributes (`with`). Not allowed with a source. */
  with?: Record<string, string>;
  /** 'source' returns the module source without linking or evaluating it. */
  phase?: 'source' | 'evaluation';
  /**
   * Gives up the import when it aborts: the import rejects with the signal's
   * reason, and the modules it was still waiting to load are dropped from the
   * registry (a later import loads them afresh). Code already running is not
   * stopped.
   */
  signal?: AbortSignal;
}

export interface LoadGraphOptions extends Omit<ImportOptions, 'phase'> {
  /**
   * Keep going past modules that fail to resolve, load or compile: each is
   * pushed here and the rest of the graph is still loaded (for tools that
   * list every problem at once). Without it, the first failure throws.
   */
  failures?: GraphFailure[];
}

/** What entries() and get() report about an entry. */
export interface EntryRecord {
  key: string;
  attributes: Attributes;
  kind: ModuleKind | undefined;
  /** The module source (JS ModuleSource or WebAssembly.Module); undefined for JSON and builtins. */
  source: AnyModuleSource | undefined;
  /** XXH3-128 of the loaded content (source text, Wasm bytes or JSON text); undefined before loading and for builtins. */
  hash: bigint | undefined;
  status: EntryStatus;
  /** Whether importing the key by URL gives this entry. */
  canonical: boolean;
  /** The namespace, once the module is linked. */
  namespace?: object;
  /** Why the entry failed, if it did. */
  error?: unknown;
}

/** A module of a graph that could not be resolved, loaded or compiled (loadGraph's `failures`). */
export interface GraphFailure {
  /** The request as written, and the module that made it (absent for the root). */
  specifier: string | undefined;
  referrer: string | undefined;
  /** The resolved URL, when resolution succeeded. */
  url: string | undefined;
  error: unknown;
}

