// Registry: one module map (a realm's, a compartment's). Several registries
// live side by side, each with its own canonical instances; sources cross
// registries, instances never do. Lookups go through the Wasm tables
// (loader/tables.ts): a resolved key, its attributes and the source's content
// id are integers, and only a resolution-cache miss builds URLs in JS.

import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type vm from 'node:vm';
import { ImportSyncError, ModuleLoadTimeoutError, ModuleNotFoundError, PolicyError, RequireError, completeSite, shorten, withSiteFields, type ErrorSite, type Phase } from './errors.js';
import { abortable, timeoutOption, withTimeout } from './loader/cancel.js';
import { policyOption, type Policy } from './policy/index.js';
import { transferIn, transferOut } from './policy/transfer.js';
import { noSourcePhase, walkGraph, type SyncWalk, type WalkHost, type WalkWaits } from './loader/walk.js';
import { baseOf, detachedEntry, forEachDependency, graphLoaded, newEntry, statusOf, type Entry } from './loader/entry.js';
import { resolveCacheOption } from './cache/index.js';
import { persistedResolutions } from './cache/resolution-record.js';
import { entryOfModule, instantiate } from './loader/instantiate.js';
import { asyncDependencies, deferFacade, deferredNamespace } from './loader/defer.js';
import { evaluateSync, failedBelowEvaluated } from './loader/evaluate.js';
import { firstOf, settled, settledWith } from './loader/promises.js';
import { canLinkSync, evaluationFailures, linkGraph, linkGraphSync } from './loader/link.js';
import { mark, profile, recorded, spentOwn } from './profile.js';
import { fromSource, loadURL, loadURLSync, NO_ATTRIBUTES, type LoadEnv, type Loaded } from './loader/load.js';
import { commonjsFacade, requestedNames } from './loader/commonjs.js';
import { createRequireFor, requireURL, runCommonJS, type RequireHost } from './loader/require.js';
import { HotModules, type ReloadResult } from './hot/hot-modules.js';
import { hookError, ModuleInstance, type ModuleInstanceOptions } from './instances/module-instance.js';
import { ImportHookAnswers, type ImportHookTargets } from './instances/import-hook.js';
import type { ResolveKind } from './resolve/node-resolve.js';
import { PackageTypes } from './resolve/package-type.js';
import { hrefToPath, pathToHref } from './resolve/file-url.js';
import { releaseIfUnheld, releaseSourceId, retainSourceId, sourceIdOf, textIdOf } from './loader/source-table.js';
import { engineTables } from './loader/tables.js';
import { RegistryResolver } from './resolve/registry-resolver.js';
import { SourceTokens } from './loader/source-tokens.js';
import { initializeImportMeta, type ImportMetaHost } from './loader/import-meta.js';
import { runScript, rejectOnThrow, specifierString, type PhaseHost, type ScriptHost } from './loader/script.js';
import { isImportMap, parseImportMap, type ImportMap } from './resolve/import-map.js';
import { attributesKey, normalizeAttributes, type Attributes } from './sources/attributes.js';
import { isModuleSource, isWasmModule } from './sources/brand.js';
import { isSerializedSource, type SerializedSource } from './sources/clone.js';
import { sourceInfo, type AnyModuleSource } from './sources/identity.js';
import { mainRealm, realmOf, type Realm } from './realms/realm.js';
import { crossRealmOption, sourceForRealm, type CrossRealmSources } from './realms/cross-realm.js';

let nextRegistryId = 1;

import type {
  DefaultResolve, EntryRecord, GraphFailure, ImportMetaHook, ImportOptions, ImportSyncPolicy, LoadGraphOptions, RegistryOptions, ResolveHook,
} from './registry-types.js';

export type {
  DefaultResolve, EntryRecord, GraphFailure, ImportMetaHook, ImportOptions, ImportSyncPolicy, LoadGraphOptions, RegistryOptions, ResolveHook,
};

const SETTLED: Promise<void> = Promise.resolve();
/** Source id placeholder while an entry's source is still loading. */
const PENDING = 0x7fff_fffe;


/** A request's site with the URL it resolved to (a plain literal: this runs once per module loaded). */
function siteAt(site: ErrorSite, url: string): ErrorSite {
  return { specifier: site.specifier, referrer: site.referrer, url, phase: site.phase, line: site.line, column: site.column };
}

/** A main module that is not there: Node's error for `node missing.js` (its CommonJS loader finds the main). */
function mainNotFound(url: string, specifier: string, referrer: string): never {
  const path = hrefToPath(url);
  const error = new ModuleNotFoundError(`Cannot find module '${path}'`, { specifier, referrer, url, phase: 'evaluation' });
  Object.defineProperty(error, 'code', { value: 'MODULE_NOT_FOUND' });
  Object.defineProperty(error, 'requireStack', { value: [], enumerable: true });
  throw error;
}

export class Registry {
  /** This registry's id in the shared Wasm tables. */
  readonly id: number;
  readonly baseURL: string;
  readonly importMap: ImportMap | undefined;
  /** The extra package.json conditions (options.conditions). */
  readonly conditions: readonly string[];
  /** The registry this one is a compartment of (options.parent), if any. */
  readonly parent: Registry | undefined;
  /** The vm context its modules evaluate in (options.context); undefined for Node's own realm. */
  readonly context: vm.Context | undefined;
  /** That realm (realms/realm.ts): what every module record, source and CommonJS function of this registry is made in. */
  readonly #realm: Realm;
  /** options.crossRealmSources: what import(source) does with another realm's source. */
  readonly #crossRealm: CrossRealmSources;
  /** The policy every load, eval-ish source, transfer and instantiation is checked against (README "Policy"); undefined: everything passes. */
  readonly policy: Policy | undefined;
  readonly #hooks: NonNullable<RegistryOptions['hooks']>;
  readonly #entries: (Entry | undefined)[] = [];
  readonly #linkQueue = { tail: Promise.resolve() as Promise<unknown> };
  readonly #noAttributesId: number;
  readonly #onLoad: ((key: string) => void) | undefined;
  readonly #syncPolicy: ImportSyncPolicy;
  /** What loads read: the format of file: URLs (#formats) and the persistent cache, if any. */
  readonly #loadEnv: LoadEnv;
  /** Resolution: the hook, the import map, Node's resolvers, and the Wasm resolution cache in front (resolve/registry-resolver.ts). */
  readonly #resolver: RegistryResolver;
  /** The format of file: URLs (package.json "type" lookups, cached by directory). */
  readonly #formats = new PackageTypes();
  /** What CommonJS modules of this registry reach through require (loader/require.ts). */
  readonly #commonjs: RequireHost;
  /** The program's main module (runMain), for import.meta.main. */
  #mainKey: string | undefined;
  /** The entries of this registry's non-canonical instances (instances/module-instance.ts). */
  readonly #instances = new WeakMap<ModuleInstance, Entry>();
  /** What each instance's importHook answered, by request (specifier and attributes): asked once each. */
  readonly #hookAnswers = new ImportHookAnswers();
  /** Hot reload (options.hot): import.meta.hot and reload(). */
  readonly #hot: HotModules | undefined;
  /** Source objects passed to import() in a module, by the one-time token the engine carries as the specifier. */
  readonly #sourceTokens: SourceTokens;
  /** How many entries were dropped (deleted) so far: a walk that saw none needs no completeness check. */
  #drops = 0;
  /** What module code threw (evaluation): passed on as it is, never given the import's site. */
  readonly #thrownByCode = new WeakSet<object>();
  /** RegistryOptions.loadTimeout. */
  readonly #loadTimeout: number | undefined;

  constructor(options: RegistryOptions = {}) {
    // A compartment: the parent's resolution rules, hooks and cache, where options do not say otherwise.
    if (options.parent) options = { ...options.parent.#inheritable(), ...options };
    this.parent = options.parent;
    this.#realm = realmOf(options.context);
    this.context = options.context;
    this.#crossRealm = crossRealmOption(options.crossRealmSources);
    this.id = nextRegistryId++;
    this.#sourceTokens = new SourceTokens(this.id);
    this.#loadTimeout = timeoutOption(options.loadTimeout, 'Registry: loadTimeout');
    this.policy = policyOption(options.policy);
    this.baseURL = new URL(String(options.baseURL ?? pathToFileURL(process.cwd() + '/'))).href;
    this.importMap = options.importMap === undefined ? undefined
      : isImportMap(options.importMap) ? options.importMap : parseImportMap(options.importMap, this.baseURL);
    this.#hooks = options.hooks ?? {};
    this.conditions = Object.freeze([...(options.conditions ?? [])]);
    this.#onLoad = options.onLoad;
    this.#syncPolicy = options.importSync ?? 'registry-only';
    if (this.#syncPolicy !== 'registry-only' && this.#syncPolicy !== 'allow-host-loading') {
      throw new TypeError(`Registry: importSync must be 'registry-only' or 'allow-host-loading', got ${String(this.#syncPolicy)}`);
    }
    this.#noAttributesId = engineTables().keys.intern('');
    this.#resolver = new RegistryResolver(this.id, this.importMap, this.#hooks.resolve, options.conditions ?? []);
    this.#commonjs = this.#requireHost(options.requireCache ?? (Object.create(null) as Record<string, NodeJS.Module>));
    this.#loadEnv = { formats: this.#formats, cache: resolveCacheOption(options.cache), realm: this.#realm };
    const cache = this.#loadEnv.cache;
    // Node's answers kept across runs: one record per program (its main module, once runMain named it), base and conditions.
    if (cache) this.#resolver.node.persisted = () => persistedResolutions(cache, `${this.#mainKey ?? ''}\n${this.baseURL}\n${this.conditions.join('\n')}`);
    this.#hot = options.hot ? new HotModules() : undefined;
    this.#importMetaHost.hook = this.#hooks.importMeta;
    if (this.#hot) {
      const hot = this.#hot;
      this.#importMetaHost.hotContext = (entry, base) => hot.contextFor(entry.key, entry.attributes, (specifier) => this.resolve(specifier, base), () => void hot.reload(this, entry.key, entry.attributes, true));
    }
  }

  // ---- resolution ---------------------------------------------------------

  /**
   * Resolves a specifier against a referrer URL (default: the baseURL): as
   * import does (the import map, then URLs, builtins and Node's ESM
   * resolution), or with `kind: 'require'` as require() does (Node's
   * CommonJS resolution). The resolve hook, if any, decides first.
   */
  resolve(specifier: string, referrer: string | URL = this.baseURL, options?: { kind?: ResolveKind }): string {
    const from = String(referrer);
    const kind = options?.kind ?? 'import';
    try {
      // From a module of this registry, what its imports use: the resolution cache (so this agrees with import).
      const entry = this.#canonicalEntry(from);
      const specifierId = entry ? engineTables().keys.lookup(specifier) : -1;
      if (entry && specifierId >= 0) return this.#urlOf(this.#resolver.resolveId(specifier, specifierId, entry, kind));
      return this.#resolver.uncached(specifier, from, kind);
    } catch (error) {
      throw withSiteFields(error, { specifier, referrer: from });
    }
  }

  /** A resolved key id's URL: just built by a resolution-cache miss, the key of its entry, or read back from the interner. */
  #urlOf(keyId: number): string {
    return keyId === this.#resolver.lastResolved.keyId ? this.#resolver.lastResolved.url : this.#keyOf(keyId) ?? engineTables().keys.string(keyId)!;
  }

  /**
   * Forgets cached resolutions (all of this registry's, or those whose
   * resolved URL or referrer starts with `prefix`): the next import asks the
   * import map, the resolve hook and the file system again. delete() already
   * forgets those pointing at, or made from, what it deletes. Returns how
   * many were forgotten.
   */
  clearResolutions(prefix?: string | URL): number {
    this.#resolver.forgetFileSystem();
    return this.#resolver.cache.clear(prefix === undefined ? undefined : String(prefix));
  }

  // ---- entries ------------------------------------------------------------

  #newEntry(key: string, keyId: number, attributes: Attributes, attributesId: number, canonical: boolean): Entry {
    const entry = newEntry(this.#entries.length, key, keyId, attributes, attributesId, canonical, this.#realm);
    this.#entries.push(entry);
    return entry;
  }

  /** The canonical entry of (key, attributes), creating a pending one if there is none. */
  #entryForKey(keyId: number, attributes: Attributes, attributesId: number, key?: string, site?: ErrorSite): Entry {
    const tables = engineTables().registry;
    const sourceId = tables.getCanonical(this.id, keyId, attributesId);
    if (sourceId >= 0) return this.#entries[tables.getEntry(this.id, keyId, attributesId, sourceId)]!;
    // The URL was usually just built by a resolution-cache miss: no need to read it back from Wasm.
    key ??= keyId === this.#resolver.lastResolved.keyId ? this.#resolver.lastResolved.url : engineTables().keys.string(keyId)!;
    // Gate "load": checked before the entry exists, so a refusal leaves the registry as it was.
    this.policy?.checkLoad(key, { ...site, url: key });
    const entry = this.#newEntry(key, keyId, attributes, attributesId, true);
    tables.setCanonical(this.id, keyId, attributesId, PENDING);
    tables.setEntry(this.id, keyId, attributesId, PENDING, entry.id);
    return entry;
  }

  /** The key of the canonical entry of a key id without attributes, if there is one (no string read back from Wasm). */
  #keyOf(keyId: number): string | undefined {
    const tables = engineTables().registry;
    const sourceId = tables.getCanonical(this.id, keyId, this.#noAttributesId);
    if (sourceId < 0) return undefined;
    const entryId = tables.getEntry(this.id, keyId, this.#noAttributesId, sourceId);
    return entryId < 0 ? undefined : this.#entries[entryId]?.key;
  }

  /** The interned id of attributes' canonical text ("" for none, interned once per registry). */
  #attributesId(attributesText: string): number {
    return attributesText === '' ? this.#noAttributesId : engineTables().keys.intern(attributesText);
  }

  /** The canonical entry of a resolved URL and attributes (created pending if new). */
  #entryForURL(url: string, attributes: Attributes): Entry {
    return this.#entryForKey(engineTables().keys.intern(url), attributes, this.#attributesId(attributesKey(attributes)), url);
  }

  /**
   * An entry holds its source id while it is in the registry (#entries);
   * delete() lets go. The only place an entry's sourceId is set, so
   * `sourceId >= 0` means the entry holds it and its table row uses it. (A registry that is dropped keeps its ids: Node's vm
   * never frees module records that have import callbacks, so neither the
   * registry nor its modules are ever collected; delete what you reload.)
   */
  #hold(entry: Entry, sourceId: number): void {
    retainSourceId(sourceId);
    entry.sourceId = sourceId;
  }

  #letGo(entry: Entry): void {
    if (entry.sourceId >= 0) releaseSourceId(entry.sourceId);
  }

  /** Records a loaded entry's source id in the tables (replacing the pending placeholder). */
  #settleSource(entry: Entry, sourceId: number): void {
    const tables = engineTables().registry;
    // Deleted while it was loading: its load finishes, but it stays out of the tables.
    if (entry.canonical && !entry.deleted) {
      tables.deleteEntry(this.id, entry.keyId, entry.attributesId, PENDING);
      tables.setCanonical(this.id, entry.keyId, entry.attributesId, sourceId);
      tables.setEntry(this.id, entry.keyId, entry.attributesId, sourceId, entry.id);
    }
  }

  /**
   * The entry for a source object: the canonical instance when its content
   * equals the canonical source of its key, otherwise the instance for this
   * (key, source) pair, created if needed.
   */
  async #entryForSource(source: AnyModuleSource): Promise<Entry> {
    const info = sourceInfo(source);
    const keys = engineTables().keys;
    const keyId = keys.intern(info.key);
    const attributesId = keys.intern(attributesKey(info.attributes));
    const tables = engineTables().registry;
    let canonicalSource = tables.getCanonical(this.id, keyId, attributesId);
    if (canonicalSource === PENDING) {
      const pending = this.#entries[tables.getEntry(this.id, keyId, attributesId, PENDING)]!;
      await settled(pending.loading);
      canonicalSource = tables.getCanonical(this.id, keyId, attributesId);
    }
    return this.#entryForSourceNow(source, info, keyId, attributesId, canonicalSource);
  }

  /** #entryForSource once the key is not loading: the entry for (key, source), created (and loaded from the source) if new. */
  #entryForSourceNow(source: AnyModuleSource, info: ReturnType<typeof sourceInfo>, keyId: number, attributesId: number, canonicalSource: number): Entry {
    const tables = engineTables().registry;
    // Held by the new entry at once (source-table.ts counts holders).
    const sourceId = sourceIdOf(source, info.hash);
    const existing = tables.getEntry(this.id, keyId, attributesId, sourceId);
    if (existing >= 0) return this.#entries[existing]!;
    if (this.policy) {
      this.policy.checkCreate(info.key, { url: info.key });
      this.policy.checkInstantiate(info.key, isWasmModule(source) ? 'wasm' : 'js', { url: info.key });
    }
    const entry = this.#newEntry(info.key, keyId, info.attributes, attributesId, canonicalSource < 0);
    this.#hold(entry, sourceId);
    entry.status = 'loading';
    entry.loading = Promise.resolve();
    try {
      this.#finishLoad(entry, fromSource(source), {});
    } catch (error) {
      entry.status = 'errored';
      entry.error = error;
    }
    if (entry.canonical) tables.setCanonical(this.id, keyId, attributesId, sourceId);
    tables.setEntry(this.id, keyId, attributesId, sourceId, entry.id);
    if (entry.status === 'errored') throw entry.error;
    return entry;
  }

  // ---- load ---------------------------------------------------------------

  #finishLoad(entry: Entry, loaded: Loaded, site: ErrorSite, compile = true): void {
    // A hook's answer made from text is an eval-ish source entering the registry (gate "create").
    if (this.policy && loaded.source && !isWasmModule(loaded.source)) this.policy.checkCreate(sourceInfo(loaded.source).key, siteAt(site, entry.key));
    entry.loaded = loaded;
    // A CommonJS record is made when an ES module links to it (#compile), with the names its importers ask for.
    if (compile && loaded.kind !== 'cjs') {
      this.policy?.checkInstantiate(entry.key, loaded.kind, siteAt(site, entry.key));
      entry.module = instantiate(entry, loaded, this.#instantiateHooks, site);
    }
    entry.status = 'loaded';
  }

  /** A failed load or compile: the entry is errored and keeps its error; a policy refusal takes it out of the registry instead. */
  #failed(entry: Entry, error: unknown): void {
    entry.status = 'errored';
    entry.error = error;
    if (error instanceof PolicyError) this.#drop(entry);
  }

  /** Records a successful load: the module record, the source id, the tables. */
  #loadedInto(entry: Entry, loaded: Loaded, site: ErrorSite, compile = true): void {
    // A record that does not compile fails the load: the entry keeps no source id (its table row stays PENDING).
    this.#finishLoad(entry, loaded, site, compile);
    const sourceId = loaded.source ? sourceIdOf(loaded.source, loaded.hash) : textIdOf(loaded.text ?? entry.key, loaded.hash);
    // Deleted while it was loading: no entry of the registry holds it.
    if (entry.deleted) releaseIfUnheld(sourceId);
    else this.#hold(entry, sourceId);
    this.#settleSource(entry, sourceId);
    this.#onLoad?.(entry.key);
  }

  /**
   * Loads one entry synchronously when it can be (a file: URL and no load
   * hook); a failure errors the entry. Returns whether it was loaded (or failed).
   */
  #loadSync(entry: Entry, site: ErrorSite, compile = true): boolean {
    if (entry.status !== 'new' || this.#hooks.load || !(entry.key.startsWith('file:') || entry.key.startsWith('node:'))) return false;
    entry.loading = SETTLED;
    try {
      this.#loadedInto(entry, loadURLSync(entry.key, entry.attributes, undefined, siteAt(site, entry.key), this.#loadEnv)!, site, compile);
    } catch (error) {
      this.#failed(entry, error);
    }
    return true;
  }

  /** Loads one entry (not its dependencies); a failure errors the entry. */
  #load(entry: Entry, site: ErrorSite): Promise<void> {
    if (entry.loading) return entry.loading;
    if (this.#loadSync(entry, site)) return entry.status === 'errored' ? Promise.reject(entry.error) : SETTLED;
    entry.status = 'loading';
    entry.loading = (async () => {
      const at = siteAt(site, entry.key);
      try {
        const loading = loadURL(entry.key, entry.attributes, this.#hooks.load, at, this.#loadEnv);
        const timeout = this.#loadTimeout;
        this.#loadedInto(entry, await withTimeout(loading, timeout, () => new ModuleLoadTimeoutError(`Loading ${shorten(entry.key)} took longer than ${timeout} ms`, { ...at, timeout: timeout! })), site);
      } catch (error) {
        this.#failed(entry, error);
        // A timed-out load is not the module's fault: the entry goes, and a later import tries again.
        if (error instanceof ModuleLoadTimeoutError) this.#drop(entry);
        throw error;
      }
    })();
    return entry.loading;
  }

  /** Waits for an entry's load (not its module record); rethrows its error if it failed. */
  async #loaded(entry: Entry, site: ErrorSite): Promise<void> {
    if (entry.status === 'errored') throw entry.error;
    await this.#load(entry, site);
  }

  /** The dependency entry for request `index` of `entry`, resolved and cached. */
  #dependency(entry: Entry, index: number): Entry {
    const loaded = entry.loaded!;
    const request = loaded.requests[index]!;
    const known = entry.dependencies?.[index];
    if (known && !known.deleted) return known;
    let dep: Entry;
    if (entry.importHook) {
      dep = this.#hookedDependency(entry, request.specifier, request.attributes);
    } else {
      let keyId: number;
      try {
        keyId = this.#resolver.resolveId(request.specifier, loaded.specifierIds[index]!, entry);
      } catch (error) {
        throw withSiteFields(error, { specifier: request.specifier, referrer: entry.key });
      }
      dep = this.#entryForKey(keyId, request.attributes, this.#attributesId(attributesKey(request.attributes)), undefined, this.policy && { specifier: request.specifier, referrer: entry.key });
    }
    (entry.dependencies ??= new Array(loaded.requests.length))[index] = dep;
    return dep;
  }

  /** What the graph walk (loader/walk.ts) asks of the registry. */
  readonly #walkHost: WalkHost = {
    loadSync: (entry, site, compile) => this.#loadSync(entry, site, compile),
    load: (entry, site) => this.#load(entry, site),
    dependency: (entry, index) => this.#dependency(entry, index),
    compile: (pending, failures) => this.#compile(pending, failures),
    drop: (entry) => this.#drop(entry),
  };

  /** Walks the graph below `root` (loader/walk.ts), waiting for asynchronous loads; returns the deferred entries. */
  async #loadGraph(root: Entry, phase: Phase, rootSite: ErrorSite = { phase }, failures?: GraphFailure[], signal?: AbortSignal): Promise<Entry[]> {
    const waiting: WalkWaits = new Map();
    const walk = walkGraph(this.#walkHost, root, phase, rootSite, undefined, failures, waiting);
    let step = walk.next();
    try {
      while (!step.done) step = walk.next(await abortable(step.value, signal));
    } catch (error) {
      if (!signal?.aborted || error !== signal.reason) throw error;
      // Given up: what this import still waited for leaves the registry, so nothing later waits on it.
      for (const entry of waiting.keys()) if (entry.status === 'loading') this.#drop(entry);
      throw error;
    }
    return step.value.deferred;
  }

  /** Compiles module records in walk order; the first that fails errors its entry and throws. */
  #compile(pending: { entry: Entry; site: ErrorSite }[], failures?: GraphFailure[]): void {
    let names: ReturnType<typeof requestedNames> | undefined;
    for (let i = 0; i < pending.length; i++) {
      const { entry, site } = pending[i]!;
      if (entry.module || entry.status !== 'loaded') continue;
      try {
        this.policy?.checkInstantiate(entry.key, entry.loaded!.kind, siteAt(site, entry.key));
        if (entry.loaded!.kind === 'cjs') {
          names ??= requestedNames(pending.map((p) => p.entry));
          entry.module = commonjsFacade(entry, names.get(entry) ?? [], () => runCommonJS(entry, this.#commonjs), this.#reexportPath);
          continue;
        }
        entry.module = instantiate(entry, entry.loaded!, this.#instantiateHooks, site);
      } catch (error) {
        this.#failed(entry, error);
        if (!failures) throw error;
        failures.push({ specifier: site.specifier, referrer: site.referrer, url: entry.key, error });
      }
    }
  }

  // ---- instantiate hooks --------------------------------------------------

  /** What import.meta of this registry's modules reaches (loader/import-meta.ts). */
  readonly #importMetaHost: ImportMetaHost = {
    resolve: (specifier, base) => this.resolve(specifier, base),
    phaseHost: (base) => this.#phaseHost(base),
    mainKey: () => this.#mainKey,
    hotContext: undefined,
    hook: undefined,
  };

  readonly #instantiateHooks = {
    initializeImportMeta: (meta: ImportMeta, entry: Entry) => initializeImportMeta(meta, entry, this.#importMetaHost),
    importModuleDynamically: async (specifier: string, entry: Entry, attributes: Record<string, string>): Promise<vm.Module> => {
      const source = this.#sourceForToken(specifier, attributes);
      if (source !== undefined) {
        const sourceEntry = await this.#entryForSource(source);
        await this.#complete(sourceEntry, 'evaluation', { url: sourceEntry.key, referrer: entry.key, phase: 'evaluation' });
        return sourceEntry.module!;
      }
      const target = await this.#entryForRequest(specifier, entry, normalizeAttributes(attributes));
      await this.#complete(target, 'evaluation', { specifier, referrer: entry.key, phase: 'evaluation' });
      return target.module!;
    },
  };

  /** What lowered phase syntax calls (loader/lower.ts), for code whose relative specifiers resolve from `base`. */
  #phaseHost(base: string): PhaseHost {
    const withOption = (options?: { with?: Record<string, string> }) => (options?.with !== undefined ? { with: options.with } : {});
    return {
      canonImportSource: (specifier, options) => rejectOnThrow(() => this.import(specifierString(specifier), { referrer: base, phase: 'source', ...withOption(options) })),
      canonSpecifier: (specifier) => this.#sourceTokens.tokenFor(specifier),
      canonImportDefer: (specifier, options) => rejectOnThrow(() => this.#importDefer(specifierString(specifier), base, normalizeAttributes(options?.with, 'import.defer options "with"'))),
      canonImportSync: (specifier, options) => this.importSync(String(specifier), { referrer: base, ...withOption(options) }),
    };
  }

  /**
   * Runs a classic script in this realm, as a `<script>` or `vm.Script` runs:
   * its import() calls (and import.source(), import.defer(), import.sync())
   * go through this registry, resolving from `url` (default: the baseURL).
   * Returns the script's completion value.
   */
  runScript(text: string, options: { url?: string | URL } = {}): unknown {
    const url = options.url === undefined ? this.baseURL : new URL(String(options.url)).href;
    return runScript(text, url, this.id, this.#scriptHost, this.context);
  }

  /** What a classic script reaches (loader/script.ts): the phase host, and import() resolved from the script's URL. */
  readonly #scriptHost: ScriptHost = {
    phaseHost: (base) => this.#phaseHost(base),
    importFrom: async (specifier, referrer, attributes) => {
      const source = this.#sourceForToken(specifier, attributes);
      const url = source ? undefined : this.resolve(specifier, referrer);
      const entry = source ? await this.#entryForSource(source) : this.#entryForURL(url!, normalizeAttributes(attributes));
      await this.#complete(entry, 'evaluation', source ? { url: entry.key, referrer, phase: 'evaluation' } : { specifier, referrer, url, phase: 'evaluation' });
      return entry.module!;
    },
  };

  /** The source object a one-time import() token stands for (loader/source-tokens.ts), if it is one. */
  #sourceForToken(specifier: string, attributes: Record<string, string>): AnyModuleSource | undefined {
    const source = this.#sourceTokens.take(specifier, attributes);
    // The importing code is this registry's realm's: a refusal is that realm's TypeError.
    return source && sourceForRealm(source, this.#realm, this.#crossRealm, this.#realm, 'import(source)');
  }

  async #entryForRequest(specifier: string, referrer: Entry, attributes: Attributes): Promise<Entry> {
    if (referrer.importHook) return this.#hookedDependency(referrer, specifier, attributes);
    const keyId = this.#resolver.resolveId(specifier, engineTables().keys.intern(specifier), referrer);
    return this.#entryForKey(keyId, attributes, this.#attributesId(attributesKey(attributes)));
  }

  // ---- the pipeline -------------------------------------------------------

  /** Load the graph and link it (and the modules it defers). */
  async #loadAndLink(entry: Entry, phase: Phase, site: ErrorSite, signal?: AbortSignal): Promise<void> {
    const drops = this.#drops;
    let deferred = await this.#loadGraph(entry, phase, site, undefined, signal);
    // An entry of this graph was deleted (or dropped by another import's abort) while it loaded: another
    // import may have re-resolved a request to a new entry not loaded yet. Walk again until the graph is whole.
    for (let again = 0; this.#drops !== drops && again < 100 && entry.status !== 'errored' && !graphLoaded(entry); again++) {
      deferred = await this.#loadGraph(entry, phase, site, undefined, signal);
    }
    if (entry.status === 'errored') throw entry.error;
    signal?.throwIfAborted();
    for (const target of deferred) this.#prepareDeferred(target);
    await linkGraph(entry, this.#linkQueue);
    // Deferred modules are linked now too, though nothing in the graph links to them directly.
    for (const target of deferred) await linkGraph(target, this.#linkQueue);
  }

  async #complete(entry: Entry, phase: Phase, site: ErrorSite = { phase }, signal?: AbortSignal): Promise<void> {
    await this.#loadAndLink(entry, phase, site, signal);
    const module = entry.module!;
    // A module still on the evaluation stack (a cycle importing back into
    // itself) is not evaluated again; its namespace is what the spec gives.
    if (module.status === 'evaluating') return;
    const failed = failedBelowEvaluated(entry);
    if (failed) throw failed.module!.error;
    const start = mark();
    const before = profile.enabled ? recorded() : 0;
    try {
      // An abort gives up waiting for a top-level await; the module itself runs on.
      await abortable(module.evaluate(), signal);
    } catch (error) {
      evaluationFailures.seen = true;
      if (typeof error === 'object' && error !== null) this.#thrownByCode.add(error);
      throw error;
    } finally {
      spentOwn('evaluate', start, before);
    }
  }

  /**
   * Imports a module by specifier or by source object (or a record
   * serializeSource() made, as it arrives through postMessage). Returns the
   * namespace, or for phase 'source' the module source (loaded, not linked
   * or evaluated).
   */
  async import(specifierOrSource: string | URL | AnyModuleSource | SerializedSource | ModuleInstance, options: ImportOptions = {}): Promise<unknown> {
    const phase: Phase = options.phase === 'source' ? 'source' : 'evaluation';
    const site: ErrorSite = { phase };
    try {
      return await this.#import(specifierOrSource, options, phase, site);
    } catch (error) {
      throw this.#thrownByCode.has(error as object) ? error : completeSite(error, site);
    }
  }

  /** import(), filling in `site` as it learns the specifier, referrer and URL (for the errors it ends with). */
  async #import(specifierOrSource: string | URL | AnyModuleSource | SerializedSource | ModuleInstance, options: ImportOptions, phase: Phase, site: ErrorSite): Promise<unknown> {
    const signal = options.signal;
    signal?.throwIfAborted();
    let entry: Entry;
    // A record as it arrives through postMessage: it enters through the transfer gate.
    if (isSerializedSource(specifierOrSource)) specifierOrSource = transferIn(this.policy, specifierOrSource, this.#realm);
    if (specifierOrSource instanceof ModuleInstance) {
      const instance = this.#instances.get(specifierOrSource);
      if (!instance || instance.deleted) throw new TypeError(instance ? `Registry.import: the instance of ${instance.key} was deleted` : 'Registry.import: an instance of another registry (instances never cross registries)');
      entry = instance;
      site.url = entry.key;
    } else if (isModuleSource(specifierOrSource) || isWasmModule(specifierOrSource)) {
      if (options.with !== undefined) {
        throw new TypeError('import(source, { with }) is not allowed: a module source already carries its attributes');
      }
      entry = await this.#entryForSource(sourceForRealm(specifierOrSource as AnyModuleSource, this.#realm, this.#crossRealm, mainRealm, 'Registry.import'));
      site.url = entry.key;
    } else if (typeof specifierOrSource === 'string' || (specifierOrSource as unknown) instanceof URL) {
      site.specifier = String(specifierOrSource);
      site.referrer = options.referrer === undefined ? this.baseURL : String(options.referrer);
      site.url = this.resolve(site.specifier, site.referrer);
      entry = this.#entryForURL(site.url, normalizeAttributes(options.with, 'import options "with"'));
    } else {
      throw new TypeError(`Registry.import: expected a specifier or a module source, got ${specifierOrSource === null ? 'null' : typeof specifierOrSource}`);
    }
    if (phase === 'source') {
      try {
        await abortable(this.#loaded(entry, site), signal);
      } catch (error) {
        if (signal?.aborted && error === signal.reason && entry.status === 'loading') this.#drop(entry);
        throw error;
      }
      const source = entry.loaded!.source;
      if (!source) throw noSourcePhase(entry, site);
      return source;
    }
    await this.#complete(entry, phase, site, signal);
    return entry.module!.namespace;
  }

  /**
   * Loads the static graph below a specifier (or source) without linking or
   * evaluating it; returns the root's key. For tools that print graphs.
   */
  async loadGraph(specifier: string | URL, options: LoadGraphOptions = {}): Promise<string> {
    const referrer = options.referrer === undefined ? this.baseURL : String(options.referrer);
    const site: ErrorSite = { specifier: String(specifier), referrer, phase: 'evaluation' };
    try {
      site.url = this.resolve(site.specifier!, referrer);
      const entry = this.#entryForURL(site.url, normalizeAttributes(options.with, 'import options "with"'));
      await this.#loadGraph(entry, 'evaluation', site, options.failures, options.signal);
      return entry.key;
    } catch (error) {
      throw completeSite(error, site);
    }
  }

  // ---- import defer -------------------------------------------------------

  /** Builds the module that answers `import defer` of `target` in the graph about to be linked. */
  #prepareDeferred(target: Entry): void {
    target.deferredNamespace ??= deferredNamespace(target);
    target.deferFacade = deferFacade(target, target.deferredNamespace, asyncDependencies(target));
  }

  /** import.defer(specifier): load and link now, evaluate the asynchronous parts, hand out the deferred namespace. */
  async #importDefer(specifier: string, referrer: string, attributes: Attributes): Promise<object> {
    const url = this.resolve(specifier, referrer);
    const entry = this.#entryForURL(url, attributes);
    const site: ErrorSite = { specifier, referrer, url, phase: 'defer' };
    await this.#loadAndLink(entry, 'defer', site);
    for (const eager of asyncDependencies(entry)) await this.#complete(eager, 'evaluation', site);
    entry.deferredNamespace ??= deferredNamespace(entry);
    return entry.deferredNamespace;
  }

  // ---- import.sync ---------------------------------------------------------

  /**
   * import.sync: the namespace, when the module and its graph can be loaded,
   * linked and evaluated synchronously (see the importSync policy);
   * otherwise an ImportSyncError naming the module and the reason. Never
   * waits, so it cannot deadlock.
   */
  importSync(specifier: string, options: { referrer?: string | URL; with?: Record<string, string> } = {}): object {
    const referrer = options.referrer === undefined ? this.baseURL : String(options.referrer);
    const site: ErrorSite = { specifier: String(specifier), referrer, phase: 'sync' };
    try {
      return this.#importSync(site, normalizeAttributes(options.with, 'import options "with"'));
    } catch (error) {
      throw this.#thrownByCode.has(error as object) ? error : completeSite(error, site);
    }
  }

  #importSync(site: ErrorSite, attributes: Attributes): object {
    const url = site.url = this.resolve(site.specifier!, site.referrer);
    const keyId = engineTables().keys.intern(url);
    const attributesId = this.#attributesId(attributesKey(attributes));
    if (!this.#hostLoading() && engineTables().registry.getCanonical(this.id, keyId, attributesId) < 0) {
      throw new ImportSyncError('not loaded', 'the registry does not hold it', site);
    }
    return this.#completeSync(this.#entryForKey(keyId, attributes, attributesId, url), site);
  }

  /** Whether import.sync and require(esm) may read files (the importSync policy, and no load hook to ask). */
  #hostLoading(): boolean {
    return this.#syncPolicy === 'allow-host-loading' && !this.#hooks.load;
  }

  /** Loads (if allowed), links and evaluates `root` synchronously: import.sync and require(esm). */
  #completeSync(root: Entry, site: ErrorSite, hostLoading = this.#hostLoading()): object {
    // Load (only if allowed) and compile the graph: a sync walk throws where it would wait.
    const step = walkGraph(this.#walkHost, root, 'sync', site, { hostLoading, site }).next();
    if (!step.done) throw new Error('canon internal error: a synchronous walk waited');
    const walked = step.value.walked;
    const module = root.module!;
    if (module.status === 'unlinked') {
      if (!canLinkSync) throw new ImportSyncError('not linkable synchronously', `this Node (${process.version}) has no synchronous vm linking; import it asynchronously first`, site);
      linkGraphSync(root);
    }
    if (module.status === 'evaluating') throw new ImportSyncError('cycle still evaluating', root.key, site);
    for (const entry of walked) {
      const status = entry.module?.status;
      if (status === 'evaluated' || status === 'errored' || status === 'evaluating') continue;
      if (entry.loaded?.kind === 'js' && (entry.loaded.source as { hasTopLevelAwait: boolean }).hasTopLevelAwait) {
        throw new ImportSyncError('top-level await', entry.key, site);
      }
    }
    try {
      evaluateSync(root, site);
    } catch (error) {
      if (typeof error === 'object' && error !== null) this.#thrownByCode.add(error);
      throw error;
    }
    return module.namespace;
  }

  // ---- CommonJS ------------------------------------------------------------

  /** What this registry's CommonJS modules reach through require (loader/require.ts). */
  #requireHost(cache: Record<string, NodeJS.Module>): RequireHost {
    // The last URL require() resolved and its key id: entryFor() of that URL, which follows at once, needs no interning.
    const last = { url: '', keyId: -1 };
    return {
      resolve: (specifier, referrer) => {
        const keys = engineTables().keys;
        const keyId = this.#resolver.resolveId(specifier, keys.intern(specifier), referrer, 'require');
        // The URL as a string: just built, or the key of the entry it names, else read back from the interner.
        const url = this.#urlOf(keyId);
        last.url = url;
        last.keyId = keyId;
        return url;
      },
      resolveFrom: (specifier, referrer) => this.resolve(specifier, referrer, { kind: 'require' }),
      entryFor: (url, site, attributes = NO_ATTRIBUTES) => {
        const entry = url === last.url && attributes === NO_ATTRIBUTES
          ? this.#entryForKey(last.keyId, attributes, this.#noAttributesId, url)
          : this.#entryForURL(url, attributes);
        if (entry.status === 'new' && !this.#loadSync(entry, site)) {
          throw new RequireError('ERR_CANON_REQUIRE_ASYNC_LOAD', `require() cannot load ${url} synchronously: the registry has a load hook`, site);
        }
        if (entry.status === 'loading') throw new RequireError('ERR_CANON_REQUIRE_ASYNC_LOAD', `require() of ${url}, which is still loading`, site);
        if (entry.status === 'errored') throw entry.error;
        // A CommonJS module require() runs has no record made by #compile: its instantiation is checked here.
        if (entry.loaded!.kind === 'cjs' && !entry.commonjs && this.policy) {
          try {
            this.policy.checkInstantiate(entry.key, 'cjs', site);
          } catch (error) {
            this.#drop(entry);
            throw error;
          }
        }
        return entry;
      },
      admit: (url, site) => {
        this.policy?.checkLoad(url, site);
        this.policy?.checkInstantiate(url, url.startsWith('node:') ? 'builtin' : 'cjs', site);
      },
      // require() reads files synchronously by nature, ES modules included (Node's require(esm)); the
      // importSync policy governs import.sync. Only a load hook (asynchronous) keeps files out.
      importSync: (entry, site) => this.#completeSync(entry, site, !this.#hooks.load),
      forget: (url, attributes) => {
        this.delete(url, attributes);
      },
      importDynamically: (specifier, referrer, attributes) => this.#instantiateHooks.importModuleDynamically(specifier, referrer, attributes),
      phaseHost: (referrer) => this.#phaseHost(baseOf(referrer)),
      cache,
      main: undefined,
    };
  }

  /** A reexported module's file path, resolved as require() does, for cjs-module-lexer's names (undefined if it does not resolve to a file). */
  readonly #reexportPath = (specifier: string, from: string): string | undefined => {
    try {
      const url = this.resolve(specifier, pathToHref(from), { kind: 'require' });
      return url.startsWith('file:') ? hrefToPath(url) : undefined;
    } catch {
      return undefined;
    }
  };

  /**
   * require(specifier) from `referrer` (default: the baseURL), as a CommonJS
   * module there would: the same registry entries import uses.
   */
  require(specifier: string, options: { referrer?: string | URL } = {}): unknown {
    const referrer = options.referrer === undefined ? this.baseURL : String(options.referrer);
    const site: ErrorSite = { specifier: String(specifier), referrer, phase: 'require' };
    // Only resolution is decorated here: what the required code throws is the program's own error.
    try {
      site.url = this.resolve(site.specifier!, referrer, { kind: 'require' });
    } catch (error) {
      throw completeSite(error, site);
    }
    return requireURL(this.#commonjs, site.url, site);
  }

  /** Node's module.createRequire(filename), loading through this registry (see require()). */
  createRequire(filename: string | URL): NodeJS.Require {
    return createRequireFor(this.#commonjs, filename);
  }

  /**
   * Runs a program's main module, as `node file` does: a CommonJS module
   * runs as require.main (and its errors are thrown synchronously), an ES
   * module is imported with import.meta.main set. Resolves when the program's
   * top-level code has run.
   */
  async runMain(specifier: string | URL, options: { referrer?: string | URL } = {}): Promise<void> {
    const referrer = options.referrer === undefined ? this.baseURL : String(options.referrer);
    let url = this.resolve(String(specifier), referrer);
    // As `node app`: the extension and index lookup of a main path, when nothing answers the path itself.
    if (url.startsWith('file:') && !this.#hooks.load) url = this.#resolver.node.resolveMain(hrefToPath(url)) ?? mainNotFound(url, String(specifier), referrer);
    this.#mainKey = url;
    if (url.startsWith('file:') && !this.#hooks.load && this.#formats.formatOf(hrefToPath(url)) !== 'module') {
      const site: ErrorSite = { specifier: String(specifier), referrer, url, phase: 'evaluation' };
      const entry = this.#entryForURL(url, NO_ATTRIBUTES);
      this.#loadSync(entry, site);
      if (entry.status === 'errored') throw entry.error;
      if (entry.loaded!.kind === 'cjs') {
        requireURL(this.#commonjs, url, site, true);
        return;
      }
    }
    await this.import(url);
  }

  // ---- compartments ---------------------------------------------------------

  /** What a compartment takes from this registry unless its options say otherwise. */
  #inheritable(): RegistryOptions {
    return {
      baseURL: this.baseURL,
      ...(this.importMap ? { importMap: this.importMap } : {}),
      conditions: [...this.conditions],
      hooks: this.#hooks,
      importSync: this.#syncPolicy,
      // The cache this registry resolved its option to (one ModuleCache per directory or store).
      ...(this.#loadEnv.cache ? { cache: this.#loadEnv.cache } : {}),
      ...(this.#hot ? { hot: true } : {}),
      // A compartment is held to its parent's rules unless it is given its own.
      ...(this.policy ? { policy: this.policy } : {}),
      ...(this.#loadTimeout !== undefined ? { loadTimeout: this.#loadTimeout } : {}),
      // The same realm: a compartment's modules see the same globals unless given a context of their own.
      ...(this.context ? { context: this.context } : {}),
      crossRealmSources: this.#crossRealm,
    };
  }

  /**
   * A compartment: a child registry with canonical instances of its own,
   * its own hooks, import map and conditions where `options` give them, and
   * this registry's otherwise (the same as new Registry({ ...options,
   * parent: this })). Sources cross between them; instances never do.
   */
  compartment(options: Omit<RegistryOptions, 'parent'> = {}): Registry {
    return new Registry({ ...options, parent: this });
  }

  // ---- non-canonical instances (instances/module-instance.ts) --------------

  /** @internal new ModuleInstance(source, { registry: this }): its entry, outside the URL index. */
  adoptInstance(instance: ModuleInstance, source: AnyModuleSource, options: Omit<ModuleInstanceOptions, 'registry'>): void {
    if (!isModuleSource(source) && !isWasmModule(source)) throw new TypeError(`ModuleInstance: expected a module source, got ${source === null ? 'null' : typeof source}`);
    if (this.#instances.has(instance)) throw new TypeError('ModuleInstance: already adopted');
    source = sourceForRealm(source, this.#realm, this.#crossRealm, mainRealm, 'ModuleInstance');
    const info = sourceInfo(source);
    if (this.policy) {
      // The gates before the entry exists: a refused instance leaves the registry as it was.
      this.policy.checkCreate(info.key, { url: info.key });
      this.policy.checkInstantiate(info.key, isWasmModule(source) ? 'wasm' : 'js', { url: info.key });
    }
    const keys = engineTables().keys;
    const entry = this.#newEntry(info.key, keys.intern(info.key), info.attributes, keys.intern(attributesKey(info.attributes)), false);
    entry.importHook = options.importHook ?? (() => undefined);
    entry.importMeta = options.importMeta;
    this.#hold(entry, sourceIdOf(source, info.hash));
    this.#finishLoad(entry, fromSource(source), { url: info.key });
    this.#instances.set(instance, entry);
  }

  /** A non-canonical instance of `source` in this registry (the same as new ModuleInstance(source, { registry: this, ...options })). */
  instantiate(source: AnyModuleSource, options: Omit<ModuleInstanceOptions, 'registry'> = {}): ModuleInstance {
    return new ModuleInstance(source, { ...options, registry: this });
  }

  /** How a hook's answers become this registry's entries (instances/import-hook.ts). */
  readonly #hookTargets: ImportHookTargets = {
    entryForSpecifier: (specifier, base, attributes) => this.#entryForURL(this.resolve(specifier, base), attributes),
    entryOfInstance: (instance) => this.#instances.get(instance),
    entryForSource: (answer, site) => {
      const source = sourceForRealm(answer, this.#realm, this.#crossRealm, mainRealm, 'importHook');
      const info = sourceInfo(source);
      const keys = engineTables().keys;
      const keyId = keys.intern(info.key);
      const attributesId = keys.intern(attributesKey(info.attributes));
      const canonicalSource = engineTables().registry.getCanonical(this.id, keyId, attributesId);
      if (canonicalSource === PENDING) throw hookError(`the importHook answered a source whose key ${info.key} is still loading; import it first`, site);
      return this.#entryForSourceNow(source, info, keyId, attributesId, canonicalSource);
    },
  };

  /** The entry a non-canonical instance's request leads to, as its importHook answers (once per request, static or dynamic). */
  #hookedDependency(entry: Entry, specifier: string, attributes: Attributes): Entry {
    return this.#hookAnswers.dependency(entry, specifier, attributes, this.#hookTargets);
  }

  // ---- transfer -------------------------------------------------------------

  /** serializeSource() under this registry's policy (gate "transfer", direction out). */
  serializeSource(source: AnyModuleSource): SerializedSource {
    return transferOut(this.policy, source);
  }

  /** deserializeSource() under this registry's policy (gate "transfer" in, and "create" for an eval-ish source), made for its realm. */
  deserializeSource(record: SerializedSource): AnyModuleSource {
    return transferIn(this.policy, record, this.#realm);
  }

  // ---- inspection ---------------------------------------------------------

  #record(entry: Entry): EntryRecord {
    const status = statusOf(entry);
    const record: EntryRecord = {
      key: entry.key,
      attributes: entry.attributes,
      kind: entry.loaded?.kind,
      source: entry.loaded?.source,
      hash: entry.loaded && entry.loaded.kind !== 'builtin' ? entry.loaded.hash : undefined,
      status,
      canonical: entry.canonical,
    };
    const module = entry.module;
    if (module && module.status !== 'unlinked' && module.status !== 'linking' && module.status !== 'errored') record.namespace = module.namespace;
    if (status === 'errored') record.error = entry.status === 'errored' ? entry.error : module?.error;
    return record;
  }

  #canonicalEntry(key: string | URL, attributes?: Record<string, string>): Entry | undefined {
    const keys = engineTables().keys;
    const keyId = keys.lookup(String(key));
    if (keyId < 0) return undefined;
    const attributesId = keys.lookup(attributesKey(normalizeAttributes(attributes)));
    if (attributesId < 0) return undefined;
    const tables = engineTables().registry;
    const sourceId = tables.getCanonical(this.id, keyId, attributesId);
    if (sourceId < 0) return undefined;
    const entryId = tables.getEntry(this.id, keyId, attributesId, sourceId);
    return entryId < 0 ? undefined : this.#entries[entryId];
  }

  /** The canonical entry of a key (URL or eval id) and attributes. */
  get(key: string | URL, attributes?: Record<string, string>): EntryRecord | undefined {
    const entry = this.#canonicalEntry(key, attributes);
    return entry && this.#record(entry);
  }

  has(key: string | URL, attributes?: Record<string, string>): boolean {
    return this.#canonicalEntry(key, attributes) !== undefined;
  }

  /**
   * Removes every entry of (key, attributes), canonical or not. Later imports
   * load afresh; modules that already imported it keep their bindings.
   */
  delete(key: string | URL, attributes?: Record<string, string>): boolean {
    const keys = engineTables().keys;
    const keyId = keys.lookup(String(key));
    const attributesId = keys.lookup(attributesKey(normalizeAttributes(attributes)));
    if (keyId < 0 || attributesId < 0) return false;
    let removed = false;
    for (const entry of this.#entries) {
      if (!entry || entry.keyId !== keyId || entry.attributesId !== attributesId) continue;
      this.#drop(entry);
      removed = true;
    }
    engineTables().registry.deleteCanonical(this.id, keyId, attributesId);
    // What the file system said may have changed with what is reloaded (a file now a link, a new file that shadows).
    if (removed) this.#resolver.forgetFileSystem();
    return removed;
  }

  /**
   * Hot reload (a registry made with { hot: true }): replaces the module
   * `key` with a new instance from its current content, and every module
   * that imports it up to those that accept the change (import.meta.hot);
   * see hot/hot-modules.ts. Resolves to what happened, without throwing for
   * the program's own errors ('failed') or for a change only a restart
   * applies ('restart').
   */
  reload(key: string | URL, attributes?: Record<string, string>): Promise<ReloadResult> {
    if (!this.#hot) return Promise.reject(new TypeError('Registry: reload() needs a registry made with { hot: true }'));
    return this.#hot.reload(this, String(key), attributes);
  }

  /** Takes one entry out of the registry: its table rows, its held source, the resolutions to and from it. */
  #drop(entry: Entry): void {
    if (entry.deleted) return;
    this.#drops++;
    const tables = engineTables().registry;
    tables.deleteEntry(this.id, entry.keyId, entry.attributesId, entry.sourceId >= 0 ? entry.sourceId : PENDING);
    if (entry.canonical) tables.deleteCanonical(this.id, entry.keyId, entry.attributesId);
    if (entry.commonjs && this.#commonjs.cache[entry.commonjs.filename] === entry.commonjs) delete this.#commonjs.cache[entry.commonjs.filename];
    if (entry.key.startsWith('file:')) this.#formats.forget(dirname(hrefToPath(entry.key)) + '/');
    entry.deleted = true;
    this.#entries[entry.id] = undefined;
    this.#letGo(entry);
    this.#resolver.cache.invalidate(entry.keyId);
    // Node's vm keeps the record forever: let it keep a stand-in, not the entry (README "Reload and memory").
    const module = entry.module;
    if (module && module.status !== 'unlinked' && module.status !== 'linking' && entryOfModule.get(module) === entry) {
      // A plain rooted module's stand-in can be made from the record's identifier when needed: keep nothing.
      const plain = module.identifier === entry.key && !entry.key.startsWith('eval:') && entry.attributesId === this.#noAttributesId && !entry.importHook && !entry.importMeta;
      if (plain) entryOfModule.delete(module);
      else entryOfModule.set(module, detachedEntry(entry));
    }
  }

  /** Every entry, canonical or not, in creation order. */
  entries(): EntryRecord[] {
    const out: EntryRecord[] = [];
    for (const entry of this.#entries) if (entry) out.push(this.#record(entry));
    return out;
  }

  /** The static dependency keys of an entry (for graph printing), in request order. */
  dependenciesOf(key: string | URL, attributes?: Record<string, string>): { specifier: string; key: string; attributes: Attributes }[] {
    const entry = this.#canonicalEntry(key, attributes);
    if (!entry?.loaded) return [];
    const out: { specifier: string; key: string; attributes: Attributes }[] = [];
    forEachDependency(entry, (dep, r) => out.push({ specifier: r.specifier, key: dep.key, attributes: dep.attributes }));
    return out;
  }
}

