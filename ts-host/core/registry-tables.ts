// The registry's two integer tables (DESIGN.md "The data flow", step 5):
//
//   entries:   (registry id, key id, attributes id, source id) → entry id
//   canonical: (registry id, key id, attributes id)            → source id
//
// `entries` finds the instance for a (key, source) pair: the canonical
// instance when the source is the one the key first loaded, another entry
// when a different source arrived under the same key. `canonical` says which
// source a key resolves to when it is imported by URL.

import { IntTable } from './int-table.js';

export interface EntryRecord {
  registry: number;
  key: number;
  attributes: number;
  source: number;
  entry: number;
}

export interface CanonicalRecord {
  registry: number;
  key: number;
  attributes: number;
  source: number;
}

export class RegistryTables {
  /** @internal Use Core.createRegistryTables(). */
  constructor(
    readonly entryTable: IntTable,
    readonly canonicalTable: IntTable,
  ) {}

  /** Maps (registry, key, attributes, source) to `entry`; returns the previous entry or -1. */
  setEntry(registry: number, key: number, attributes: number, source: number, entry: number): number {
    return this.entryTable.set(registry, key, attributes, source, entry);
  }

  /** The entry for (registry, key, attributes, source), or -1. */
  getEntry(registry: number, key: number, attributes: number, source: number): number {
    return this.entryTable.get(registry, key, attributes, source);
  }

  /** Removes the mapping; returns the entry it held, or -1. */
  deleteEntry(registry: number, key: number, attributes: number, source: number): number {
    return this.entryTable.delete(registry, key, attributes, source);
  }

  /** Sets the canonical source of (registry, key, attributes); returns the previous one or -1. */
  setCanonical(registry: number, key: number, attributes: number, source: number): number {
    return this.canonicalTable.set(registry, key, attributes, 0, source);
  }

  /** The canonical source of (registry, key, attributes), or -1. */
  getCanonical(registry: number, key: number, attributes: number): number {
    return this.canonicalTable.get(registry, key, attributes, 0);
  }

  deleteCanonical(registry: number, key: number, attributes: number): number {
    return this.canonicalTable.delete(registry, key, attributes, 0);
  }

  get entryCount(): number {
    return this.entryTable.size;
  }

  get canonicalCount(): number {
    return this.canonicalTable.size;
  }

  /** Every entry mapping, read out in one call. */
  entries(): EntryRecord[] {
    return this.entryTable.rows().map(([registry, key, attributes, source, entry]) => ({
      registry, key, attributes, source, entry,
    }));
  }

  /** Every canonical-source mapping, read out in one call. */
  canonicals(): CanonicalRecord[] {
    return this.canonicalTable.rows().map(([registry, key, attributes, , source]) => ({
      registry, key, attributes, source,
    }));
  }

  free(): void {
    this.entryTable.free();
    this.canonicalTable.free();
  }
}
