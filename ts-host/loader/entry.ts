// The load record: one per registry entry, the single place its fields are
// defined. An entry is one module instance: a (key, attributes, source) in
// one registry (DESIGN "Keying and canonical instances").

import type vm from 'node:vm';
import { sourceInfo } from '../sources/identity.js';
import type { ImportHook } from '../instances/module-instance.js';
import type { ModuleRequest } from '../module-graph.js';
import { NO_ATTRIBUTES, type Attributes } from '../sources/attributes.js';
import { engineTables } from './tables.js';
import type { Loaded } from './load.js';
import { mainRealm, type Realm } from '../realms/realm.js';

/** What kind of module record the entry becomes. */
export type ModuleKind = 'js' | 'cjs' | 'json' | 'wasm' | 'builtin' | 'text' | 'bytes';

/**
 * The entry's own progress: new → loading → loaded, or errored (the error is
 * kept and rethrown on every later import until the entry is deleted).
 * Past loading, the module record's status tells the rest (see statusOf).
 */
export type LoadStatus = 'new' | 'loading' | 'loaded' | 'errored';

/** What entries() reports: the load status, then the module record's. */
export type EntryStatus = 'loading' | 'loaded' | 'linking' | 'linked' | 'evaluating' | 'evaluated' | 'errored';

export interface Entry {
  /** Dense id within the registry; the value stored in the Wasm entry table. */
  readonly id: number;
  /** The primary key: the resolved URL, or the eval id of an eval-ish source. */
  readonly key: string;
  /** Interned ids of the key and of the attributes' canonical text (Wasm interner). */
  readonly keyId: number;
  readonly attributesId: number;
  /** The resolution cache's key for requests from this module (Registry#resolutionBase); -1 until first needed. */
  resolutionBaseId: number;
  /** Import attributes, part of the key. */
  readonly attributes: Attributes;
  /** The realm the module evaluates in: its registry's (realms/realm.ts); every record made for the entry is made in its context. */
  readonly realm: Realm;
  /** The secondary key: the id of the source's content (source-table.ts); -1 until loaded. */
  sourceId: number;
  /** Whether importing the key by URL gives this entry. */
  canonical: boolean;
  status: LoadStatus;
  /** The loaded source, its requests and their interned specifiers. */
  loaded: Loaded | undefined;
  /** The entries the requests resolved to, parallel to loaded.requests (set by Registry#dependency as the walk resolves them). */
  dependencies: (Entry | undefined)[] | undefined;
  /** The engine's module record (created at load, recreated after a failed link). */
  module: vm.Module | undefined;
  /** Settles when this entry's own load is done. */
  loading: Promise<void> | undefined;
  /** The module answering source-phase imports of this entry (its default export is the source). */
  sourceFacade: vm.Module | undefined;
  /** The module answering `import defer` of this entry in the graph being linked (its default export is the deferred namespace). */
  deferFacade: vm.Module | undefined;
  /** The deferred namespace object of this entry (one per entry). */
  deferredNamespace: object | undefined;
  /**
   * CommonJS: Node's `module` object once the module started running (by
   * require() or by an importer's evaluation); its `exports` are the dynamic
   * record's values. Cleared when running it threw, as Node drops it from
   * require.cache, so a later require() runs it again.
   */
  commonjs: NodeJS.Module | undefined;
  /** The error that failed this entry before evaluation (evaluation errors live in the module record). */
  error: unknown;
  /** Set by Registry.delete(): importers that still point here re-resolve. */
  deleted: boolean;
  /** A non-canonical instance's answers to its requests (instances/module-instance.ts); undefined for every other entry. */
  importHook: ImportHook | undefined;
  /** What a non-canonical instance adds to its import.meta. */
  importMeta: Record<string, unknown> | undefined;
}

/** Calls `visit` with each resolved dependency of `entry` and its request, in request order. */
export function forEachDependency(entry: Entry, visit: (dependency: Entry, request: ModuleRequest) => void): void {
  const requests = entry.loaded?.requests;
  const dependencies = entry.dependencies;
  if (!requests || !dependencies) return;
  for (let i = 0; i < requests.length; i++) {
    const dependency = dependencies[i];
    if (dependency) visit(dependency, requests[i]!);
  }
}

const MODULE_STATUS: Record<string, EntryStatus> = {
  unlinked: 'loaded',
  linking: 'linking',
  linked: 'linked',
  evaluating: 'evaluating',
  evaluated: 'evaluated',
  errored: 'errored',
};

/** The status entries() reports. */
export function statusOf(entry: Entry): EntryStatus {
  if (entry.status === 'errored') return 'errored';
  if (entry.status !== 'loaded') return 'loading';
  // A CommonJS module run by require() has no module record of its own.
  if (entry.commonjs && (!entry.module || entry.module.status === 'unlinked')) return entry.commonjs.loaded ? 'evaluated' : 'evaluating';
  return entry.module ? MODULE_STATUS[entry.module.status] ?? 'loaded' : 'loaded';
}

/**
 * What a deleted entry's module record keeps reaching through the engine's
 * callbacks (import.meta, import() from code that still runs): its key, its
 * resolution base, an eval-ish source's own base. Node's vm never frees a
 * module record, so the record must not keep the whole entry (its source
 * text, analysis, requests, dependencies) alive: after delete() the record
 * is mapped to this stand-in instead. Only for linked records, which the
 * linker never asks about again.
 */
export function detachedEntry(entry: Entry): Entry {
  return detached(entry.key, entry.keyId, entry.attributes, entry.attributesId, entry.resolutionBaseId, entry);
}

/**
 * The same stand-in made only when a callback of a deleted module's record
 * fires (its code still runs and reads import.meta or calls import()), from
 * the record's identifier, which is the entry's key: a plain rooted module
 * keeps nothing at all in the record's map after delete().
 */
export function detachedEntryFor(key: string): Entry {
  const keys = engineTables().keys;
  return detached(key, keys.intern(key), NO_ATTRIBUTES, keys.intern(''), -1, undefined);
}

function detached(key: string, keyId: number, attributes: Attributes, attributesId: number, resolutionBaseId: number, entry: Entry | undefined): Entry {
  const source = key.startsWith('eval:') ? entry?.loaded?.source : undefined;
  const stand = newEntry(-1, key, keyId, attributes, attributesId, false, entry?.realm);
  stand.resolutionBaseId = resolutionBaseId;
  stand.status = 'loaded';
  // An eval-ish source's baseURL is where its import() calls resolve from (Registry's baseOf).
  stand.loaded = source ? ({ source } as Loaded) : undefined;
  stand.module = entry?.module;
  stand.deleted = true;
  // A non-canonical instance's import() still asks its hook; its import.meta additions stay.
  stand.importHook = entry?.importHook;
  stand.importMeta = entry?.importMeta;
  return stand;
}

/** A new entry with every field at its starting value (the one place an Entry object is made). */
export function newEntry(id: number, key: string, keyId: number, attributes: Attributes, attributesId: number, canonical: boolean, realm: Realm = mainRealm): Entry {
  return {
    id,
    key, keyId, attributes, attributesId,
    realm,
    resolutionBaseId: -1,
    sourceId: -1,
    canonical,
    status: 'new',
    loaded: undefined,
    dependencies: undefined,
    module: undefined,
    loading: undefined,
    sourceFacade: undefined,
    deferFacade: undefined,
    deferredNamespace: undefined,
    commonjs: undefined,
    error: undefined,
    deleted: false,
    importHook: undefined,
    importMeta: undefined,
  };
}

/** Whether every entry reachable from `root` is loaded (or failed) and walked: nothing new, loading, deleted or unwalked. */
export function graphLoaded(root: Entry): boolean {
  const seen = new Set<Entry>([root]);
  const stack = [root];
  let whole = true;
  while (stack.length > 0 && whole) {
    forEachDependency(stack.pop()!, (dep) => {
      if (seen.has(dep)) return;
      seen.add(dep);
      // Deleted (the walk re-resolves it), not loaded yet, or loaded by an import that gave up before walking below it.
      const unwalked = dep.status === 'loaded' && dep.loaded!.requests.length > 0 && !dep.dependencies;
      if (dep.deleted || dep.status === 'new' || dep.status === 'loading' || unwalked) whole = false;
      else stack.push(dep);
    });
  }
  return whole;
}

/**
 * Where an entry's relative specifiers resolve from: its URL, or for an
 * eval-ish source (keyed by an eval id) the baseURL it was given.
 */
export function baseOf(entry: Entry): string {
  if (!entry.key.startsWith('eval:') || !entry.loaded?.source) return entry.key;
  return sourceInfo(entry.loaded.source).baseURL ?? entry.key;
}
