// One registry's view of the Wasm resolution cache: (registry, base,
// specifier, kind) → resolved key id. A resolution is forgotten when what it
// points at, or the module it came from, is deleted (and by
// Registry#clearResolutions), so that a resolve hook or a file system that
// changed is asked again: the cache never outlives the entries it served.
//
// Deletes are batched: a delete only notes the key id, and the rows are
// purged in one pass over the table before the next lookup. A reload of N
// modules then costs one pass, not N.

import { engineTables } from './tables.js';

export class ResolutionCache {
  /** Key ids deleted since the last purge: rows resolving to them, or made from them, go. */
  #stale: Set<number> | undefined;

  constructor(readonly registryId: number) {}

  get(baseId: number, specifierId: number, word: number): number {
    if (this.#stale) this.#purge();
    return engineTables().resolutions.get(this.registryId, baseId, specifierId, word);
  }

  set(baseId: number, specifierId: number, word: number, keyId: number): void {
    engineTables().resolutions.set(this.registryId, baseId, specifierId, word, keyId);
  }

  /** Forgets, before the next lookup, the resolutions that point at `keyId` or were made from it (a referrer's own base). */
  invalidate(keyId: number): void {
    (this.#stale ??= new Set()).add(keyId);
  }

  /**
   * Forgets this registry's resolutions whose target or base URL starts with
   * `prefix` (every one without a prefix). Returns how many went.
   */
  clear(prefix?: string): number {
    if (this.#stale) this.#purge();
    const table = engineTables().resolutions;
    const keys = engineTables().keys;
    const matches = new Map<number, boolean>();
    const matching = (id: number): boolean => {
      let hit = matches.get(id);
      if (hit === undefined) matches.set(id, (hit = keys.string(id)?.startsWith(prefix!) ?? false));
      return hit;
    };
    let removed = 0;
    for (const [registry, base, specifier, word, target] of table.rows()) {
      if (registry !== this.registryId) continue;
      if (prefix === undefined || matching(target) || matching(base)) {
        table.delete(registry, base, specifier, word);
        removed++;
      }
    }
    return removed;
  }

  #purge(): void {
    const stale = this.#stale!;
    this.#stale = undefined;
    const table = engineTables().resolutions;
    for (const [registry, base, specifier, word, target] of table.rows()) {
      if (registry === this.registryId && (stale.has(target) || stale.has(base))) table.delete(registry, base, specifier, word);
    }
  }
}
