// The persistent compile and analysis cache (DESIGN "Cache"): which cache a
// registry uses, where the default one lives, and when it is off.

import { resolve } from 'node:path';
import { DEFAULT_MAX_BYTES, DirectoryStore } from './directory-store.js';
import { cacheDisabledByEnv, CacheDirectoryError, checkCacheDirectory, defaultCacheDir } from './location.js';
import { ModuleCache } from './module-cache.js';
import { isCacheStore, type CacheStore } from './store.js';

export { DEFAULT_MAX_BYTES, DirectoryStore, type DirectoryStoreOptions, type StoreInfo } from './directory-store.js';
export { cacheDisabledByEnv, CacheDirectoryError, checkCacheDirectory, defaultCacheDir } from './location.js';
export { CacheSlot, CODE_CACHE_MIN_LENGTH, engineKey, FunctionCacheSlot, FUNCTION_CODE_CACHE_MIN_BYTES, ModuleCache, type ModuleCacheOptions, type Probe } from './module-cache.js';
export { isCacheStore, MemoryStore, type CacheStore } from './store.js';

/**
 * The `cache` option of a Registry: false (or absent) for none; true for the
 * default directory; a directory path; a store (get/set/delete of byte
 * records); or a ModuleCache.
 */
export type CacheOption = boolean | string | CacheStore | ModuleCache | undefined;


/** The size cap: CANON_CACHE_MAX_MB, else 256 MiB. */
export function maxBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.CANON_CACHE_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : DEFAULT_MAX_BYTES;
}

const byDirectory = new Map<string, ModuleCache | undefined>();
const byStore = new WeakMap<CacheStore, ModuleCache>();
const warned = new Set<string>();

/** Warns once per directory on stderr. */
function warnOnce(dir: string, message: string): void {
  if (warned.has(dir)) return;
  warned.add(dir);
  process.stderr.write(`canon: warning: cache disabled: ${message}\n`);
}

/**
 * The directory's cache, one per directory in a process; undefined (with
 * one warning) when the directory is not safe to run code from.
 */
export function directoryCache(dir: string): ModuleCache | undefined {
  const path = resolve(dir);
  if (byDirectory.has(path)) return byDirectory.get(path);
  let cache: ModuleCache | undefined;
  try {
    checkCacheDirectory(path);
    cache = new ModuleCache(new DirectoryStore(path, { maxBytes: maxBytesFromEnv() }));
  } catch (error) {
    // Where nobody chose the directory, one that cannot be made (a read-only home) is not worth a warning on every run.
    const quiet = error instanceof CacheDirectoryError && error.reason === 'create' && path === defaultCacheDir() && !process.env.CANON_CACHE_DIR;
    if (!quiet || process.env.CANON_CACHE_DEBUG) warnOnce(path, error instanceof CacheDirectoryError ? error.message : `${path}: ${(error as Error).message}`);
  }
  byDirectory.set(path, cache);
  return cache;
}

/** The ModuleCache a `cache` option names, or undefined for none. */
export function resolveCacheOption(option: CacheOption): ModuleCache | undefined {
  if (option === undefined || option === false || cacheDisabledByEnv()) return undefined;
  if (option === true) return directoryCache(defaultCacheDir());
  if (typeof option === 'string') return directoryCache(option);
  if (option instanceof ModuleCache) return option;
  if (isCacheStore(option)) {
    let cache = byStore.get(option);
    if (!cache) {
      cache = new ModuleCache(option);
      byStore.set(option, cache);
    }
    return cache;
  }
  throw new TypeError(`Registry: cache must be false, true, a directory path, a cache store or a ModuleCache, got ${option === null ? 'null' : typeof option}`);
}
