// The cache's storage interface: byte records by string key. The module
// cache (module-cache.ts) decides what a key and a record are; a store only
// keeps bytes. The default is a directory (directory-store.ts); anything with
// these methods will do (a shared store serving many machines, an in-memory
// one for tests). Stores are synchronous: the loader asks on its hot path.
//
// A store need not be trustworthy about integrity: every record carries its
// own header and checksum, and the module cache verifies it against the bytes
// actually read before using it.

export interface CacheStore {
  /** The record stored under `key`, or undefined. */
  get(key: string): Uint8Array | undefined;
  /** Stores (or replaces) a record. A store may defer the write until flush(). */
  set(key: string, value: Uint8Array): void;
  /** Forgets a record (a corrupted or rejected one). */
  delete(key: string): void;
  /** Writes what set() and delete() deferred. Called once, after the program's imports or at exit. */
  flush?(): void;
}

/** A store in memory: for tests, and for embedders that keep records themselves. */
export class MemoryStore implements CacheStore {
  readonly records = new Map<string, Uint8Array>();

  get(key: string): Uint8Array | undefined {
    return this.records.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.records.set(key, value.slice());
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}

/** Whether `value` has the methods of a CacheStore. */
export function isCacheStore(value: unknown): value is CacheStore {
  const v = value as Partial<CacheStore> | null;
  return typeof v === 'object' && v !== null && typeof v.get === 'function' && typeof v.set === 'function' && typeof v.delete === 'function';
}
