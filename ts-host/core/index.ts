// canon-modules/core: the Wasm-backed hashing, interning and integer tables alone,
// usable without the module loader.

export { Core, createCore, type CoreOptions, type TableOptions } from './core.js';
export { LinearBuffer } from './buffer.js';
export { Interner, type Key } from './interner.js';
export { IntTable, MAX_TABLE_VALUE, type IntRow } from './int-table.js';
export { RegistryTables, type EntryRecord, type CanonicalRecord } from './registry-tables.js';
export { CanonMemoryLimitError, CanonFreedHandleError } from './errors.js';
export { PROCESS_SEED } from './seed.js';
export { CORE_EXPORTS, CORE_IMPORTS, coreModule, type CoreBuild, type CoreExports } from './wasm.js';
