// The engine's Wasm-side tables, shared by every registry in the process
// (ids are content-based, and every table is keyed by registry id where it
// must be): the interner for URLs, specifiers and attribute texts, the
// registry tables (entry and canonical-source lookups), the resolution
// cache and the source index.

import type { Interner, IntTable, RegistryTables } from '../core/index.js';
import { engineCore } from '../engine-core.js';

export interface EngineTables {
  /** URLs, eval ids, specifiers and attribute texts → ids. */
  keys: Interner;
  /** (registry, key, attributes, source) → entry; (registry, key, attributes) → canonical source. */
  registry: RegistryTables;
  /** (registry, referrer key, specifier, 0) → resolved key: only a miss builds URLs in JS. */
  resolutions: IntTable;
  /** The four 32-bit words of a source's XXH3-128 → source id (confirmed by exact comparison). */
  sourcesByHash: IntTable;
}

let tables: EngineTables | undefined;

export function engineTables(): EngineTables {
  if (!tables) {
    const core = engineCore();
    tables = {
      keys: core.createInterner({ expectedKeys: 1024 }),
      registry: core.createRegistryTables({ expectedKeys: 1024 }),
      resolutions: core.createTable({ expectedKeys: 4096 }),
      sourcesByHash: core.createTable({ expectedKeys: 1024 }),
    };
  }
  return tables;
}
